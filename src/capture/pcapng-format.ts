/**
 * @module
 * pcapng wire constants shared by the reader and the writer
 * (draft-ietf-opsawg-pcapng: block types, option codes, fixed sizes).
 */

/** Block type codes. The section header's is a palindrome, readable in either byte order. */
export const BlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x0000_0001,
  /** Obsolete Packet Block: like EPB with a 16-bit interface id and a drops count. */
  OBSOLETE_PACKET: 0x0000_0002,
  SIMPLE_PACKET: 0x0000_0003,
  NAME_RESOLUTION: 0x0000_0004,
  INTERFACE_STATISTICS: 0x0000_0005,
  ENHANCED_PACKET: 0x0000_0006,
} as const;

/** The section header's byte-order magic as written by the section's own byte order. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The same magic seen through the other byte order. */
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
export const PCAPNG_VERSION_MAJOR = 1;
export const PCAPNG_VERSION_MINOR = 0;

export const OptionCode = {
  END_OF_OPTIONS: 0,
  SHB_USERAPPL: 4,
  IF_NAME: 2,
  IF_TSRESOL: 9,
  IF_TSOFFSET: 14,
} as const;

/** Block type and total length before the body, total length again after it. */
const BLOCK_HEADER_SIZE = 8;
export const BLOCK_TRAILER_SIZE = 4;
export const MIN_BLOCK_SIZE = BLOCK_HEADER_SIZE + BLOCK_TRAILER_SIZE;
export const OPTION_HEADER_SIZE = 4;
export const TSOFFSET_SIZE = 8;

/** Fixed part of each block, header and trailer included. */
export const SHB_FIXED_SIZE = 28;
export const IDB_FIXED_SIZE = 20;
/** EPB and OPB share a layout: 20 bytes of fields after the block header. */
export const PACKET_BLOCK_FIXED_SIZE = 32;
export const PACKET_BLOCK_DATA_OFFSET = 28;
export const SPB_FIXED_SIZE = 16;
export const SPB_DATA_OFFSET = 12;
/** A section length of -1 means "not specified". */
export const SECTION_LENGTH_UNKNOWN = -1n;

/** Round up to the 32-bit boundary every pcapng field is padded to. */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Name of a block type for messages. */
export function blockTypeName(type: number): string {
  switch (type) {
    case BlockType.SECTION_HEADER:
      return 'section header block';
    case BlockType.INTERFACE_DESCRIPTION:
      return 'interface description block';
    case BlockType.OBSOLETE_PACKET:
      return 'obsolete packet block';
    case BlockType.SIMPLE_PACKET:
      return 'simple packet block';
    case BlockType.ENHANCED_PACKET:
      return 'enhanced packet block';
    default:
      return `block of type 0x${type.toString(16).padStart(8, '0')}`;
  }
}
