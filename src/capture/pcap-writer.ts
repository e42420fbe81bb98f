/**
 * @module
 * Classic pcap writer for test fixtures, the traffic simulator and benchmarks.
 * Either byte order, microsecond or nanosecond magic; output to memory, a
 * file or a stream (see `chunked-output.ts` for how backpressure works).
 */
import { ChunkedOutput, type CaptureOutput } from './chunked-output.js';
import { PCAP_FILE_HEADER_SIZE, PCAP_MAGIC, PCAP_RECORD_HEADER_SIZE } from './pcap.js';

export type ByteOrder = 'le' | 'be';

/** One packet to write. `wireLen` above `bytes.length` models snaplen truncation. */
export interface PacketToWrite {
  /** pcapng interface id; must be 0 (or absent) for classic pcap. */
  interfaceId?: number;
  tsSec: number;
  tsNsec: number;
  bytes: Uint8Array;
  /** Length on the wire; defaults to `bytes.length`. */
  wireLen?: number;
}

export interface PcapWriterOptions {
  linkType: number;
  /** Default `'le'`. */
  byteOrder?: ByteOrder;
  /** Nanosecond magic `a1b23c4d` instead of microseconds. Default false. */
  nanosecond?: boolean;
  /** Written to the header; longer packets are cut to it. Default 262144. */
  snaplen?: number;
  /** Default: memory (use `toBuffer()`). */
  output?: CaptureOutput;
}

const DEFAULT_SNAPLEN = 262_144;
const VERSION_MAJOR = 2;
const VERSION_MINOR = 4;
const NS_PER_SEC = 1_000_000_000;
const NS_PER_USEC = 1_000;
const TWO_32 = 0x1_0000_0000;

/** Check a packet's timestamp and lengths; returns the wire length. */
export function checkPacket(packet: PacketToWrite): number {
  const { tsSec, tsNsec, bytes } = packet;
  if (!Number.isInteger(tsSec) || tsSec < 0 || tsSec >= TWO_32) {
    throw new RangeError(`Cannot write packet: seconds ${tsSec} outside 0..2^32-1`);
  }
  if (!Number.isInteger(tsNsec) || tsNsec < 0 || tsNsec >= NS_PER_SEC) {
    throw new RangeError(`Cannot write packet: nanoseconds ${tsNsec} outside 0..999999999`);
  }
  const wireLen = packet.wireLen ?? bytes.length;
  if (!Number.isInteger(wireLen) || wireLen < bytes.length || wireLen >= TWO_32) {
    throw new RangeError(`Cannot write packet: wire length ${wireLen} is below the ${bytes.length} bytes given`);
  }
  return wireLen;
}

export class PcapWriter {
  readonly linkType: number;
  readonly littleEndian: boolean;
  readonly nanosecond: boolean;
  readonly snaplen: number;
  private readonly out: ChunkedOutput;

  constructor(options: PcapWriterOptions) {
    this.linkType = options.linkType;
    this.littleEndian = (options.byteOrder ?? 'le') === 'le';
    this.nanosecond = options.nanosecond ?? false;
    this.snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
    if (!Number.isInteger(this.snaplen) || this.snaplen <= 0 || this.snaplen >= TWO_32) {
      throw new RangeError(`Cannot write pcap: snaplen ${this.snaplen} outside 1..2^32-1`);
    }
    this.out = new ChunkedOutput(options.output);
    this.writeFileHeader();
  }

  /** Bytes written so far, buffered ones included. */
  get bytesWritten(): number {
    return this.out.bytesWritten;
  }

  /**
   * Append one packet, cut to the snaplen. Returns `false` when a stream
   * output is full: await `drained()` before writing more.
   */
  writePacket(packet: PacketToWrite): boolean {
    if ((packet.interfaceId ?? 0) !== 0) {
      throw new RangeError(`Cannot write pcap packet: interface ${packet.interfaceId} (classic pcap has only 0)`);
    }
    const wireLen = checkPacket(packet);
    const { bytes } = packet;
    const capLen = Math.min(bytes.length, this.snaplen);
    const out = this.out;
    const at = out.reserve(PCAP_RECORD_HEADER_SIZE + capLen);
    const view = out.view;
    const le = this.littleEndian;
    const frac = this.nanosecond ? packet.tsNsec : Math.floor(packet.tsNsec / NS_PER_USEC);
    view.setUint32(at, packet.tsSec, le);
    view.setUint32(at + 4, frac, le);
    view.setUint32(at + 8, capLen, le);
    view.setUint32(at + 12, wireLen, le);
    out.buf.set(capLen === bytes.length ? bytes : bytes.subarray(0, capLen), at + PCAP_RECORD_HEADER_SIZE);
    return !out.needsDrain;
  }

  drained(): Promise<void> {
    return this.out.drained();
  }

  /** Everything written so far (memory output only). */
  toBuffer(): Buffer {
    return this.out.toBuffer();
  }

  close(): Promise<void> {
    return this.out.close();
  }

  private writeFileHeader(): void {
    const at = this.out.reserve(PCAP_FILE_HEADER_SIZE);
    const view = this.out.view;
    const le = this.littleEndian;
    // The magic is written in the file's own byte order; readers tell the order from it.
    view.setUint32(at, this.nanosecond ? PCAP_MAGIC.NANO_LE : PCAP_MAGIC.MICRO_LE, le);
    view.setUint16(at + 4, VERSION_MAJOR, le);
    view.setUint16(at + 6, VERSION_MINOR, le);
    view.setInt32(at + 8, 0, le); // thiszone: always UTC
    view.setUint32(at + 12, 0, le); // sigfigs: always 0
    view.setUint32(at + 16, this.snaplen, le);
    view.setUint32(at + 20, this.linkType, le);
  }
}
