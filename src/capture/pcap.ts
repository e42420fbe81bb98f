/**
 * @module
 * Push framer for classic libpcap files: both byte orders, microsecond
 * (`a1b2c3d4`) and nanosecond (`a1b23c4d`) magics, snaplen-truncated records
 * passed through with both lengths.
 */
import { CaptureErrorCode } from './errors.js';
import { Framer, MAX_RECORD_BYTES } from './framer.js';
import type { RecordSink } from './record.js';

/** Magic numbers as read little-endian from the first four bytes. */
export const PCAP_MAGIC = {
  MICRO_LE: 0xa1b2c3d4,
  MICRO_BE: 0xd4c3b2a1,
  NANO_LE: 0xa1b23c4d,
  NANO_BE: 0x4d3cb2a1,
} as const;

export const PCAP_FILE_HEADER_SIZE = 24;
export const PCAP_RECORD_HEADER_SIZE = 16;
/** Kuznetzov's modified pcap (24-byte record headers), recognised only to name it. */
const MODIFIED_PCAP_MAGIC = 0xa1b2cd34;
const SUPPORTED_VERSION_MAJOR = 2;
/**
 * libpcap's LT_LINKTYPE(): bits 26..31 of the link type field carry the FCS
 * length and its flag, not the link type.
 */
const LINKTYPE_MASK = 0x03ff_ffff;
/**
 * libpcap's MAXIMUM_SNAPLEN. Writers sometimes put a small or zero snaplen in
 * the header yet store larger records, so a captured length above the header's
 * snaplen is only absurd once it also exceeds this.
 */
const LIBPCAP_MAX_SNAPLEN = 262_144;
const USEC_PER_SEC = 1_000_000;
const NSEC_PER_SEC = 1_000_000_000;
const NSEC_PER_USEC = 1_000;

/** True when the first four bytes are one of the classic pcap magics. */
export function isPcapMagic(magicLe: number): boolean {
  return (
    magicLe === PCAP_MAGIC.MICRO_LE ||
    magicLe === PCAP_MAGIC.MICRO_BE ||
    magicLe === PCAP_MAGIC.NANO_LE ||
    magicLe === PCAP_MAGIC.NANO_BE
  );
}

export class PcapFramer extends Framer {
  /** Values from the file header, valid once it has been framed. */
  littleEndian = true;
  nanosecond = false;
  linkType = 0;
  snaplen = 0;
  private headerDone = false;
  private capLimit = MAX_RECORD_BYTES;
  /** Units per second of the fraction field, and nanoseconds per unit. */
  private fracPerSec = USEC_PER_SEC;
  private nsPerFrac = NSEC_PER_USEC;

  constructor(sink: RecordSink, options: { fileName: string }) {
    super(sink, options.fileName);
  }

  protected headerSize(): number {
    return this.headerDone ? PCAP_RECORD_HEADER_SIZE : PCAP_FILE_HEADER_SIZE;
  }

  protected headerName(): string {
    return this.headerDone ? 'record header' : 'file header';
  }

  protected measure(view: DataView, off: number): number {
    if (!this.headerDone) return PCAP_FILE_HEADER_SIZE;
    const capLen = view.getUint32(off + 8, this.littleEndian);
    if (capLen > this.capLimit) this.throwTooLarge(capLen, off);
    return PCAP_RECORD_HEADER_SIZE + capLen;
  }

  protected frame(view: DataView, bytes: Uint8Array, pos: number, end: number): number {
    if (!this.headerDone) {
      if (end - pos < PCAP_FILE_HEADER_SIZE) return pos;
      this.readFileHeader(view, pos);
      pos += PCAP_FILE_HEADER_SIZE;
    }
    const le = this.littleEndian;
    const rec = this.record;
    const capLimit = this.capLimit;
    const fracPerSec = this.fracPerSec;
    const nsPerFrac = this.nsPerFrac;
    const base = this.base;
    // Fields that are the same for every record of the buffer are set once.
    rec.linkType = this.linkType;
    rec.snapLen = this.snaplen;
    rec.data = bytes;
    rec.interfaceId = 0;
    while (end - pos >= PCAP_RECORD_HEADER_SIZE) {
      const capLen = view.getUint32(pos + 8, le);
      if (capLen > capLimit) this.throwTooLarge(capLen, pos);
      const next = pos + PCAP_RECORD_HEADER_SIZE + capLen;
      if (next > end) break;
      let sec = view.getUint32(pos, le);
      let frac = view.getUint32(pos + 4, le);
      if (frac >= fracPerSec) {
        // Some writers leave a fraction of a second or more here; carry it into the seconds.
        sec += Math.floor(frac / fracPerSec);
        frac %= fracPerSec;
      }
      rec.tsSec = sec;
      rec.tsNsec = frac * nsPerFrac;
      rec.capLen = capLen;
      rec.wireLen = view.getUint32(pos + 12, le);
      rec.offset = pos + PCAP_RECORD_HEADER_SIZE;
      rec.fileOffset = base + pos;
      pos = next;
      if (!this.emit()) break;
    }
    return pos;
  }

  private readFileHeader(view: DataView, pos: number): void {
    const magic = view.getUint32(pos, true);
    if (!isPcapMagic(magic)) {
      const hex = magic.toString(16).padStart(8, '0');
      const what =
        magic === MODIFIED_PCAP_MAGIC ? 'the modified (Kuznetzov) pcap format is not supported' : 'not a pcap file';
      throw this.error(CaptureErrorCode.BAD_MAGIC, this.base + pos, `bad magic number 0x${hex}: ${what}`);
    }
    const le = magic === PCAP_MAGIC.MICRO_LE || magic === PCAP_MAGIC.NANO_LE;
    const major = view.getUint16(pos + 4, le);
    const minor = view.getUint16(pos + 6, le);
    if (major !== SUPPORTED_VERSION_MAJOR) {
      throw this.error(CaptureErrorCode.BAD_HEADER, this.base + pos + 4, `unsupported pcap version ${major}.${minor}`);
    }
    this.littleEndian = le;
    this.nanosecond = magic === PCAP_MAGIC.NANO_LE || magic === PCAP_MAGIC.NANO_BE;
    this.fracPerSec = this.nanosecond ? NSEC_PER_SEC : USEC_PER_SEC;
    this.nsPerFrac = this.nanosecond ? 1 : NSEC_PER_USEC;
    this.snaplen = view.getUint32(pos + 16, le);
    this.linkType = view.getUint32(pos + 20, le) & LINKTYPE_MASK;
    this.capLimit = Math.min(MAX_RECORD_BYTES, Math.max(this.snaplen, LIBPCAP_MAX_SNAPLEN));
    this.headerDone = true;
  }

  private throwTooLarge(capLen: number, pos: number): never {
    const limit =
      capLen > MAX_RECORD_BYTES
        ? `the ${MAX_RECORD_BYTES}-byte limit`
        : `the snapshot length ${this.snaplen} (and libpcap's ${LIBPCAP_MAX_SNAPLEN})`;
    throw this.error(
      CaptureErrorCode.RECORD_TOO_LARGE,
      this.base + pos,
      `record captured length ${capLen} exceeds ${limit}`,
    );
  }
}
