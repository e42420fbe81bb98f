/**
 * @module
 * `DecodeStats`: what the decode stage saw, for `capinfo`-style summaries and
 * for checking that nothing was silently dropped.
 */

export interface DecodeStats {
  /** Packets decoded (every record pushed, whatever its status). */
  packets: number;
  /** Sum of captured lengths. */
  capturedBytes: number;
  /** Sum of on-the-wire lengths. */
  wireBytes: number;
  /** Packets per `DecodeStatus` code, indexed by code (names in `DECODE_STATUS_NAMES`). */
  byStatus: number[];
  /** Packets per link type (LINKTYPE_* value → count). */
  byLinkType: Map<number, number>;
  /** Non-first IP fragments (packets with `PacketFlag.FRAGMENT`). */
  fragments: number;
  /** Packets whose IPv4 header was decoded. */
  ipv4: number;
  /** Packets whose IPv6 header was decoded. */
  ipv6: number;
}
