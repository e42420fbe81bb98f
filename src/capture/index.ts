/**
 * @module
 * Public surface of the capture stage: frame pcap and pcapng (plain or gzip;
 * file, stdin or stream) into `RawRecord`s, and write pcap and pcapng.
 */
export { LinkType, linkTypeName, newRawRecord } from './record.js';
export type { RawRecord, RecordSink } from './record.js';
export { readCapture } from './read-capture.js';
export type {
  CaptureFormat,
  CaptureProgress,
  CaptureSummary,
  CaptureTimestamp,
  ReadCaptureOptions,
} from './read-capture.js';
export { CaptureErrorCode, CaptureFormatError, CaptureSourceError } from './errors.js';
export type { CaptureErrorCodeValue, CaptureErrorContext } from './errors.js';
export type { FramerStats } from './framer.js';
export { PcapWriter } from './pcap-writer.js';
export type { ByteOrder, PacketToWrite, PcapWriterOptions } from './pcap-writer.js';
export { PcapngWriter } from './pcapng-writer.js';
export type {
  PacketBlockKind,
  PcapngInterfaceOptions,
  PcapngPacketToWrite,
  PcapngSectionOptions,
  PcapngWriterOptions,
} from './pcapng-writer.js';
export type { CaptureOutput } from './chunked-output.js';
export type { TsResolution } from './timestamp.js';
/** Test and tooling helpers (they copy every record: not for hot paths). */
export { chunkedStream, collectRecords } from './collect-records.js';
export type { CollectOptions, CollectedRecord } from './collect-records.js';
export { PCAP_FILE_HEADER_SIZE, PCAP_MAGIC, PCAP_RECORD_HEADER_SIZE } from './pcap.js';
