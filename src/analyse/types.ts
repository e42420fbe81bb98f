/**
 * @module
 * The results of the analytics stage, defined once for the report and
 * findings stages that consume them. Every type is plain JSON data: numbers,
 * strings, arrays, `null` for "not available", never `undefined`, Maps or
 * class instances, so `JSON.parse(JSON.stringify(x))` deep-equals `x`.
 *
 * Units and definitions (the quarterly report's arithmetic):
 * - `addressDays`: Σ over the selected sensors and the period's local days of
 *   addresses × observed share of the day (downtime and time outside the
 *   operating intervals excluded; `store/address-days.ts`). With an IP
 *   version filter only that family's addresses count.
 * - `perDayPerAddress` (一日・1IP 当たり): packets ÷ `addressDays`; null when
 *   `addressDays` is 0.
 * - `observedDays`: days of the period on which at least one selected sensor
 *   observed for some time (a partly observed day counts whole).
 * - `sourcesPerDay` (1日あたりの発信元数): the average over the observed days
 *   of each day's count of distinct source addresses (a source seen by two
 *   sensors, or for two services, on one day counts once that day):
 *   Σ_day distinct(day) ÷ `observedDays`. Not the period's distinct count
 *   divided by days: a source active every day counts on every day.
 * - `sources`: distinct source addresses over the whole period.
 * - Sources are null where the store keeps no source sets for the filter:
 *   the per-day source sets (`source_day`) are kept by service and country,
 *   not by packet class or source port, so a packet-class filter or a
 *   source-port-class breakdown has packets but no sources. Breakdowns read
 *   from raw packets (`source-port`) have both, within raw retention.
 * - `sharePct`: percentage of the packets of the whole breakdown.
 */

import type { PeriodKind } from '../util/period.js';
import type { RankRow, ShareRow, TableSelection } from './ranking.js';

/** What an item is broken down by; `dimensions.ts` holds how each is computed. */
export type Dimension =
  | 'service'
  | 'country'
  | 'country-service'
  | 'sensor'
  | 'sport-class'
  | 'country-sport-class'
  | 'source-port'
  | 'country-source-port';

/** Packet classes by name (`classify/packet-class.ts`), as filters accept them. */
export type PacketClassName = 'none' | 'probe' | 'response' | 'icmp-error' | 'other';

/** A statistics request's optional narrowing; every field ANDs with the others. */
export interface StatsFilter {
  /** Sensor names; default every registered sensor. */
  sensors?: readonly string[];
  /** Only packets of this IP version, divided by that family's addresses only. */
  ipVersion?: 4 | 6;
  /** Only packets of these classes (sources become null, see the module comment). */
  packetClasses?: readonly PacketClassName[];
  /** Only this destination service, e.g. `9415/TCP` or `8/ICMP`. */
  service?: string;
  /** Only sources in this country (ISO 3166 alpha-2, `ZZ` = unknown). */
  country?: string;
}

/** The filter as applied, in canonical form, echoed in every result. */
export interface AppliedFilter {
  sensors: string[] | null;
  ipVersion: 4 | 6 | null;
  packetClasses: PacketClassName[] | null;
  service: string | null;
  country: string | null;
}

export interface PeriodRef {
  /** `2010Q2`, `FY2010Q1`, `2007-07`, … */
  label: string;
  kind: PeriodKind;
  timeZone: string;
  /** First and last local date, inclusive, `YYYY-MM-DD`. */
  firstDate: string;
  lastDate: string;
  days: number;
}

export interface PeriodTotals {
  packets: number;
  bytes: number;
  addressDays: number;
  perDayPerAddress: number | null;
  observedDays: number;
  sourcesPerDay: number | null;
  sources: number | null;
}

/** Current minus previous, and that as a percentage of previous (null when previous is 0 or a side is null). */
export interface Change {
  abs: number | null;
  pct: number | null;
}

/** A sensor taking part in a result, with its divisors. */
export interface SensorUse {
  name: string;
  label: string;
  addresses: string[];
  /** Addresses counted per day (IPv4 block sizes plus 1 per IPv6 entry, or one family under an IP version filter). */
  addressCount: number;
  addressDays: number;
  previousAddressDays: number;
}

export interface PeriodSummary {
  period: PeriodRef;
  previousPeriod: PeriodRef;
  filter: AppliedFilter;
  sensors: SensorUse[];
  current: PeriodTotals;
  previous: PeriodTotals;
  change: { packets: Change; perDayPerAddress: Change; sourcesPerDay: Change };
  /** 95 % intervals of `perDayPerAddress` in both periods and the test of its change. */
  uncertainty: RateUncertainty;
}

/** Everything known about an item's key, parts that do not apply are null. */
export interface ItemLabel {
  /** Destination service, `445/TCP`, `8/ICMP`. */
  service: string | null;
  /** ISO code; `ZZ` looked up but unknown, `--` never looked up. */
  country: string | null;
  countryJa: string | null;
  countryEn: string | null;
  sensor: string | null;
  sensorLabel: string | null;
  /** Source port or class: `53/UDP`, `eph/TCP` (an unprivileged probe port), `6000/TCP` from raw packets. */
  sourcePort: string | null;
}

export interface BreakdownItem {
  /** The key parts joined by a space: `445/TCP`, `CN`, `CN 445/TCP`, `tokyo-1`. */
  key: string;
  label: ItemLabel;
  packets: number;
  /** The divisor used: the selection's, or for `sensor` that sensor's own. */
  addressDays: number;
  perDayPerAddress: number | null;
  sources: number | null;
  sourcesPerDay: number | null;
  sharePct: number | null;
}

export interface Breakdown {
  by: Dimension;
  period: PeriodRef;
  filter: AppliedFilter;
  packets: number;
  addressDays: number;
  observedDays: number;
  /** By packets descending, then key. */
  items: BreakdownItem[];
}

/** A ranking row with the figures a published table prints. */
export interface RankingRow extends RankRow {
  label: ItemLabel;
  packets: number;
  previousPackets: number;
  sharePct: number | null;
  previousSharePct: number | null;
  sourcesPerDay: number | null;
  previousSourcesPerDay: number | null;
  /** As printed: values and change to two decimals, change % to one (rounded from the exact figures). */
  rounded: { current: number; previous: number; changeAbs: number; changePct: number | null };
}

export interface ShareItem extends ShareRow {
  /** Null for the `other` slice. */
  label: ItemLabel | null;
}

export interface RankingTable {
  by: Dimension;
  period: PeriodRef;
  previousPeriod: PeriodRef;
  filter: AppliedFilter;
  /** Value ranked: accesses per day per address. */
  unit: 'per-day-per-address';
  selection: TableSelection;
  /** Every item of either period, in `rankItems` order. */
  rows: RankingRow[];
  /** The published table's rows: `selectTableRows(rows, selection)`. */
  table: RankingRow[];
  /** The ratio chart: `topWithOther(rows, selection.top)`. */
  shares: ShareItem[];
  /** Intervals and change tests of the rows shown (null from the pure `rankingOf`, which has no day counts). */
  uncertainty: RankingUncertainty | null;
}

export interface SeriesItem {
  /** An item key, or `total`. */
  key: string;
  label: ItemLabel | null;
  /** One entry per date of the series. */
  packets: number[];
  addressDays: number[];
  perDayPerAddress: (number | null)[];
  /** Distinct sources that day; null when the store has no source sets for it. */
  sources: (number | null)[];
}

export interface DailySeries {
  by: Dimension | 'total';
  period: PeriodRef;
  filter: AppliedFilter;
  dates: string[];
  items: SeriesItem[];
}

/**
 * A per-day-per-address rate's 95 % interval: quasi-Poisson over days with
 * the exact address-days of each day (`rate-interval.ts`).
 */
export interface RateBounds {
  low: number;
  high: number;
  /** Day counts' variance over the Poisson variance (1 = Poisson). */
  dispersion: number;
  /** Days with address-days > 0. */
  days: number;
}

/** A change against the previous period, tested (`change-test.ts`), with its multiple-testing correction. */
export interface ChangeTest {
  /** Rate now ÷ rate before (½ added to both counts when one is 0). */
  ratio: number;
  /** 95 % interval of the ratio. */
  low: number;
  high: number;
  pValue: number;
  /** Benjamini–Hochberg adjusted p-value over the rows compared (the p-value itself for a single test). */
  qValue: number;
  /** Degrees of freedom of the t test; null when both periods' counts look Poisson (normal test). */
  df: number | null;
  /** What may be claimed: `none` unless `qValue` ≤ `falseDiscoveryRate`. */
  direction: 'increase' | 'decrease' | 'none';
}

export interface RateUncertainty {
  /** 0.95. */
  level: number;
  current: RateBounds | null;
  previous: RateBounds | null;
  change: ChangeTest | null;
}

export interface RowUncertainty extends RateUncertainty {
  key: string;
}

export interface RankingUncertainty {
  level: number;
  /** Claims are made at this Benjamini–Hochberg false discovery rate (0.05). */
  falseDiscoveryRate: number;
  /** Rows in the correction: every row of the ranking (untested rows count with p = 1). */
  compared: number;
  /** The rows tested: the table's, the ratio chart's and the top of either period, in `rows` order. */
  rows: RowUncertainty[];
}
