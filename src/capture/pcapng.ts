/**
 * @module
 * Push framer for pcapng: sections in either byte order (each section header
 * resets the interfaces and the byte order), interface descriptions with
 * `if_tsresol` and `if_tsoffset`, enhanced, simple and obsolete packet blocks.
 * Other block types are checked for a sane length and skipped.
 */
import { CaptureErrorCode } from './errors.js';
import { Framer, MAX_RECORD_BYTES } from './framer.js';
import {
  BLOCK_TRAILER_SIZE,
  BYTE_ORDER_MAGIC,
  BYTE_ORDER_MAGIC_SWAPPED,
  BlockType,
  IDB_FIXED_SIZE,
  MIN_BLOCK_SIZE,
  OPTION_HEADER_SIZE,
  OptionCode,
  PACKET_BLOCK_DATA_OFFSET,
  PACKET_BLOCK_FIXED_SIZE,
  PCAPNG_VERSION_MAJOR,
  SHB_FIXED_SIZE,
  SPB_DATA_OFFSET,
  SPB_FIXED_SIZE,
  TSOFFSET_SIZE,
  blockTypeName,
  pad4,
} from './pcapng-format.js';
import type { RecordSink } from './record.js';
import { DEFAULT_TS_RESOLUTION, TimeScale, resolutionFromByte, type TsResolution } from './timestamp.js';

/** True when the first four bytes are a pcapng section header block type. */
export function isPcapngMagic(magicLe: number): boolean {
  return magicLe === BlockType.SECTION_HEADER;
}

export class PcapngFramer extends Framer {
  /** Number of section header blocks framed so far. */
  sections = 0;
  /** Byte order of the current section. */
  private littleEndian = true;
  /** Type and byte order of the block last measured (a section header brings its own order). */
  private blockType = 0;
  private blockLittleEndian = true;
  /** Per-interface state of the current section, indexed by interface id. */
  private readonly ifLinkType: number[] = [];
  private readonly ifSnaplen: number[] = [];
  private readonly ifScale: TimeScale[] = [];

  constructor(sink: RecordSink, options: { fileName: string }) {
    super(sink, options.fileName);
  }

  protected headerSize(): number {
    // Type, length and (for a section header) the byte-order magic; every valid block has them.
    return MIN_BLOCK_SIZE;
  }

  protected headerName(): string {
    return 'block header';
  }

  protected measure(view: DataView, off: number): number {
    const rawType = view.getUint32(off, true);
    let le = this.littleEndian;
    if (rawType === BlockType.SECTION_HEADER) {
      const bom = view.getUint32(off + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === BYTE_ORDER_MAGIC_SWAPPED) le = false;
      else {
        const hex = bom.toString(16).padStart(8, '0');
        throw this.error(CaptureErrorCode.BAD_MAGIC, this.base + off + 8, `bad pcapng byte-order magic 0x${hex}`);
      }
    } else if (this.sections === 0) {
      const hex = rawType.toString(16).padStart(8, '0');
      throw this.error(
        CaptureErrorCode.BAD_MAGIC,
        this.base + off,
        `not a pcapng file: the first block has type 0x${hex}, not a section header`,
      );
    }
    const total = view.getUint32(off + 4, le);
    if (total > MAX_RECORD_BYTES) {
      throw this.error(
        CaptureErrorCode.RECORD_TOO_LARGE,
        this.base + off,
        `block length ${total} exceeds the ${MAX_RECORD_BYTES}-byte limit`,
      );
    }
    if (total < MIN_BLOCK_SIZE || total % 4 !== 0) {
      throw this.error(
        CaptureErrorCode.BAD_BLOCK,
        this.base + off,
        `block length ${total} is not a multiple of 4 of at least ${MIN_BLOCK_SIZE}`,
      );
    }
    this.blockType = le ? rawType : view.getUint32(off, false);
    this.blockLittleEndian = le;
    return total;
  }

  protected frame(view: DataView, bytes: Uint8Array, pos: number, end: number): number {
    while (end - pos >= MIN_BLOCK_SIZE) {
      // Fast path for the usual block: read type and length in the section's
      // byte order; measure() handles section headers and reports bad lengths.
      const le = this.littleEndian;
      const type = view.getUint32(pos, le);
      let total = view.getUint32(pos + 4, le);
      if (
        type === BlockType.SECTION_HEADER ||
        this.sections === 0 ||
        total < MIN_BLOCK_SIZE ||
        total > MAX_RECORD_BYTES ||
        (total & 3) !== 0
      ) {
        total = this.measure(view, pos);
      } else {
        this.blockType = type;
        this.blockLittleEndian = le;
      }
      if (end - pos < total) break;
      const trailing = view.getUint32(pos + total - BLOCK_TRAILER_SIZE, this.blockLittleEndian);
      if (trailing !== total) {
        throw this.error(
          CaptureErrorCode.BAD_BLOCK,
          this.base + pos + total - BLOCK_TRAILER_SIZE,
          `trailing block length ${trailing} does not match the leading ${total}`,
        );
      }
      let more = true;
      switch (this.blockType) {
        case BlockType.ENHANCED_PACKET:
        case BlockType.OBSOLETE_PACKET:
          more = this.packetBlock(view, bytes, pos, total);
          break;
        case BlockType.SIMPLE_PACKET:
          more = this.simplePacketBlock(view, bytes, pos, total);
          break;
        case BlockType.INTERFACE_DESCRIPTION:
          this.interfaceBlock(view, pos, total);
          break;
        case BlockType.SECTION_HEADER:
          this.sectionHeader(view, pos, total);
          break;
        default:
          break; // Statistics, name resolution, custom and unknown blocks carry no packets.
      }
      pos += total;
      if (!more) break;
    }
    return pos;
  }

  /** Enhanced (type 6) and obsolete (type 2) packet blocks. */
  private packetBlock(view: DataView, bytes: Uint8Array, pos: number, total: number): boolean {
    this.requireSize(total, PACKET_BLOCK_FIXED_SIZE, pos);
    const le = this.littleEndian;
    const enhanced = this.blockType === BlockType.ENHANCED_PACKET;
    const ifId = enhanced ? view.getUint32(pos + 8, le) : view.getUint16(pos + 8, le);
    const scale = this.ifScale[ifId];
    if (scale === undefined) {
      throw this.error(
        CaptureErrorCode.BAD_BLOCK,
        this.base + pos + 8,
        `${blockTypeName(this.blockType)} refers to interface ${ifId} but the section has ${this.ifScale.length}`,
      );
    }
    const capLen = view.getUint32(pos + 20, le);
    if (capLen > total - PACKET_BLOCK_FIXED_SIZE) {
      throw this.error(
        CaptureErrorCode.BAD_BLOCK,
        this.base + pos + 20,
        `captured length ${capLen} exceeds the ${total}-byte ${blockTypeName(this.blockType)}`,
      );
    }
    const rec = this.record;
    scale.toTime(view.getUint32(pos + 12, le), view.getUint32(pos + 16, le), rec);
    rec.linkType = this.ifLinkType[ifId] ?? 0;
    rec.capLen = capLen;
    rec.wireLen = view.getUint32(pos + 24, le);
    rec.snapLen = this.ifSnaplen[ifId] ?? 0;
    rec.data = bytes;
    rec.offset = pos + PACKET_BLOCK_DATA_OFFSET;
    rec.fileOffset = this.base + pos;
    rec.interfaceId = ifId;
    return this.emit();
  }

  /** Simple packet block: interface 0, no timestamp, length derived from the snaplen. */
  private simplePacketBlock(view: DataView, bytes: Uint8Array, pos: number, total: number): boolean {
    this.requireSize(total, SPB_FIXED_SIZE, pos);
    if (this.ifScale.length === 0) {
      throw this.error(CaptureErrorCode.BAD_BLOCK, this.base + pos, 'simple packet block before any interface');
    }
    const wireLen = view.getUint32(pos + 8, this.littleEndian);
    const snaplen = this.ifSnaplen[0] ?? 0;
    let capLen = Math.min(wireLen, total - SPB_FIXED_SIZE);
    if (snaplen > 0 && snaplen < capLen) capLen = snaplen;
    const rec = this.record;
    rec.linkType = this.ifLinkType[0] ?? 0;
    rec.tsSec = 0;
    rec.tsNsec = 0;
    rec.capLen = capLen;
    rec.wireLen = wireLen;
    rec.snapLen = snaplen;
    rec.data = bytes;
    rec.offset = pos + SPB_DATA_OFFSET;
    rec.fileOffset = this.base + pos;
    rec.interfaceId = 0;
    return this.emit();
  }

  private interfaceBlock(view: DataView, pos: number, total: number): void {
    this.requireSize(total, IDB_FIXED_SIZE, pos);
    const le = this.littleEndian;
    let resolution: TsResolution = DEFAULT_TS_RESOLUTION;
    let offsetSec = 0;
    const end = pos + total - BLOCK_TRAILER_SIZE;
    let o = pos + IDB_FIXED_SIZE - BLOCK_TRAILER_SIZE;
    while (end - o >= OPTION_HEADER_SIZE) {
      const code = view.getUint16(o, le);
      const length = view.getUint16(o + 2, le);
      if (code === OptionCode.END_OF_OPTIONS) break;
      if (o + OPTION_HEADER_SIZE + length > end) {
        throw this.error(
          CaptureErrorCode.BAD_BLOCK,
          this.base + o,
          `interface option ${code} of length ${length} runs past the end of its block`,
        );
      }
      if (code === OptionCode.IF_TSRESOL && length >= 1) {
        resolution = resolutionFromByte(view.getUint8(o + OPTION_HEADER_SIZE));
      } else if (code === OptionCode.IF_TSOFFSET && length >= TSOFFSET_SIZE) {
        offsetSec = Number(view.getBigInt64(o + OPTION_HEADER_SIZE, le));
      }
      o += OPTION_HEADER_SIZE + pad4(length);
    }
    this.ifLinkType.push(view.getUint16(pos + 8, le));
    this.ifSnaplen.push(view.getUint32(pos + 12, le));
    this.ifScale.push(new TimeScale(resolution, offsetSec));
  }

  private sectionHeader(view: DataView, pos: number, total: number): void {
    this.requireSize(total, SHB_FIXED_SIZE, pos);
    const le = this.blockLittleEndian;
    const major = view.getUint16(pos + 12, le);
    const minor = view.getUint16(pos + 14, le);
    if (major !== PCAPNG_VERSION_MAJOR) {
      throw this.error(
        CaptureErrorCode.BAD_BLOCK,
        this.base + pos + 12,
        `unsupported pcapng version ${major}.${minor}`,
      );
    }
    this.littleEndian = le;
    this.sections++;
    this.ifLinkType.length = 0;
    this.ifSnaplen.length = 0;
    this.ifScale.length = 0;
  }

  private requireSize(total: number, min: number, pos: number): void {
    if (total < min) {
      throw this.error(
        CaptureErrorCode.BAD_BLOCK,
        this.base + pos,
        `${blockTypeName(this.blockType)} of ${total} bytes is shorter than its fixed ${min}`,
      );
    }
  }
}
