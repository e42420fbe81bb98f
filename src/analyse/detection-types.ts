/**
 * @module
 * Results of the detection statistics (the reports' §3 signature detections
 * by category and §4 DoS backscatter), plain JSON data like `types.ts`.
 *
 * Units and definitions, with the divisors of the access statistics
 * (`addressDays`, `observedDays`; see `types.ts`):
 * - a signature detection is a (packet, category) pair: a packet that raised
 *   one or more rules of a category counts once in that category, and a
 *   packet detected in two categories counts in both (rarely: the bundled
 *   rules do not overlap across categories);
 * - `perDayPerAddress`: detections (or backscatter packets) ÷ `addressDays`;
 * - `sourcesPerDay` / `victimsPerDay`: Σ over days of each day's distinct
 *   detected sources (backscatter victims) ÷ `observedDays`;
 * - `sources` / `victims`: distinct over the whole period;
 * - `packetsPerDay`: backscatter packets ÷ `observedDays`;
 * - attacks belong to the period their first packet falls in; they are
 *   derived over the selected sensors together (the telescope), so an
 *   attack seen by three sensors or across many captures is one attack.
 *
 * Only ingests that ran detection contribute; `method` says how many did
 * and with which rules, so a report can state "N signatures loaded".
 */

import type { AttackSettings, ScanThresholds } from '../detect/index.js';
import type { AppliedFilter, Change, PeriodRef, RankingRow } from './types.js';

/** The rules one or more ingests of the period matched with. */
export interface RuleSetUse {
  /** SHA-256 over the rule files' hashes ('' for ingests without signatures). */
  rulesSha256: string;
  rulesLoaded: number;
  rulesSkipped: number;
  files: Array<{ file: string; sha256: string; rules: number }>;
  categoryFiles: Array<{ file: string; sha256: string }>;
  ingests: number;
}

/** How the period's detection tables were made: for the report's method section. */
export interface DetectionMethod {
  /** Ingests of the selected sensors with counted packets in the period. */
  ingests: number;
  /** Of those, ingests that ran detection, and that ran the signature engine. */
  ingestsWithDetection: number;
  ingestsWithSignatures: number;
  ruleSets: RuleSetUse[];
  /** Distinct detector settings used (thresholds, flow timeout, scanner window), as stored. */
  settings: unknown[];
}

export interface SignatureTotals {
  detections: number;
  addressDays: number;
  perDayPerAddress: number | null;
  observedDays: number;
  sourcesPerDay: number | null;
  sources: number;
}

/** A category's row of the ranking table (value: detections per day per address), with a ranking row's printed figures. */
export interface CategoryRow extends Omit<RankingRow, 'label'> {
  category: string;
}

export interface CategorySeries {
  category: string;
  /** One entry per date of the period. */
  packets: number[];
  perDayPerAddress: (number | null)[];
  sources: number[];
}

/** Country text as the ranking tables give it: ISO code (`ZZ` unknown, `--` no lookup) and names. */
export interface CountryRef {
  country: string;
  countryJa: string | null;
  countryEn: string | null;
}

export interface CountryDetections extends CountryRef {
  packets: number;
  perDayPerAddress: number | null;
  sourcesPerDay: number | null;
  sharePct: number | null;
  /** The country's detections by category, most first, with shares of the country's detections. */
  categories: Array<{ category: string; packets: number; sharePct: number }>;
}

export interface SignatureItem {
  gid: number;
  sid: number;
  msg: string;
  category: string;
  packets: number;
  previousPackets: number;
  perDayPerAddress: number | null;
  previousPerDayPerAddress: number | null;
}

export interface SignatureStatistics {
  period: PeriodRef;
  previousPeriod: PeriodRef;
  filter: AppliedFilter;
  method: DetectionMethod;
  /** The previous period's: a change against a period whose ingests ran no detection means nothing. */
  previousMethod: DetectionMethod;
  current: SignatureTotals;
  previous: SignatureTotals;
  change: { detections: Change; perDayPerAddress: Change; sourcesPerDay: Change };
  /** Every category of either period, in rank order. */
  categories: CategoryRow[];
  dates: string[];
  /** Per category of either period, in `categories` order. */
  categorySeries: CategorySeries[];
  /** Every country with detections, most first. */
  countries: CountryDetections[];
  /** The most-raised signatures this period (at most `topSignatures`), most first. */
  signatures: SignatureItem[];
}

export interface BackscatterTotals {
  packets: number;
  addressDays: number;
  perDayPerAddress: number | null;
  observedDays: number;
  packetsPerDay: number | null;
  victimsPerDay: number | null;
  victims: number;
  /** Closed (published) attacks that started in the period. */
  attacks: number;
  /** Attacks of the period a lagging sensor may still add to: not in `attacks` yet (`backscatter-attacks.ts`). */
  openAttacks: number;
}

/** A row of a backscatter breakdown: a victim service (`6667/TCP`, `ICMP`), a country or a response kind. */
export interface BackscatterShareItem {
  key: string;
  packets: number;
  sharePct: number | null;
  /** Null for response kinds (victim sets are kept by service and country). */
  victims: number | null;
  victimsPerDay: number | null;
}

export interface BackscatterCountryItem extends BackscatterShareItem, CountryRef {}

export interface AttackItem extends CountryRef {
  /** Each sensor of the telescope that saw the attack: its packets and addresses hit. */
  sensors: Array<{ sensor: string; packets: number; addresses: number }>;
  victim: string;
  protocol: string;
  ports: string[];
  /** ISO 8601 UTC, and epoch seconds. */
  start: string;
  end: string;
  startSec: number;
  endSec: number;
  durationSec: number;
  packets: number;
  sensorAddresses: number;
  /** Packets in the busiest window of the settings' `windowSec`, and that window's rate. */
  peakWindowPackets: number;
  peakPps: number;
  meanPps: number;
  /** Null when withheld: `extrapolationWithheld` says why (a telescope under 256 IPv4 addresses). */
  extrapolatedPps: number | null;
  extrapolatedPeakPps: number | null;
  extrapolationWithheld: string | null;
  responses: Record<string, number>;
  why: string;
}

/** A victim by the backscatter it sent in the period (every attributed packet, attack or not). */
export interface VictimItem extends CountryRef {
  victim: string;
  /** The victim service with the most packets (`6667/TCP`, `ICMP`). */
  service: string;
  packets: number;
  /** Local dates of its first and last day with backscatter in the period. */
  firstDate: string;
  lastDate: string;
}

export interface BackscatterStatistics {
  period: PeriodRef;
  previousPeriod: PeriodRef;
  filter: AppliedFilter;
  method: DetectionMethod;
  /** The previous period's: a change against a period whose ingests ran no detection means nothing. */
  previousMethod: DetectionMethod;
  current: BackscatterTotals;
  previous: BackscatterTotals;
  change: { packets: Change; perDayPerAddress: Change; packetsPerDay: Change; victimsPerDay: Change };
  byVictimPort: BackscatterShareItem[];
  byCountry: BackscatterCountryItem[];
  byResponse: BackscatterShareItem[];
  daily: { dates: string[]; packets: number[]; perDayPerAddress: (number | null)[]; victims: number[] };
  /** The thresholds the attacks were derived with, and the telescope's IPv4 addresses. */
  attackSettings: AttackSettings & { monitoredAddresses: number };
  /** The largest attacks that started in the period, most packets first. */
  attacks: AttackItem[];
  /** The victims with the most backscatter packets, most first (exact, whatever the attack thresholds). */
  victims: VictimItem[];
}

export interface ScannerToolItem {
  tool: string;
  /** Distinct sources tagged with the tool, and their probes. */
  sources: number;
  packets: number;
  countries: Array<CountryRef & { sources: number }>;
}

export interface ScannerItem extends CountryRef {
  /** The sensors that saw the scanner's probes, with their part (by sensor id). */
  sensors: Array<{ sensor: string; packets: number; addresses: number }>;
  source: string;
  /** First and last probe, ISO 8601 UTC. */
  firstSeen: string;
  lastSeen: string;
  packets: number;
  addresses: number;
  services: number;
  /** Most-probed services with probes, `23/TCP:120 2323/TCP:7`; '' when withheld (more than 256 services). */
  topServices: string;
  scanType: string;
  tools: string[];
  why: string;
}

export interface ScannerStatistics {
  period: PeriodRef;
  filter: AppliedFilter;
  /** The thresholds the scanners were derived with (the store's recorded ones unless given). */
  thresholds: ScanThresholds;
  /** Reported source-windows (derived over the selected sensors), distinct sources, and their probes. */
  windows: number;
  sources: number;
  packets: number;
  byScanType: Array<{ scanType: string; sources: number; packets: number }>;
  byTool: ScannerToolItem[];
  /** The widest scanners (most addresses, then probes). */
  top: ScannerItem[];
}
