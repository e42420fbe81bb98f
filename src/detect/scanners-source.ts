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

import { formatServiceKey, unpackCountry } from '../classify/index.js';
import { TOOL_RULES, type ToolName } from './fingerprint.js';
import { DistinctCounter } from './scanners-distinct.js';
import { SERVICE_TALLY_LIMIT, ServiceTally } from './scanners-service-tally.js';
import { formatIpv4 } from '../util/ip-address.js';

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
  /** Most-probed services (`23/TCP`, `8/ICMP`), exact; empty past 256 services (`topServicesWithheld`). */
  topServices: Array<{ service: string; packets: number }>;
  /** True when the source probed more than 256 services: per-service counts are not kept then. */
  topServicesWithheld: boolean;
  /** Packets and addresses per sensor, by sensor id. */
  sensors: ScannerSensor[];
  scanType: ScanType;
  /** Tools whose evidence passed the thresholds. */
  tools: ToolName[];
  /** Every rule that matched at least one probe. */
  evidence: ToolEvidence[];
  why: string;
}

/** Services listed per scanner. */
const TOP_SERVICES = 5;
const TOOL_COUNT = TOOL_RULES.length;

/**
 * One source's probes within one window as they arrive: a piece of scanner
 * evidence (`scanner-evidence.ts`). The country and ASN are the earliest
 * probe's (ties: the lowest), so pieces merge to what one pass would give.
 * The detector keeps the current window's sources in columns instead
 * (`scanners-open.ts`, which must write what this writes); this holds
 * probes of earlier windows that arrive late.
 */
export class SourceState {
  readonly source: number;
  /** Window index (start / window length). */
  readonly window: number;
  country: number;
  asn: number;
  firstSeen: number;
  lastSeen: number;
  packets = 0;
  readonly addresses = new DistinctCounter();
  readonly services = new ServiceTally();
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

  add(ts: number, dst: number, service: number, tools: number, origin: { country: number; asn: number }): void {
    this.packets++;
    if (ts > this.lastSeen) this.lastSeen = ts;
    if (ts <= this.firstSeen) takeEarliest(this, ts, origin.country, origin.asn);
    this.addresses.add(dst);
    this.services.add(service);
    if (tools !== 0) {
      const counts = (this.toolPackets ??= new Array<number>(TOOL_COUNT).fill(0));
      for (let t = 0; t < TOOL_COUNT; t++) if ((tools & (1 << t)) !== 0) counts[t]!++;
    }
  }
}

/**
 * Takes a first probe (or a piece's first probe) at `ts` ≤ `figures.firstSeen`:
 * the earliest probe names the origin, the lowest country then ASN on a tie,
 * so any split of the probes gives the same origin.
 */
export function takeEarliest(
  figures: { firstSeen: number; country: number; asn: number },
  ts: number,
  country: number,
  asn: number,
): void {
  if (ts < figures.firstSeen || country < figures.country || (country === figures.country && asn < figures.asn)) {
    figures.country = country;
    figures.asn = asn;
  }
  figures.firstSeen = ts;
}

/** A scanner's packets and addresses seen by one sensor. */
export interface ScannerSensor {
  sensorId: number;
  packets: number;
  addresses: number;
}

/** Everything a source-window's summary is made of (merged evidence, or one state). */
export interface SourceFigures {
  source: number;
  windowStart: number;
  windowEnd: number;
  country: number;
  asn: number;
  firstSeen: number;
  lastSeen: number;
  packets: number;
  addresses: DistinctCounter;
  services: ServiceTally;
  /** Matching probes per `TOOL_RULES` entry. */
  toolPackets: ArrayLike<number>;
  /** By sensor id. */
  sensors: ScannerSensor[];
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

/** The summary of a source-window; null when it neither scanned nor carries a tool tag. */
export function summarizeSource(s: SourceFigures, thresholds: ScanThresholds): ScannerSummary | null {
  const t = thresholds;
  const addresses = s.addresses.size;
  const services = s.services.size;
  const scanType = scanTypeOf(addresses, services, t);
  const evidence: ToolEvidence[] = [];
  TOOL_RULES.forEach((rule, k) => {
    const packets = s.toolPackets[k] ?? 0;
    if (packets === 0) return;
    const fraction = packets / s.packets;
    const tagged = packets >= t.minToolPackets && fraction >= t.minToolFraction;
    evidence.push({ tool: rule.name, rule: rule.rule, packets, fraction: Number(fraction.toFixed(4)), tagged });
  });
  const tools = evidence.filter((e) => e.tagged).map((e) => e.tool);
  if (scanType === 'none' && tools.length === 0) return null;
  const source = formatIpv4(s.source);
  const toolText =
    tools.length === 0
      ? 'no tool fingerprint'
      : evidence
          .filter((e) => e.tagged)
          .map((e) => `${e.tool} (${e.rule}: ${e.packets}/${s.packets} probes)`)
          .join(', ');
  const withheld = !s.services.exact;
  return {
    source,
    sourceAddress: s.source,
    country: s.country,
    countryCode: unpackCountry(s.country),
    asn: s.asn,
    windowStart: s.windowStart,
    windowEnd: s.windowEnd,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    packets: s.packets,
    addresses,
    addressesExact: s.addresses.exact,
    services,
    servicesExact: s.services.exact,
    topServices: s.services
      .top(TOP_SERVICES)
      .map(({ key, probes }) => ({ service: formatServiceKey(key), packets: probes })),
    topServicesWithheld: withheld,
    sensors: s.sensors,
    scanType,
    tools,
    evidence,
    why:
      `${source} sent ${s.packets} probes to ${addresses} addresses and ${services} services (${SHAPE_RULE[scanType](t)}); ${toolText}` +
      (withheld ? `; top services withheld: more than ${SERVICE_TALLY_LIMIT} services` : ''),
  };
}
