/**
 * @module
 * One source's probes within one window, and what the scanner detector
 * concludes from them: how many destination addresses and services it
 * tried, the scan's shape, and which tool fingerprints its packets carry.
 *
 * Shapes, with the thresholds stated in `ScanThresholds`:
 * - horizontal: at least `minAddresses` addresses, at most `narrow` services
 *   (one port across a network, the worm and Internet-survey pattern);
 * - vertical: at least `minServices` services, at most `narrow` addresses
 *   (many ports of one host);
 * - mixed: wide or deep but neither of the above (block and strobe scans);
 * - none: below both thresholds, not a scan by this definition.
 */

import { formatIpv4, formatServiceKey, unpackCountry } from '../classify/index.js';
import { TOOL_RULES, type ToolName } from './fingerprint.js';
import { DistinctCounter } from './scanners-distinct.js';
import { TopKeys } from './scanners-top-keys.js';

export type ScanType = 'horizontal' | 'vertical' | 'mixed' | 'none';

export interface ScanThresholds {
  /** Destination addresses that make a scan wide (default 10). */
  minAddresses: number;
  /** Destination services (port/protocol) that make a scan deep (default 10). */
  minServices: number;
  /** At most this many of the other dimension for horizontal/vertical (default 2). */
  narrow: number;
  /** Matching packets a tool tag needs (default 2). */
  minToolPackets: number;
  /** Share of the source's probes that must match a tool (default 0.5). */
  minToolFraction: number;
}

export const DEFAULT_SCAN_THRESHOLDS: Readonly<ScanThresholds> = {
  minAddresses: 10,
  minServices: 10,
  narrow: 2,
  minToolPackets: 2,
  minToolFraction: 0.5,
};

export interface ToolEvidence {
  tool: ToolName;
  rule: string;
  /** Probes that matched the rule. */
  packets: number;
  /** `packets` / the source's probes. */
  fraction: number;
  /** Whether the evidence passed `minToolPackets` and `minToolFraction`. */
  tagged: boolean;
}

export interface ScannerSummary {
  source: string;
  sourceAddress: number;
  /** Packed country of the source (0 unknown) and its two-letter code. */
  country: number;
  countryCode: string;
  asn: number;
  /** The window (seconds since the epoch, end exclusive). */
  windowStart: number;
  windowEnd: number;
  firstSeen: number;
  lastSeen: number;
  packets: number;
  addresses: number;
  addressesExact: boolean;
  services: number;
  servicesExact: boolean;
  /** Most-probed services: `23/TCP`, `8/ICMP`. */
  topServices: Array<{ service: string; packets: number }>;
  scanType: ScanType;
  /** Tools whose evidence passed the thresholds. */
  tools: ToolName[];
  /** Every rule that matched at least one probe. */
  evidence: ToolEvidence[];
  why: string;
}

const TOP_SERVICES = 5;
const TOOL_COUNT = TOOL_RULES.length;

export class SourceState {
  readonly source: number;
  readonly window: number;
  readonly country: number;
  readonly asn: number;
  readonly firstSeen: number;
  lastSeen: number;
  packets = 0;
  readonly addresses = new DistinctCounter();
  readonly services = new DistinctCounter();
  readonly topServices = new TopKeys(TOP_SERVICES);
  /** Matching probes per `TOOL_RULES` entry; allocated on the first match (most sources have none). */
  toolPackets: number[] | null = null;

  constructor(init: { source: number; window: number; ts: number; country: number; asn: number }) {
    this.source = init.source;
    this.window = init.window;
    this.firstSeen = init.ts;
    this.lastSeen = init.ts;
    this.country = init.country;
    this.asn = init.asn;
  }

  add(ts: number, dst: number, service: number, tools: number): void {
    this.packets++;
    if (ts > this.lastSeen) this.lastSeen = ts;
    this.addresses.add(dst);
    this.services.add(service);
    this.topServices.add(service);
    if (tools !== 0) {
      const counts = (this.toolPackets ??= new Array<number>(TOOL_COUNT).fill(0));
      for (let t = 0; t < TOOL_COUNT; t++) if ((tools & (1 << t)) !== 0) counts[t]!++;
    }
  }
}

/** The shape of a scan over `addresses` and `services`. */
export function scanTypeOf(addresses: number, services: number, t: ScanThresholds): ScanType {
  const wide = addresses >= t.minAddresses;
  const deep = services >= t.minServices;
  if (wide && services <= t.narrow) return 'horizontal';
  if (deep && addresses <= t.narrow) return 'vertical';
  return wide || deep ? 'mixed' : 'none';
}

const SHAPE_RULE: Record<ScanType, (t: ScanThresholds) => string> = {
  horizontal: (t) => `horizontal: ≥ ${t.minAddresses} addresses and ≤ ${t.narrow} services`,
  vertical: (t) => `vertical: ≥ ${t.minServices} services and ≤ ${t.narrow} addresses`,
  mixed: (t) => `mixed: ≥ ${t.minAddresses} addresses or ≥ ${t.minServices} services, neither horizontal nor vertical`,
  none: (t) => `no scan: < ${t.minAddresses} addresses and < ${t.minServices} services`,
};

/** The summary of a closed source; null when it neither scanned nor carries a tool tag. */
export function summarizeSource(s: SourceState, context: { thresholds: ScanThresholds; windowSec: number }): ScannerSummary | null {
  const t = context.thresholds;
  const addresses = s.addresses.size;
  const services = s.services.size;
  const scanType = scanTypeOf(addresses, services, t);
  const evidence: ToolEvidence[] = [];
  TOOL_RULES.forEach((rule, k) => {
    const packets = s.toolPackets?.[k] ?? 0;
    if (packets === 0) return;
    const fraction = packets / s.packets;
    const tagged = packets >= t.minToolPackets && fraction >= t.minToolFraction;
    evidence.push({ tool: rule.name, rule: rule.rule, packets, fraction: Number(fraction.toFixed(4)), tagged });
  });
  const tools = evidence.filter((e) => e.tagged).map((e) => e.tool);
  if (scanType === 'none' && tools.length === 0) return null;
  const source = formatIpv4(s.source);
  const toolText = tools.length === 0 ? 'no tool fingerprint'
    : evidence.filter((e) => e.tagged).map((e) => `${e.tool} (${e.rule}: ${e.packets}/${s.packets} probes)`).join(', ');
  return {
    source,
    sourceAddress: s.source,
    country: s.country,
    countryCode: unpackCountry(s.country),
    asn: s.asn,
    windowStart: s.window * context.windowSec,
    windowEnd: (s.window + 1) * context.windowSec,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    packets: s.packets,
    addresses,
    addressesExact: s.addresses.exact,
    services,
    servicesExact: s.services.exact,
    topServices: s.topServices.top().map(({ key, count }) => ({ service: formatServiceKey(key), packets: count })),
    scanType,
    tools,
    evidence,
    why: `${source} sent ${s.packets} probes to ${addresses} addresses and ${services} services (${SHAPE_RULE[scanType](t)}); ${toolText}`,
  };
}
