/**
 * @module
 * What `teiten export` can write, as a name-keyed registry: each table's
 * portable SQL for one local day (so an export of a quarter reads the store
 * a day at a time and never holds the whole period) and its output columns,
 * with stored codes turned into the text the reports use (`445/TCP`, `CN`,
 * `SYN/ACK`, `probe`, `2010-04-01`) next to the numbers.
 *
 * - `traffic`: the hourly rollup, rows of several ingests for the same key
 *   summed into one.
 * - `sources`: the per-day source sets, likewise summed; sources as address
 *   text, in source-key order (IPv4 numerically, then IPv6).
 * - `packets`: raw packets as stored (only within raw retention).
 */

import { FLAG_CLASS_NAMES } from '../classify/index.js';
import { requireSourceKeyTexts, type AnalyticsStore, type SqlQuery } from '../store/index.js';
import { formatLocalDate } from '../util/tz.js';
import { KEY_PARTS, type KeyContext } from './item-keys.js';
import { PACKET_CLASS_CODES } from './scope.js';

/** Column types of an export: 64-bit integer, 32-bit integer, text. */
export type ExportType = 'i64' | 'i32' | 'text';

export interface ExportColumn {
  readonly name: string;
  readonly type: ExportType;
  /** The output value from the query row. */
  readonly value: (row: Record<string, unknown>, ctx: KeyContext) => number | string;
}

export interface ExportTable {
  readonly description: string;
  readonly columns: readonly ExportColumn[];
  /** The rows of one local day; `sensorIds` null = every sensor. */
  readonly query: (day: number, sensorIds: readonly number[] | null) => SqlQuery;
  /** Replaces stored codes that need the store to read (source keys) in a day's rows, before `value`. */
  readonly resolve?: (rows: Record<string, unknown>[], store: AnalyticsStore) => Promise<void>;
}

const PACKET_CLASS_NAMES = new Map(Object.entries(PACKET_CLASS_CODES).map(([name, code]) => [code, name]));

const num = (name: string, type: ExportType = 'i64', column = name): ExportColumn => ({
  name,
  type,
  value: (row) => Number(row[column]),
});
const text = (name: string): ExportColumn => ({ name, type: 'text', value: (row) => String(row[name]) });
const part = (name: string, key: keyof typeof KEY_PARTS, column: string): ExportColumn => ({
  name,
  type: 'text',
  value: (row, ctx) => KEY_PARTS[key].text(Number(row[column]), ctx),
});

const SENSOR = part('sensor', 'sensor_id', 'sensor_id');
const DATE: ExportColumn = { name: 'date', type: 'text', value: (row) => formatLocalDate(Number(row['local_day'])) };
const COUNTRY = part('country', 'country', 'country');
const SERVICE = part('service', 'service', 'service');
const FLAG_CLASS: ExportColumn = {
  name: 'flag_class',
  type: 'text',
  value: (row) => FLAG_CLASS_NAMES[Number(row['flag_class'])] ?? String(row['flag_class']),
};
const PACKET_CLASS: ExportColumn = {
  name: 'packet_class',
  type: 'text',
  value: (row) => PACKET_CLASS_NAMES.get(Number(row['packet_class'])) ?? String(row['packet_class']),
};

function where(day: number, sensorIds: readonly number[] | null): SqlQuery {
  if (sensorIds === null) return { sql: 'local_day = ?', params: [day] };
  return {
    sql: `local_day = ? AND sensor_id IN (${sensorIds.map(() => '?').join(', ')})`,
    params: [day, ...sensorIds],
  };
}

const TRAFFIC_KEYS =
  'sensor_id, local_day, local_hour, ip_version, service, sport_class, country, flag_class, packet_class';
const SOURCE_KEYS = 'sensor_id, local_day, src, country, asn, service';
const PACKET_COLUMNS = `sensor_id, ts_sec, ts_nsec, local_day, ip_version, src, dst, proto, sport, dport, tcp_flags, ttl,
  ip_id, seq, ack, win, icmp_type, icmp_code, ip_len, wire_len, service, src_service, country, asn, flag_class,
  packet_class, payload_len, payload_hex`;

export const EXPORT_TABLES = {
  traffic: {
    description: 'hourly rollup: sensor, date, hour, service, source port class, country, classes, packets, bytes',
    columns: [
      SENSOR,
      DATE,
      num('hour', 'i32', 'local_hour'),
      num('ip_version', 'i32'),
      SERVICE,
      num('service_key', 'i64'),
      part('source_port', 'sport_class', 'sport_class'),
      COUNTRY,
      FLAG_CLASS,
      PACKET_CLASS,
      num('packets'),
      num('bytes'),
    ],
    query: (day, sensorIds) => {
      const w = where(day, sensorIds);
      return {
        sql: `SELECT ${TRAFFIC_KEYS}, service AS service_key, SUM(packets) AS packets, SUM(bytes) AS bytes
          FROM traffic_hour WHERE ${w.sql} GROUP BY ${TRAFFIC_KEYS} ORDER BY ${TRAFFIC_KEYS}`,
        params: w.params,
      };
    },
  },
  sources: {
    description: 'per-day source sets: sensor, date, source address, country, ASN, service, packets',
    columns: [SENSOR, DATE, text('src'), COUNTRY, num('asn'), SERVICE, num('packets')],
    query: (day, sensorIds) => {
      const w = where(day, sensorIds);
      return {
        sql: `SELECT ${SOURCE_KEYS}, SUM(packets) AS packets FROM source_day WHERE ${w.sql}
          GROUP BY ${SOURCE_KEYS} ORDER BY ${SOURCE_KEYS}`,
        params: w.params,
      };
    },
    resolve: async (rows, store) => {
      const texts = await requireSourceKeyTexts(
        rows.map((row) => Number(row['src'])),
        (q) => store.query(q),
      );
      for (const row of rows) row['src'] = texts.get(Number(row['src']));
    },
  },
  packets: {
    description: 'raw packets (kept only within the raw retention)',
    columns: [
      SENSOR,
      num('ts_sec'),
      num('ts_nsec'),
      DATE,
      num('ip_version', 'i32'),
      text('src'),
      text('dst'),
      num('proto', 'i32'),
      num('sport', 'i32'),
      num('dport', 'i32'),
      num('tcp_flags', 'i32'),
      num('ttl', 'i32'),
      num('ip_id'),
      num('seq'),
      num('ack'),
      num('win', 'i32'),
      num('icmp_type', 'i32'),
      num('icmp_code', 'i32'),
      num('ip_len'),
      num('wire_len'),
      SERVICE,
      part('source_service', 'src_service', 'src_service'),
      COUNTRY,
      num('asn'),
      FLAG_CLASS,
      PACKET_CLASS,
      num('payload_len'),
      text('payload_hex'),
    ],
    query: (day, sensorIds) => {
      const w = where(day, sensorIds);
      return {
        sql: `SELECT ${PACKET_COLUMNS} FROM packets WHERE ${w.sql} ORDER BY sensor_id, ts_sec, ts_nsec, src, dst`,
        params: w.params,
      };
    },
  },
} as const satisfies Record<string, ExportTable>;

export type ExportTableName = keyof typeof EXPORT_TABLES;
