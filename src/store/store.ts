/**
 * @module
 * `AnalyticsStore`: the one interface the ingest pipeline and the analytics
 * use, implemented by DuckDB (`duckdb/`, the embedded default) and ClickHouse
 * (`clickhouse/`, scale-out). Both hold the schema of `schema.ts` and run the
 * same SQL text.
 *
 * Portable SQL (what `query()` promises to run identically on both):
 * - `?` positional placeholders only, one per value; never values in the text.
 *   Numbers, bigints, strings, null; booleans bind as 1/0; arrays bind as an
 *   array value (ClickHouse `[…]`, DuckDB LIST), which only store-specific
 *   functions accept, so write set membership as `IN (?, ?, ?)`.
 * - Read the views `traffic_hour`, `source_day`, `packets` (committed rows
 *   only), and `ingests`; integer and text columns only.
 * - Alias every selected expression (`SUM(packets) AS packets`): the two
 *   databases name unaliased expressions differently.
 * - `SUM` of no rows is NULL in DuckDB and 0 in ClickHouse: write
 *   `COALESCE(SUM(x), 0)`. `COUNT(DISTINCT x)` is exact in both.
 * - `/` is floating-point division in both; integer division differs
 *   (`//` vs `intDiv`), so divide in JS or compare with multiplication.
 * - Use `IN (SELECT …)` rather than JOIN (ClickHouse 18.16 joins differ).
 * - Always `ORDER BY` when the order matters.
 * Results: one plain object per row; 64-bit integers come back as JS numbers
 * (exact below 2^53, which packet and byte counts never reach).
 */

import type { NetworkRecords } from './network-records.js';
import type { EnrichedBatch } from '../classify/index.js';
import type { DetectionColumns, DetectionTable } from './detection-rows.js';
import type { ListValues } from './list-column.js';
import type { RetentionRun } from './apply-retention.js';
import type { Retention, RetentionClass } from './retention.js';

/** SQL with `?` placeholders and their values (style rule 11). */
export interface SqlQuery {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export type StoreKind = 'duckdb' | 'clickhouse';

/** Settings fixed in `meta` when the store is created. */
export interface StoreSettings {
  readonly schemaVersion: number;
  /** Zone of every `local_day`/`local_hour`; fixed at creation. */
  readonly timeZone: string;
  /** Local days raw packets are kept (`retention.packets`); 0 = raw packets are not stored. */
  readonly rawRetentionDays: number;
  /** Days kept per class of table (`retention.ts`), null = forever. */
  readonly retention: Retention;
  /** Per class, the first local day whose rows retention has never removed; null = it never ran. */
  readonly keptFromDay: Readonly<Record<RetentionClass, number | null>>;
  readonly createdSec: number;
}

export interface StoreOptions {
  /** Zone for a new store (default Asia/Tokyo); an existing store must match or `migrate()` throws. */
  timeZone?: string;
  /** Raw retention in days; when given, updates the stored setting. 0 turns raw packets off. */
  rawRetentionDays?: number;
  /** Retention per class (`parseRetention`); the classes given update the stored settings. */
  retention?: Partial<Record<RetentionClass, number | null>>;
  /** Rows buffered per table before a write (default: the backend's, 2,048 DuckDB, 50,000 ClickHouse). */
  ingestBlockRows?: number;
  /** Clock in epoch seconds (tests); default `Date.now() / 1000`. */
  now?: () => number;
  /**
   * DuckDB: seconds to keep retrying while another process holds the file
   * (default 0: fail at once with `StoreLockedError`).
   */
  lockWaitSec?: number;
  /** Called once when opening starts to wait for another process's lock, with what it waits for. */
  onLockWait?: (holder: string) => void;
  /**
   * Memory the embedded store may use for its buffers (DuckDB's
   * `memory_limit`; default DuckDB's own, 80 % of RAM). An ingest holds its
   * uncommitted rows there; past the limit DuckDB writes them out to the
   * database file. DuckDB adds a floor for the near-empty blocks it starts
   * per column while an ingest's rows are few (`duckdb/memory-limit.ts`). A
   * server store (ClickHouse) ignores it.
   */
  memoryLimitBytes?: number;
}

/** One monitored block. */
export interface SensorAddress {
  /** Canonical `a.b.c.d/n` or `x::/n` (a single address is /32 or /128). */
  readonly cidr: string;
  readonly family: 4 | 6;
  readonly prefixLen: number;
  /** IPv4 range as unsigned integers (0 for IPv6). */
  readonly v4First: number;
  readonly v4Last: number;
  /** Addresses this entry contributes to per-address divisors (IPv6: 1 per entry). */
  readonly addressCount: number;
}

export type IntervalKind = 'operating' | 'down';

/** Half-open `[fromSec, toSec)`; `toSec` is `OPEN_END_SEC` when open-ended. */
export interface SensorInterval {
  readonly kind: IntervalKind;
  readonly fromSec: number;
  readonly toSec: number;
  readonly note: string;
}

export interface Sensor {
  readonly id: number;
  /** `[a-z0-9_-]+`, unique. */
  readonly name: string;
  readonly label: string;
  /** The sensor's own zone, for display; statistics use the store's zone. */
  readonly timeZone: string;
  readonly createdSec: number;
  readonly addresses: readonly SensorAddress[];
  /** Operating intervals (none = always operating) and downtimes, by `fromSec`. */
  readonly intervals: readonly SensorInterval[];
}

/** Interval input: epoch seconds or ISO 8601 text with a zone (`Z`, `+09:00`); `to` omitted = open. */
export interface IntervalInput {
  from: number | string;
  to?: number | string | null;
  note?: string;
}

/** What `addSensor` accepts (validated by `parseSensorDefinition`). */
export interface SensorDefinition {
  name: string;
  label?: string;
  timeZone?: string;
  /** IPs or CIDR blocks, IPv4 or IPv6; no two may overlap, here or with other sensors. */
  addresses: readonly string[];
  operating?: readonly IntervalInput[];
}

/** Known when an ingest starts. */
export interface IngestMeta {
  sensorId: number;
  fileName: string;
  /**
   * Lower-case hex SHA-256 of the capture's bytes as read (the duplicate key).
   * `''` when the hash is only known once the capture has been read (it is
   * computed in the same pass): then pass it to `commit`, which checks it.
   */
  sha256: string;
  /** Size of the capture in bytes (0 when unknown yet, e.g. stdin; then pass it to `commit`). */
  bytes: number;
  geoipDb?: string;
  geoipBuildSec?: number;
  asnDb?: string;
  /**
   * Ingests of the sensor the caller's overlap check saw (`StoredPackets`);
   * default: those committed when `beginIngest` runs. One committed since
   * then whose time span overlaps this ingest's refuses the commit with
   * `ConcurrentIngestError`: its packets were not checked for duplicates.
   */
  seenIngestIds?: readonly number[];
}

/** Counts known when an ingest ends. */
export interface IngestSummary {
  packetsRead: number;
  /** Packets addressed to the sensor's registered addresses (what the rollups hold). */
  packetsCounted: number;
  /** Packets to any other address: not counted, reported. */
  packetsExcluded: number;
  packetsMalformed: number;
  /** Packets to the sensor already seen (earlier in the capture or stored): not counted. */
  duplicates: number;
  /**
   * Epoch seconds (whole) of the earliest and latest counted packet, 0 when
   * none. The ingest's overlap rule compares later captures against this span.
   */
  firstSec: number;
  lastSec: number;
}

/** What a single-pass ingest only knows at the end: the capture's hash and size. */
export interface IngestContent {
  sha256: string;
  bytes: number;
  /**
   * Byte offset where the capture ends inside a record (its writer died
   * mid-record) and the rest was left out; 0 or absent for a complete capture.
   */
  truncatedAt?: number;
}

export interface IngestRecord extends Omit<Required<IngestMeta>, 'seenIngestIds'>, IngestSummary {
  readonly id: number;
  /** `IngestContent.truncatedAt`: 0 when the capture was complete. */
  readonly truncatedAt: number;
  readonly rawPackets: number;
  readonly startedSec: number;
  readonly ingestedSec: number;
}

/** One `traffic_hour` row; the writer adds `ingest_id` and `sensor_id`. */
export interface TrafficRow {
  localDay: number;
  /** 0..23 local hour of `localDay`. */
  localHour: number;
  ipVersion: number;
  service: number;
  /** `sport-class.ts`: exact source service, or the protocol's EPHEMERAL marker. */
  sportClass: number;
  country: number;
  flagClass: number;
  packetClass: number;
  packets: number;
  bytes: number;
}

/** One `source_day` row: a source address seen on a day for a service. */
export interface SourceRow {
  localDay: number;
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (`decode/address.ts`). */
  src: string;
  country: number;
  asn: number;
  service: number;
  packets: number;
}

/**
 * A `source_day` row as stored (`schema.ts` `SOURCE_DAY`): a source on a day
 * with its services and its packets to each, in step. `src` is the source's
 * key (`source-key.ts`), an IPv4 address's value or an IPv6 key from
 * `IngestWriter.sourceKeys`.
 */
export interface SourceKeyRow {
  localDay: number;
  src: number;
  country: number;
  asn: number;
  services: readonly number[];
  packets: readonly number[];
}

/**
 * Rows of type `R` as columns, for the ingest's hot path: `columns.localDay[i]`
 * … for `i < rowCount`, typed arrays welcome (no object per row).
 */
export interface RowColumns<R> {
  readonly rowCount: number;
  readonly columns: { readonly [K in keyof R]: ArrayLike<R[K]> };
}

/** `SourceKeyRow`s as columns, the lists' items flat (no array per row). */
export interface SourceKeyColumns {
  readonly rowCount: number;
  readonly columns: {
    readonly [K in keyof SourceKeyRow]: SourceKeyRow[K] extends readonly number[]
      ? ListValues
      : ArrayLike<SourceKeyRow[K]>;
  };
}

/**
 * Writes one capture's rows. Nothing is visible to queries until `commit`;
 * after any failure call `rollback` (or use `withIngest`), which leaves
 * nothing of the capture behind. Each append reads its input during the call
 * (a batch may be refilled right after), and appends may be issued without
 * awaiting each one: they are applied in call order.
 */
export interface IngestWriter {
  readonly ingestId: number;
  /** False when raw retention is off: `appendPackets` then stores nothing. */
  readonly keepsRawPackets: boolean;
  appendTraffic(rows: readonly TrafficRow[]): Promise<void>;
  /** Rows of one (day, source, service) each; stored one row per (day, source) of the call (`SOURCE_DAY`). */
  appendSources(rows: readonly SourceRow[]): Promise<void>;
  /** `appendTraffic` with the rows given as columns. */
  appendTrafficColumns(rows: RowColumns<TrafficRow>): Promise<void>;
  /**
   * Source keys of addresses (any valid text): IPv4 by value, IPv6 from the
   * store's `ipv6_sources`, new ones assigned and written with this ingest.
   */
  sourceKeys(addresses: readonly string[]): Promise<number[]>;
  /**
   * Rows as stored (`SourceKeyRow`: a source-day with its services and their
   * packets as lists) given as columns, sources as keys from `sourceKeys`
   * (or IPv4 values): the ingest's path.
   */
  appendSourceColumns(rows: SourceKeyColumns): Promise<void>;
  /** Raw rows for packets `i < batch.length` with `sensorOf[i] === sensorId`; returns rows kept. */
  appendPackets(enriched: EnrichedBatch, sensorOf: Int32Array): Promise<number>;
  /** Rows of a detection table (`detection-rows.ts`), committed with the others. */
  appendDetection<T extends DetectionTable>(table: T, rows: DetectionColumns<T>): Promise<void>;
  /**
   * Writes the `ingests` row last, making every row visible at once. `content`
   * supplies (or replaces) the hash and size given to `beginIngest`; the
   * duplicate check runs here again, so a capture hashed while it was read is
   * refused with `DuplicateIngestError` before anything becomes visible. The
   * check and the `ingests` row run under the store's per-sensor commit lock,
   * so of two processes committing the same capture, or time-overlapping
   * captures of a sensor, one commits and the other is refused
   * (`DuplicateIngestError`, `ConcurrentIngestError`).
   */
  commit(summary: IngestSummary, content?: IngestContent): Promise<IngestRecord>;
  /** Idempotent; safe after a failed append or commit. */
  rollback(): Promise<void>;
}

export interface RetentionRequest {
  /** Count the rows, remove and record nothing. */
  dryRun?: boolean;
  /** Dry runs only: count for these classes' days instead of the recorded ones. */
  retention?: Partial<Record<RetentionClass, number | null>>;
}

export interface AnalyticsStore {
  readonly kind: StoreKind;
  /** Available after `migrate()` (which `openStore` runs unless told not to). */
  readonly settings: StoreSettings;
  /** Creates missing tables and views and the fixed settings; safe to repeat. */
  migrate(): Promise<StoreSettings>;
  close(): Promise<void>;
  /** The one query layer: portable SQL (see the module comment). */
  query<T = Record<string, unknown>>(q: SqlQuery): Promise<T[]>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  addSensor(definition: SensorDefinition): Promise<Sensor>;
  listSensors(): Promise<Sensor[]>;
  findSensor(name: string): Promise<Sensor | undefined>;
  /** Refuses a sensor with ingests unless `withData`, which deletes them as well. */
  removeSensor(sensorId: number, options?: { withData?: boolean }): Promise<void>;
  addDowntime(sensorId: number, interval: IntervalInput): Promise<SensorInterval>;
  addOperating(sensorId: number, interval: IntervalInput): Promise<SensorInterval>;
  sensorIntervals(sensorId: number): Promise<SensorInterval[]>;

  findIngestByHash(sensorId: number, sha256: string): Promise<IngestRecord | undefined>;
  listIngests(sensorId?: number): Promise<IngestRecord[]>;
  /**
   * Throws `DuplicateIngestError` when the sensor already holds this capture
   * (checked here when `meta.sha256` is given, and always at commit).
   */
  beginIngest(meta: IngestMeta): Promise<IngestWriter>;
  /** Deletes an ingest and all its rows. */
  deleteIngest(ingestId: number): Promise<void>;
  /**
   * Removes the rows of local days before each class's retention
   * (`settings.retention`, `apply-retention.ts`) and records the first day
   * kept; `dryRun` only counts them.
   */
  applyRetention(options?: RetentionRequest): Promise<RetentionRun>;

  /** The observation network's records (sensor keys, segments, heartbeats, losses), kept by the collector. */
  readonly network: NetworkRecords;
}
