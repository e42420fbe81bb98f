/**
 * @module
 * The store's logical schema, as data: one list of tables with portable
 * column types, rendered to DDL by each backend (`duckdb/ddl.ts`,
 * `clickhouse/ddl.ts`), so both stores always hold the same columns in the
 * same order and the analytics can run one SQL text on either.
 *
 * Observation data lives in `*_rows` base tables tagged with `ingest_id`.
 * Queries read the views `traffic_hour`, `source_day` and `packets`, which
 * keep only rows of ingests listed in `ingests`. An ingest's row is written
 * last, when it commits, so rows of an unfinished or failed ingest are never
 * visible. DuckDB also wraps the ingest in a transaction; ClickHouse has no
 * transactions, and this filter is what makes its ingest atomic.
 *
 * Every column is NOT NULL (ClickHouse columns are not Nullable). "Unknown"
 * is 0 or `''`: country 0 = no lookup, asn 0 = unknown, geoip_build_sec 0.
 */

/** Portable column types: DuckDB `UTINYINT … VARCHAR`, ClickHouse `UInt8 … String`. */
import { NETWORK_TABLES } from './network-schema.js';

export type ColumnType = 'u8' | 'u16' | 'u32' | 'u64' | 'i32' | 'i64' | 'f64' | 'text';

export interface ColumnDef {
  readonly name: string;
  /** The type of the value, or of each item when `list`. */
  readonly type: ColumnType;
  /** A list of numbers (DuckDB `UINTEGER[]`, ClickHouse `Array(UInt32)`), written `u32[]` in a spec. */
  readonly list?: boolean;
}

export interface TableDef {
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** ClickHouse MergeTree sort key: the columns period queries filter on first. */
  readonly orderBy: readonly string[];
  /** Columns unique together (DuckDB enforces it; ClickHouse relies on the store's checks). */
  readonly unique?: readonly string[];
  /** Name of the view that shows only committed rows (observation tables only). */
  readonly view?: string;
  /**
   * List columns the view unnests, each to the column named here: a row
   * shows as one view row per item, its lists read in step (so they are
   * equally long, which `ColumnBuffer` checks).
   */
  readonly unnest?: Readonly<Record<string, string>>;
  /**
   * Another table whose rows the view shows too (`UNION ALL`, committed rows
   * only): this table's columns that table lacks, each as an SQL expression
   * over that table's columns, the same text on both stores (the view casts
   * it to the column's type); a column both tables have is read by name.
   */
  readonly viewAlso?: { readonly table: TableDef; readonly select: Readonly<Record<string, string>> };
}

/** Version of this schema; stored in `meta` and checked on `migrate()`. */
export const SCHEMA_VERSION = 8;
/** Rollup hours and days are local to this zone unless the store was created with another. */
export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';
/** Days raw packets are kept after their ingest (0 = raw table off). */
export const DEFAULT_RAW_RETENTION_DAYS = 30;
/** `to_sec` of an interval that has not ended: 9999-12-31T00:00:00Z, past any capture. */
export const OPEN_END_SEC = 253_402_214_400;

export const MetaKey = {
  SCHEMA_VERSION: 'schema_version',
  TIME_ZONE: 'time_zone',
  RAW_RETENTION_DAYS: 'raw_retention_days',
  CREATED_SEC: 'created_sec',
} as const;

function cols(spec: string): ColumnDef[] {
  return spec
    .trim()
    .split(/\s*,\s*/)
    .map((pair) => {
      const [name, spec] = pair.split(/\s+/) as [string, string];
      const type = spec.replace(/\[\]$/, '') as ColumnType;
      return type === spec ? { name, type } : { name, type, list: true };
    });
}

export const META: TableDef = { name: 'meta', columns: cols('key text, value text'), orderBy: ['key'] };

export const SENSORS: TableDef = {
  name: 'sensors',
  columns: cols('id i32, name text, label text, time_zone text, created_sec i64'),
  orderBy: ['id'],
  unique: ['name'],
};

/**
 * `address_count` is the divisor the block contributes to "per sensor
 * address" figures: every address of an IPv4 block, but 1 per IPv6 entry
 * whatever its length (see `address-block.ts`). v4_first/v4_last are 0 for IPv6.
 */
export const SENSOR_ADDRESSES: TableDef = {
  name: 'sensor_addresses',
  columns: cols('sensor_id i32, cidr text, family u8, prefix_len u8, v4_first u32, v4_last u32, address_count u64'),
  orderBy: ['sensor_id', 'cidr'],
};

/** `kind` is `operating` or `down`; intervals are half-open `[from_sec, to_sec)`. */
export const SENSOR_INTERVALS: TableDef = {
  name: 'sensor_intervals',
  columns: cols('sensor_id i32, kind text, from_sec i64, to_sec i64, note text'),
  orderBy: ['sensor_id', 'from_sec'],
};

/**
 * One row per committed capture; present = committed (see the module comment).
 * `truncated_at` is the byte offset where a capture whose writer died
 * mid-record stops (its last, incomplete record starts there; ingested with
 * `--keep-truncated`), 0 for a capture that ends cleanly. Added by schema 3,
 * last so that stores upgraded with `ALTER TABLE … ADD COLUMN` keep the order.
 */
export const INGESTS: TableDef = {
  name: 'ingests',
  columns: cols(`id i64, sensor_id i32, file_name text, sha256 text, bytes u64, packets_read u64,
    packets_counted u64, packets_excluded u64, packets_malformed u64, duplicates u64, raw_packets u64,
    first_sec i64, last_sec i64, geoip_db text, geoip_build_sec i64, asn_db text, started_sec i64, ingested_sec i64,
    truncated_at u64`),
  orderBy: ['sensor_id', 'sha256'],
  unique: ['sensor_id', 'sha256'],
};

/**
 * Hourly rollup. `local_day` is days since 1970-01-01 of the local date in
 * the store's zone, `local_hour` the local hour of that day (0..23; the
 * repeated hour of a DST fall-back day adds into the same hour).
 */
export const TRAFFIC_HOUR: TableDef = {
  name: 'traffic_hour_rows',
  columns: cols(`ingest_id i64, sensor_id i32, local_day i32, local_hour u8, ip_version u8, service u32,
    sport_class u32, country u16, flag_class u8, packet_class u8, packets u64, bytes u64`),
  orderBy: ['sensor_id', 'local_day', 'service', 'country'],
  view: 'traffic_hour',
};

/**
 * Exact source sets: one row per (day, source) with the services the source
 * reached and its packets to each, as two lists in step (sorted by service).
 * The view `source_day` unnests them into the rows queries read, one per
 * (day, source, service) with that source's packets. `src` is a source key
 * (`source-key.ts`: IPv4 by value, IPv6 through `ipv6_sources`). A (day,
 * source) may have more than one row (an ingest flushed at its memory
 * budget, or another capture of the day): every figure is a packet sum or a
 * distinct count over the view, which repeated rows do not change. Schema 4;
 * before, one row per service (`migrate-source-lists.ts`).
 */
export const SOURCE_DAY: TableDef = {
  name: 'source_list_day_rows',
  columns: cols(
    'ingest_id i64, sensor_id i32, local_day i32, src u64, country u16, asn u32, services u32[], packets u64[]',
  ),
  orderBy: ['sensor_id', 'local_day', 'src'],
  view: 'source_day',
  unnest: { services: 'service', packets: 'packets' },
};

/** The text behind IPv6 source keys (`ipv6-sources.ts`); shared by all ingests. */
export const IPV6_SOURCES: TableDef = {
  name: 'ipv6_sources',
  columns: cols('source_key u64, address text'),
  orderBy: ['source_key'],
};

/** Raw packets, written only while raw retention is on; `payload_hex` holds up to 64 payload bytes. */
export const PACKETS: TableDef = {
  name: 'packet_rows',
  columns: cols(`ingest_id i64, sensor_id i32, ts_sec i64, ts_nsec u32, local_day i32, ip_version u8, src text,
    dst text, proto u8, sport u16, dport u16, tcp_flags u16, ttl u8, ip_id u32, seq u32, ack u32, win u16,
    icmp_type u8, icmp_code u8, ip_len u32, wire_len u32, service u32, src_service u32, country u16, asn u32,
    flag_class u8, packet_class u8, payload_len u32, payload_hex text`),
  orderBy: ['sensor_id', 'local_day', 'ts_sec'],
  view: 'packets',
};

/*
 * Detection tables (issue 4): computed at ingest over the same packets as the
 * rollups above (never subtracted from them), committed with the ingest.
 * Attacks and scanners are not decided per ingest: their evidence tables
 * merge over captures and sensors and the statistics derive them. Categories are the report's names
 * (`Worm`, `Scan(P2P)` …); `victim_service` is `proto × 2^17 + port`, the port
 * part 0x10000 when the attack protocol has none (ICMP); `response` is a
 * `BackscatterKind` code (1 SYN/ACK … 9 parameter problem).
 */

/** Signature alerts per day, rule, source country and destination service; `packets` = alerts of that rule. */
export const SIGNATURE_DAY: TableDef = {
  name: 'signature_day_rows',
  columns: cols(`ingest_id i64, sensor_id i32, local_day i32, gid u32, sid u32, rev u32, category text, msg text,
    country u16, service u32, packets u64`),
  orderBy: ['sensor_id', 'local_day', 'category', 'sid'],
  view: 'signature_day',
};

/** Exact detected-source sets: packets per (day, category, source) that raised at least one rule of the category. */
export const SIGNATURE_SOURCE_DAY: TableDef = {
  name: 'signature_source_day_rows',
  columns: cols('ingest_id i64, sensor_id i32, local_day i32, category text, src text, country u16, packets u64'),
  orderBy: ['sensor_id', 'local_day', 'category', 'src'],
  view: 'signature_source_day',
};

/**
 * Threshold evidence: the matches of rules with a `threshold` or
 * `detection_filter`, undecided; the statistics decide the thresholds over
 * the whole telescope when read (`analyse/signature-thresholds.ts`), and an
 * alerting match counts as a `signature_day` alert and, unless `covered` (its
 * packet counted in the category through a rule without threshold), in
 * `signature_source_day`.
 *
 * One row per group of an ingest's matches of one rule in one second with
 * the same source, tracked destination, country and `covered` (schema 6;
 * schema 5 kept one row per match with text columns,
 * `migrate-threshold-matches.ts`): `us` is the first match's time in
 * microseconds, `later` the others' as gaps (microseconds from the match
 * before each; small numbers that compress well), so the
 * read can still order two sensors' matches within a second exactly, and
 * `matches` their number (1 + the length of `later`). `src` is a source key
 * (`source-key.ts`), `dst` the destination's key when the rule tracks it
 * (`by_dst`, `by_both`), else 0. `packets` numbers each match's packet
 * within its ingest (from 1; in the order of `us` then `later`) when the
 * packets matched more than one threshold rule of their category, so the
 * read counts such a packet once there; it is empty otherwise (a group's
 * matches are all named or none). `track`/`th_type` are codes (`THRESHOLD_TRACKS`,
 * `THRESHOLD_TYPES`); the rule's category and message are in
 * `signature_rules`, once per ingest. The local day is the store zone's day
 * of `us`.
 */
export const SIGNATURE_EVIDENCE: TableDef = {
  name: 'signature_match_rows',
  columns: cols(`ingest_id i64, sensor_id i32, us i64, gid u32, sid u32, track u8, th_type u8, th_count u32,
    th_seconds u32, src u64, dst u64, country u16, covered u8, matches u32, later u32[], packets u64[]`),
  orderBy: ['sid', 'src', 'us'],
  view: 'signature_evidence',
};

/** The category and message of each threshold rule an ingest ran, for its `signature_evidence` rows. */
export const SIGNATURE_RULES: TableDef = {
  name: 'signature_rule_rows',
  columns: cols('ingest_id i64, sensor_id i32, gid u32, sid u32, category text, msg text'),
  orderBy: ['sensor_id', 'ingest_id', 'sid'],
  view: 'signature_rules',
};

/** Backscatter packets per day, victim service, victim country and response kind. */
export const BACKSCATTER_DAY: TableDef = {
  name: 'backscatter_day_rows',
  columns: cols(
    'ingest_id i64, sensor_id i32, local_day i32, victim_service u32, country u16, response u8, packets u64',
  ),
  orderBy: ['sensor_id', 'local_day', 'victim_service', 'country'],
  view: 'backscatter_day',
};

/** Exact victim sets: backscatter packets per (day, victim address, victim service). */
export const BACKSCATTER_VICTIM_DAY: TableDef = {
  name: 'backscatter_victim_day_rows',
  columns: cols(
    'ingest_id i64, sensor_id i32, local_day i32, victim text, victim_service u32, country u16, packets u64',
  ),
  orderBy: ['sensor_id', 'local_day', 'victim'],
  view: 'backscatter_victim_day',
};

/**
 * Backscatter evidence: packets per (second, victim, protocol, victim port,
 * response kind, sensor address); attacks are derived from it over the
 * whole telescope when read. Ordered by victim so one victim's rows are
 * together.
 */
export const BACKSCATTER_EVIDENCE: TableDef = {
  name: 'backscatter_evidence_rows',
  columns: cols(
    'ingest_id i64, sensor_id i32, sec i64, victim u32, proto u8, port u32, kind u8, dst u32, country u16, packets u64',
  ),
  orderBy: ['victim', 'proto', 'sec'],
  view: 'backscatter_evidence',
};

/** Tool count columns of scanner evidence; a one-probe piece's `tools` holds bit k for column k (`TOOL_RULES` order). */
const SCANNER_TOOL_COLUMNS = ['zmap_packets', 'masscan_packets', 'mirai_packets', 'nmap_packets'];
const TOOL_BIT_VALUES = 16;

/** 1 when bit `k` of `tools` is set: `CASE … IN`, as the stores share no bit operator. */
function toolBitSql(k: number): string {
  const values = Array.from({ length: TOOL_BIT_VALUES }, (_, v) => v).filter((v) => ((v >> k) & 1) === 1);
  return `CASE WHEN tools IN (${values.join(', ')}) THEN 1 ELSE 0 END`;
}

/**
 * Scanner evidence of one probe: the piece a source makes when it sent one
 * probe in its window, most of a darknet's pieces, with only what such a
 * piece has: its time (`sec`), address, service and the tool rules it
 * matched (`tools`, bit k for `SCANNER_TOOL_COLUMNS[k]`). The view
 * `scanner_evidence` shows each as the `scanner_piece_rows` row it stands
 * for (one packet, first and last probe at `sec`, no text). Eleven columns
 * instead of eighteen: DuckDB appends such a row in half the time (schema 8;
 * log: *Session 15*).
 */
export const SCANNER_PROBES: TableDef = {
  name: 'scanner_probe_rows',
  columns: cols(`ingest_id i64, sensor_id i32, window_start i64, window_end i64, src u32, country u16, asn u32,
    sec f64, dst u32, service u32, tools u8`),
  orderBy: ['window_start', 'src'],
};

/**
 * Scanner evidence: one piece of a source's probes in one scanner window
 * (one UTC day by default) per row, from which scanners are derived over the
 * whole telescope when read (`detect/scanner-evidence.ts`). `addresses` and
 * `services` are the canonical text of the distinct destination addresses
 * and of the services with their probes; a piece of one probe leaves both
 * empty and holds its address and service in `dst` and `service` instead
 * (schema 7: text cost DuckDB ~0.7 µs a row). Since schema 8 the ingest
 * writes most such pieces (the current window's) to `scanner_probe_rows`,
 * which the view shows beside these rows. Rows of the same window and
 * source merge exactly. Ordered by window and source so a source-window's
 * rows are together. Stores written before keep their `scanner_source_rows`
 * unused.
 */
export const SCANNER_EVIDENCE: TableDef = {
  name: 'scanner_piece_rows',
  columns:
    cols(`ingest_id i64, sensor_id i32, window_start i64, window_end i64, src u32, country u16, asn u32, packets u64,
    first_sec f64, last_sec f64, zmap_packets u64, masscan_packets u64, mirai_packets u64, nmap_packets u64, addresses text, services text,
    dst u32, service u32`),
  orderBy: ['window_start', 'src'],
  view: 'scanner_evidence',
  viewAlso: {
    table: SCANNER_PROBES,
    select: {
      packets: '1',
      first_sec: 'sec',
      last_sec: 'sec',
      addresses: "''",
      services: "''",
      ...Object.fromEntries(SCANNER_TOOL_COLUMNS.map((c, k) => [c, toolBitSql(k)])),
    },
  },
};

/**
 * Working rows of a retention run (`store/threshold-chains.ts`): the
 * seconds before the cutoff of each threshold chain still running at it,
 * from the start of its window open at the cutoff on, which the run keeps.
 * Empty between runs; a table rather than a temporary one so that a
 * ClickHouse mutation (on a cluster, on every node) can read it.
 */
export const THRESHOLD_KEPT: TableDef = {
  name: 'threshold_kept_seconds',
  columns: cols(
    'gid u32, sid u32, th_type u8, th_count u32, th_seconds u32, track u8, chain_src u64, dst u64, sec i64',
  ),
  orderBy: ['sid', 'chain_src', 'sec'],
};

/**
 * How detection ran for an ingest (the report's method section): rule files
 * with their SHA-256 (`rule_files`, JSON), rules loaded, the detectors'
 * settings (JSON) and what they found. No row: the ingest ran no detection.
 */
export const DETECTION_RUNS: TableDef = {
  name: 'detection_run_rows',
  columns: cols(`ingest_id i64, sensor_id i32, signatures u8, rule_files text, rules_loaded u64, rules_skipped u64,
    rules_sha256 text, category_files text, monitored_addresses u64, settings text, alerts u64, signature_packets u64,
    backscatter_packets u64, attacks u64, scanners u64`),
  orderBy: ['sensor_id', 'ingest_id'],
  view: 'detection_runs',
};

/** The detection tables by view name (or own name, for a table shown in another's view), as `IngestWriter.appendDetection` takes them. */
export const DETECTION_TABLES = {
  signature_day: SIGNATURE_DAY,
  signature_source_day: SIGNATURE_SOURCE_DAY,
  signature_evidence: SIGNATURE_EVIDENCE,
  signature_rules: SIGNATURE_RULES,
  backscatter_day: BACKSCATTER_DAY,
  backscatter_victim_day: BACKSCATTER_VICTIM_DAY,
  backscatter_evidence: BACKSCATTER_EVIDENCE,
  scanner_evidence: SCANNER_EVIDENCE,
  scanner_probes: SCANNER_PROBES,
  detection_runs: DETECTION_RUNS,
} as const satisfies Record<string, TableDef>;

export const TABLES: readonly TableDef[] = [
  META,
  SENSORS,
  SENSOR_ADDRESSES,
  SENSOR_INTERVALS,
  INGESTS,
  TRAFFIC_HOUR,
  SOURCE_DAY,
  IPV6_SOURCES,
  PACKETS,
  ...Object.values(DETECTION_TABLES),
  THRESHOLD_KEPT,
  ...NETWORK_TABLES,
];

/** Tables whose rows belong to an ingest (deleted with it). */
export const INGEST_TABLES: readonly TableDef[] = [
  TRAFFIC_HOUR,
  SOURCE_DAY,
  PACKETS,
  ...Object.values(DETECTION_TABLES),
];

/** The filter of every view: rows of committed ingests only (see the module comment). */
const COMMITTED_ROWS = `ingest_id IN (SELECT id FROM ${INGESTS.name})`;

/** How a backend writes what a view needs beyond portable SQL. */
export interface ViewDialect {
  /** The select-list expression for one item of `list`, named `as`. */
  item(list: string, as: string): string;
  /** Text after `FROM table` that makes the items rows ('' when `item` does it all). */
  join(lists: readonly (readonly [list: string, as: string])[]): string;
  /** `expr` as a value of `column`'s type. */
  cast(expr: string, column: ColumnDef): string;
}

/**
 * The view over an observation table: its columns, list columns replaced by
 * their items (`TableDef.unnest`), rows of committed ingests only. The same
 * columns on both stores, so one query text runs on either.
 */
export function viewSql(table: TableDef, dialect: ViewDialect): string {
  if (table.view === undefined) throw new TypeError(`Table ${table.name} has no view`);
  const also = table.viewAlso === undefined ? '' : ` UNION ALL ${alsoSql(table, table.viewAlso, dialect)}`;
  if (table.unnest === undefined) return `SELECT * FROM ${table.name} WHERE ${COMMITTED_ROWS}${also}`;
  const items = table.unnest;
  const lists = Object.entries(items);
  const select = table.columns.map((c) => (c.list === true ? dialect.item(c.name, items[c.name]!) : c.name));
  return `SELECT ${select.join(', ')} FROM ${table.name}${dialect.join(lists)} WHERE ${COMMITTED_ROWS}${also}`;
}

/** The `viewAlso` table's committed rows as `table`'s columns, in `table`'s order. */
function alsoSql(table: TableDef, also: NonNullable<TableDef['viewAlso']>, dialect: ViewDialect): string {
  if (table.unnest !== undefined) throw new TypeError(`Table ${table.name} cannot both unnest and show another table`);
  const select = table.columns.map((c) => {
    const shared = also.table.columns.some((d) => d.name === c.name) ? c.name : undefined;
    const expr = also.select[c.name] ?? shared;
    if (expr === undefined) throw new TypeError(`Table ${also.table.name} gives no ${c.name} for view ${table.view}`);
    return `${dialect.cast(expr, c)} AS ${c.name}`;
  });
  return `SELECT ${select.join(', ')} FROM ${also.table.name} WHERE ${COMMITTED_ROWS}`;
}

/** Inclusive value range of an integer column type. */
export const INTEGER_RANGE: Readonly<Record<Exclude<ColumnType, 'text' | 'f64'>, readonly [number, number]>> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffff_ffff],
  u64: [0, Number.MAX_SAFE_INTEGER],
  i32: [-0x8000_0000, 0x7fff_ffff],
  i64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
