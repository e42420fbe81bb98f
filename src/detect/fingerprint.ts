/**
 * @module
 * Scanner tool fingerprints: header values that a tool writes the same way
 * into every probe, so one packet can be matched without state. Each rule is
 * a fact of the tool's source code, checked against real packets of the
 * Debian builds (test/detect/netns.test.ts):
 *
 * - ZMap: IP identification is the constant 54321 (`packet.c` sets
 *   `htons(54321)`); ZMap 2.1.1 also sends window 65535 and TTL 255.
 * - Masscan: IP identification = (destination address ^ destination port ^
 *   TCP sequence) & 0xffff, the `ip_id = ip_them ^ port_them ^ seqno` of
 *   `template_set_target` cut to 16 bits. The TCP templates only: a UDP
 *   probe's seqno is a cookie that is not in the packet.
 * - Mirai: the TCP sequence number of its SYN is the destination address
 *   (`tcph->seq = iph->daddr` in its scanner).
 * - Nmap SYN scan: window 1024, 2048, 3072 or 4096, a 24-byte TCP header
 *   whose only option is MSS, and no payload. When a short snaplen cut the
 *   options off, the header length alone stands in for the layout.
 *
 * Chance matches are rare but real: a random IP ID is 54321, or equals the
 * masscan value, once in 65,536 packets; a source is tagged only when a
 * share of its packets matches (`scanners.ts`).
 */

import { FlagClass, PacketClass, type EnrichedBatch } from '../classify/index.js';
import { DecodeStatus, IpProto } from '../decode/index.js';

export const Tool = {
  ZMAP: 1 << 0,
  MASSCAN: 1 << 1,
  MIRAI: 1 << 2,
  NMAP: 1 << 3,
} as const;
export type ToolBit = (typeof Tool)[keyof typeof Tool];

export interface ToolRule {
  bit: ToolBit;
  name: 'zmap' | 'masscan' | 'mirai' | 'nmap';
  /** The rule in words, for the report's "why". */
  rule: string;
}

export const TOOL_RULES: readonly ToolRule[] = [
  { bit: Tool.ZMAP, name: 'zmap', rule: 'IP ID is 54321' },
  { bit: Tool.MASSCAN, name: 'masscan', rule: 'IP ID = (dst address ^ dst port ^ TCP seq) & 0xffff' },
  { bit: Tool.MIRAI, name: 'mirai', rule: 'TCP seq = dst address' },
  { bit: Tool.NMAP, name: 'nmap', rule: 'SYN, window 1024/2048/3072/4096, only TCP option MSS, no payload' },
];
export type ToolName = ToolRule['name'];

export const ZMAP_IP_ID = 54321;
const UINT16_MASK = 0xffff;
const NMAP_WINDOW_STEP = 1024;
const NMAP_MAX_WINDOW = 4096;
const TCP_FIXED_HEADER = 20;
/** A 20-byte header plus one 4-byte MSS option. */
const NMAP_HEADER_LENGTH = 24;
const TCP_OPTION_MSS = 2;
const MSS_OPTION_LENGTH = 4;

/** Whether window `win` is one of Nmap's SYN scan windows. */
function nmapWindow(win: number): boolean {
  return win !== 0 && win <= NMAP_MAX_WINDOW && win % NMAP_WINDOW_STEP === 0;
}

/**
 * The `Tool` bits that packet `i` matches; 0 for none. Only IPv4 probes
 * (`PacketClass.PROBE`) are looked at: answers and errors carry the
 * answering host's values, not a scanner's.
 */
export function fingerprintOf(enriched: EnrichedBatch, i: number): number {
  const { batch } = enriched;
  if (enriched.packetClass[i] !== PacketClass.PROBE || batch.ipVersion[i] !== 4) return 0;
  let bits = 0;
  const ipId = batch.ipId[i]!;
  if (ipId === ZMAP_IP_ID) bits |= Tool.ZMAP;
  if (batch.proto[i] !== IpProto.TCP || enriched.flagClass[i] !== FlagClass.SYN) return bits;
  const dst = batch.dst4[i]!;
  const seq = batch.tcpSeq[i]!;
  if (ipId === ((dst ^ batch.dport[i]! ^ seq) & UINT16_MASK)) bits |= Tool.MASSCAN;
  if (seq === dst) bits |= Tool.MIRAI;
  if (nmapWindow(batch.tcpWin[i]!) && batch.tcpHdrLen[i] === NMAP_HEADER_LENGTH && nmapOptions(enriched, i))
    bits |= Tool.NMAP;
  return bits;
}

/** MSS as the only option and no payload; true when a snaplen cut left the options unknown. */
function nmapOptions(enriched: EnrichedBatch, i: number): boolean {
  const { batch } = enriched;
  if (batch.status[i] !== DecodeStatus.OK) return true;
  if (batch.payloadLen[i] !== 0) return false;
  const options = batch.payloadOff[i]! - NMAP_HEADER_LENGTH + TCP_FIXED_HEADER;
  return batch.data[options] === TCP_OPTION_MSS && batch.data[options + 1] === MSS_OPTION_LENGTH;
}

/** Names of the tools in `bits`, in `TOOL_RULES` order. */
export function toolNames(bits: number): ToolName[] {
  return TOOL_RULES.filter((t) => (bits & t.bit) !== 0).map((t) => t.name);
}
