/**
 * @module
 * TCP flag classes: the coarse flag combinations the reports count (SYN scans,
 * SYN/ACK and RST/ACK backscatter, …). One uint8 per packet, looked up in a
 * 512-entry table indexed by the 9 TCP flag bits, so the fill loop is a load.
 *
 * Only SYN, ACK, RST and FIN decide the class; PSH, URG, ECE, CWR and NS are
 * ignored (an ECN-setup SYN with ECE|CWR is still a SYN, PSH/ACK is an ACK).
 */

import { IpProto, PacketFlag, TcpFlag, type PacketBatch } from '../decode/index.js';
import { transportKnown } from './transport-known.js';

export const FlagClass = {
  /** Not a decoded TCP segment (other protocol, fragment, undecoded). */
  NONE: 0,
  /** SYN without ACK, RST, FIN. */
  SYN: 1,
  /** SYN and ACK, without RST, FIN. */
  SYN_ACK: 2,
  /** RST without ACK, SYN, FIN. */
  RST: 3,
  /** RST and ACK, without SYN, FIN. */
  RST_ACK: 4,
  /** ACK without SYN, RST, FIN (PSH/URG allowed). */
  ACK: 5,
  /** FIN without SYN and RST, whatever else is set (FIN, FIN/ACK, Xmas). */
  FIN: 6,
  /** Anything else: no flags (NULL scan), SYN+FIN, SYN+RST, RST+FIN. */
  OTHER: 7,
} as const;
export type FlagClassCode = (typeof FlagClass)[keyof typeof FlagClass];

/** Display names indexed by code. */
export const FLAG_CLASS_NAMES: readonly string[] = ['NONE', 'SYN', 'SYN/ACK', 'RST', 'RST/ACK', 'ACK', 'FIN', 'OTHER'];

const TCP_FLAG_BITS = 9;
const TCP_FLAG_MASK = (1 << TCP_FLAG_BITS) - 1;

function classify(flags: number): FlagClassCode {
  const syn = (flags & TcpFlag.SYN) !== 0;
  const ack = (flags & TcpFlag.ACK) !== 0;
  const rst = (flags & TcpFlag.RST) !== 0;
  const fin = (flags & TcpFlag.FIN) !== 0;
  if (syn && !rst && !fin) return ack ? FlagClass.SYN_ACK : FlagClass.SYN;
  if (rst && !syn && !fin) return ack ? FlagClass.RST_ACK : FlagClass.RST;
  if (fin && !syn && !rst) return FlagClass.FIN;
  if (ack && !syn && !rst && !fin) return FlagClass.ACK;
  return FlagClass.OTHER;
}

const FLAG_CLASS_TABLE = new Uint8Array(1 << TCP_FLAG_BITS);
for (let flags = 0; flags < FLAG_CLASS_TABLE.length; flags++) FLAG_CLASS_TABLE[flags] = classify(flags);

/** Class of a TCP segment with `flags` (the `tcpFlags` column value). */
export function flagClassOf(tcpFlags: number): FlagClassCode {
  return FLAG_CLASS_TABLE[tcpFlags & TCP_FLAG_MASK] as FlagClassCode;
}

/**
 * Fill `out[i]` for packets `[0, batch.length)`: the TCP flag class, or NONE
 * for non-TCP packets, non-first fragments and segments whose flags are not
 * known (`transport-known.ts`).
 */
export function fillFlagClasses(batch: PacketBatch, out: Uint8Array): void {
  const n = batch.length;
  if (out.length < n) throw new RangeError(`Cannot fill flag classes: column holds ${out.length} of ${n} packets`);
  const { ipVersion, pflags, proto, tcpFlags } = batch;
  for (let i = 0; i < n; i++) {
    const isTcp =
      proto[i] === IpProto.TCP &&
      ipVersion[i] !== 0 &&
      (pflags[i]! & PacketFlag.FRAGMENT) === 0 &&
      transportKnown(batch, i);
    out[i] = isTcp ? FLAG_CLASS_TABLE[tcpFlags[i]! & TCP_FLAG_MASK]! : FlagClass.NONE;
  }
}
