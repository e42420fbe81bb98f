/**
 * @module
 * The one record type that leaves the capture stage: a framed packet with its
 * timestamp and link type, before any protocol is decoded.
 *
 * Readers reuse a single `RawRecord` object and a view into their current
 * chunk, so a sink must copy what it keeps before it returns.
 */

/** Link-layer header types (tcpdump.org LINKTYPE_* values as stored in files). */
export const LinkType = {
  NULL: 0,
  EN10MB: 1,
  /** OpenBSD's DLT_RAW value, also seen in files as 14. */
  RAW_DLT12: 12,
  RAW_DLT14: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  LINUX_SLL2: 276,
} as const;

/** Name of a link type for messages, e.g. `EN10MB (1)` or `unknown (147)`. */
export function linkTypeName(linkType: number): string {
  for (const [name, value] of Object.entries(LinkType)) {
    if (value === linkType) return `${name} (${linkType})`;
  }
  return `unknown (${linkType})`;
}

export interface RawRecord {
  /** Link type of the interface the packet was captured on. */
  linkType: number;
  /** Whole seconds since the Unix epoch. */
  tsSec: number;
  /** Nanoseconds within the second, 0..999,999,999. */
  tsNsec: number;
  /** Bytes present in the file (may be less than `wireLen` under a snaplen). */
  capLen: number;
  /** Length of the packet on the wire. */
  wireLen: number;
  /** The snapshot length the file states for the record's interface; 0 when it states none. */
  snapLen: number;
  /** Buffer holding the captured bytes at `data[offset .. offset + capLen)`. */
  data: Uint8Array;
  offset: number;
  /** Byte offset of the record's header in the (decompressed) capture stream. */
  fileOffset: number;
  /** pcapng interface id; 0 for classic pcap. */
  interfaceId: number;
}

/**
 * Receives each framed record; the record and its bytes are only valid during
 * the call. Returning `false` stops reading after this record (`--limit`).
 */
export type RecordSink = (record: RawRecord) => boolean | void;

export function newRawRecord(): RawRecord {
  return {
    linkType: 0,
    tsSec: 0,
    tsNsec: 0,
    capLen: 0,
    wireLen: 0,
    snapLen: 0,
    data: new Uint8Array(0),
    offset: 0,
    fileOffset: 0,
    interfaceId: 0,
  };
}
