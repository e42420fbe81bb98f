/**
 * @module
 * pcapng writer for test fixtures, the simulator and benchmarks: sections in
 * either byte order, interfaces with their own link type, snaplen,
 * `if_tsresol` and `if_tsoffset`, enhanced / simple / obsolete packet blocks,
 * and arbitrary blocks (to check that readers skip what they do not know).
 * Output and backpressure work as for `PcapWriter`.
 */
import { ChunkedOutput, type CaptureOutput } from './chunked-output.js';
import { checkPacket, type ByteOrder, type PacketToWrite } from './pcap-writer.js';
import {
  BLOCK_TRAILER_SIZE,
  BYTE_ORDER_MAGIC,
  BlockType,
  IDB_FIXED_SIZE,
  MIN_BLOCK_SIZE,
  OPTION_HEADER_SIZE,
  OptionCode,
  PACKET_BLOCK_DATA_OFFSET,
  PACKET_BLOCK_FIXED_SIZE,
  PCAPNG_VERSION_MAJOR,
  PCAPNG_VERSION_MINOR,
  SECTION_LENGTH_UNKNOWN,
  SHB_FIXED_SIZE,
  SPB_DATA_OFFSET,
  SPB_FIXED_SIZE,
  TSOFFSET_SIZE,
  pad4,
} from './pcapng-format.js';
import { DEFAULT_TS_RESOLUTION, TimeScale, resolutionToByte, type TsResolution } from './timestamp.js';

export interface PcapngSectionOptions {
  /** Default `'le'`. */
  byteOrder?: ByteOrder;
  /** Written as the `shb_userappl` option when given. */
  userAppl?: string;
}

export interface PcapngWriterOptions extends PcapngSectionOptions {
  /** Default: memory (use `toBuffer()`). */
  output?: CaptureOutput;
}

export interface PcapngInterfaceOptions {
  linkType: number;
  /** 0 (the default) means no limit. Longer packets are cut to it. */
  snaplen?: number;
  /** Written as `if_tsresol` when given; the default is microseconds. */
  tsResolution?: TsResolution;
  /** Written as `if_tsoffset` when non-zero: seconds readers add to every timestamp. */
  tsOffsetSec?: number;
  /** Written as `if_name` when given. */
  name?: string;
}

export type PacketBlockKind = 'enhanced' | 'simple' | 'obsolete';

export interface PcapngPacketToWrite extends PacketToWrite {
  /** Default `'enhanced'`. A simple block has no timestamp and is on interface 0. */
  block?: PacketBlockKind;
}

const TEXT = new TextEncoder();
const MAX_OPB_INTERFACE = 0xffff;
const TSRESOL_OPTION_LENGTH = 1;

export class PcapngWriter {
  private readonly out: ChunkedOutput;
  private littleEndian = true;
  private readonly ifSnaplen: number[] = [];
  private readonly ifScale: TimeScale[] = [];

  constructor(options: PcapngWriterOptions = {}) {
    this.out = new ChunkedOutput(options.output);
    this.startSection(options);
  }

  /** Bytes written so far, buffered ones included. */
  get bytesWritten(): number {
    return this.out.bytesWritten;
  }

  /** Begin a new section: new byte order, and no interfaces until added again. */
  startSection(options: PcapngSectionOptions = {}): void {
    this.littleEndian = (options.byteOrder ?? 'le') === 'le';
    this.ifSnaplen.length = 0;
    this.ifScale.length = 0;
    const appl = options.userAppl === undefined ? undefined : TEXT.encode(options.userAppl);
    const total = SHB_FIXED_SIZE + optionsSize(appl === undefined ? [] : [appl.length]);
    const at = this.begin(BlockType.SECTION_HEADER, total);
    const view = this.out.view;
    const le = this.littleEndian;
    view.setUint32(at + 8, BYTE_ORDER_MAGIC, le);
    view.setUint16(at + 12, PCAPNG_VERSION_MAJOR, le);
    view.setUint16(at + 14, PCAPNG_VERSION_MINOR, le);
    view.setBigInt64(at + 16, SECTION_LENGTH_UNKNOWN, le);
    let o = at + SHB_FIXED_SIZE - BLOCK_TRAILER_SIZE;
    if (appl !== undefined) o = this.option(o, OptionCode.SHB_USERAPPL, appl);
    this.endOptions(o, appl !== undefined);
    this.end(at, total);
  }

  /** Describe an interface of the current section; returns its id. */
  addInterface(options: PcapngInterfaceOptions): number {
    const snaplen = options.snaplen ?? 0;
    const offset = options.tsOffsetSec ?? 0;
    const scale = new TimeScale(options.tsResolution ?? DEFAULT_TS_RESOLUTION, offset);
    const name = options.name === undefined ? undefined : TEXT.encode(options.name);
    const resolByte = options.tsResolution === undefined ? undefined : resolutionToByte(options.tsResolution);
    if (!Number.isInteger(offset)) throw new RangeError(`Cannot write if_tsoffset: ${offset} is not whole seconds`);
    const sizes: number[] = [];
    if (name !== undefined) sizes.push(name.length);
    if (resolByte !== undefined) sizes.push(TSRESOL_OPTION_LENGTH);
    if (offset !== 0) sizes.push(TSOFFSET_SIZE);
    const total = IDB_FIXED_SIZE + optionsSize(sizes);
    const at = this.begin(BlockType.INTERFACE_DESCRIPTION, total);
    const view = this.out.view;
    const le = this.littleEndian;
    view.setUint16(at + 8, options.linkType, le);
    view.setUint16(at + 10, 0, le);
    view.setUint32(at + 12, snaplen, le);
    let o = at + IDB_FIXED_SIZE - BLOCK_TRAILER_SIZE;
    if (name !== undefined) o = this.option(o, OptionCode.IF_NAME, name);
    if (resolByte !== undefined) o = this.option(o, OptionCode.IF_TSRESOL, Uint8Array.of(resolByte));
    if (offset !== 0) {
      const value = new Uint8Array(TSOFFSET_SIZE);
      new DataView(value.buffer).setBigInt64(0, BigInt(offset), le);
      o = this.option(o, OptionCode.IF_TSOFFSET, value);
    }
    this.endOptions(o, sizes.length > 0);
    this.end(at, total);
    this.ifSnaplen.push(snaplen);
    this.ifScale.push(scale);
    return this.ifScale.length - 1;
  }

  /**
   * Append one packet as an enhanced (default), simple or obsolete packet
   * block, cut to its interface's snaplen. Returns `false` when a stream
   * output is full: await `drained()` before writing more.
   */
  writePacket(packet: PcapngPacketToWrite): boolean {
    const wireLen = checkPacket(packet);
    const ifId = packet.interfaceId ?? 0;
    const scale = this.ifScale[ifId];
    if (scale === undefined) {
      throw new RangeError(`Cannot write packet: interface ${ifId} not added (section has ${this.ifScale.length})`);
    }
    const snaplen = this.ifSnaplen[ifId] ?? 0;
    const bytes = packet.bytes;
    const capLen = snaplen > 0 ? Math.min(bytes.length, snaplen) : bytes.length;
    const kind = packet.block ?? 'enhanced';
    if (kind === 'simple') return this.simplePacket(ifId, packet.bytes, capLen, wireLen);
    if (kind === 'obsolete' && ifId > MAX_OPB_INTERFACE) {
      throw new RangeError(`Cannot write obsolete packet block: interface ${ifId} needs more than 16 bits`);
    }
    const total = PACKET_BLOCK_FIXED_SIZE + pad4(capLen);
    const type = kind === 'obsolete' ? BlockType.OBSOLETE_PACKET : BlockType.ENHANCED_PACKET;
    const at = this.begin(type, total);
    const view = this.out.view;
    const le = this.littleEndian;
    if (kind === 'obsolete') {
      view.setUint16(at + 8, ifId, le);
      view.setUint16(at + 10, 0, le); // drops count
    } else {
      view.setUint32(at + 8, ifId, le);
    }
    scale.fromTime(packet.tsSec, packet.tsNsec);
    view.setUint32(at + 12, scale.hi, le);
    view.setUint32(at + 16, scale.lo, le);
    view.setUint32(at + 20, capLen, le);
    view.setUint32(at + 24, wireLen, le);
    this.data(at + PACKET_BLOCK_DATA_OFFSET, bytes, capLen);
    this.end(at, total);
    return !this.out.needsDrain;
  }

  /** Append a block of any type with the given body (padded to 4 bytes). */
  writeBlock(type: number, body: Uint8Array): boolean {
    const total = MIN_BLOCK_SIZE + pad4(body.length);
    const at = this.begin(type, total);
    this.data(at + MIN_BLOCK_SIZE - BLOCK_TRAILER_SIZE, body, body.length);
    this.end(at, total);
    return !this.out.needsDrain;
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

  private simplePacket(ifId: number, bytes: Uint8Array, capLen: number, wireLen: number): boolean {
    if (ifId !== 0) throw new RangeError(`Cannot write simple packet block on interface ${ifId}: it implies 0`);
    // Readers derive the captured length as min(original length, snaplen): it must agree.
    const snaplen = this.ifSnaplen[0] ?? 0;
    const implied = snaplen > 0 ? Math.min(wireLen, snaplen) : wireLen;
    if (capLen !== implied) {
      throw new RangeError(
        `Cannot write simple packet block: ${capLen} captured bytes but original length ${wireLen} and snaplen ${snaplen} imply ${implied}`,
      );
    }
    const total = SPB_FIXED_SIZE + pad4(capLen);
    const at = this.begin(BlockType.SIMPLE_PACKET, total);
    const view = this.out.view;
    view.setUint32(at + 8, wireLen, this.littleEndian);
    this.data(at + SPB_DATA_OFFSET, bytes, capLen);
    this.end(at, total);
    return !this.out.needsDrain;
  }

  /** Reserve a whole block and write its type and leading length. */
  private begin(type: number, total: number): number {
    const at = this.out.reserve(total);
    const view = this.out.view;
    view.setUint32(at, type, this.littleEndian);
    view.setUint32(at + 4, total, this.littleEndian);
    return at;
  }

  private end(at: number, total: number): void {
    this.out.view.setUint32(at + total - BLOCK_TRAILER_SIZE, total, this.littleEndian);
  }

  /** Copy `length` bytes and zero the padding (the buffer may be reused). */
  private data(at: number, bytes: Uint8Array, length: number): void {
    const buf = this.out.buf;
    buf.set(length === bytes.length ? bytes : bytes.subarray(0, length), at);
    buf.fill(0, at + length, at + pad4(length));
  }

  private option(at: number, code: number, value: Uint8Array): number {
    const view = this.out.view;
    view.setUint16(at, code, this.littleEndian);
    view.setUint16(at + 2, value.length, this.littleEndian);
    this.data(at + OPTION_HEADER_SIZE, value, value.length);
    return at + OPTION_HEADER_SIZE + pad4(value.length);
  }

  private endOptions(at: number, any: boolean): void {
    if (any) this.out.view.setUint32(at, 0, this.littleEndian); // opt_endofopt, length 0
  }
}

/** Bytes taken by options of the given value lengths, with opt_endofopt if any. */
function optionsSize(valueLengths: number[]): number {
  if (valueLengths.length === 0) return 0;
  let size = OPTION_HEADER_SIZE;
  for (const length of valueLengths) size += OPTION_HEADER_SIZE + pad4(length);
  return size;
}
