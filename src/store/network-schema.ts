/**
 * @module
 * Tables of the observation network (issue 13), kept by the collector:
 * sensor keys, request nonces, segments received, heartbeats and the spool
 * losses agents report. They join `TABLES` (`schema.ts`), so opening any
 * existing store creates them when missing (`CREATE TABLE IF NOT EXISTS`):
 * no schema version is needed for tables that only ever get added.
 *
 * Times are integers: `*_us` microseconds and `*_ms` milliseconds since the
 * Unix epoch (UTC). Counts that may be unknown are `i64` with -1 for unknown,
 * since columns are never Nullable.
 */

import type { ColumnType, TableDef } from './schema.js';

function columns(spec: string): { name: string; type: ColumnType }[] {
  return spec
    .trim()
    .split(/\s*,\s*/)
    .map((pair) => {
      const [name, type] = pair.split(/\s+/) as [string, ColumnType];
      return { name, type };
    });
}

/**
 * A sensor's signing keys (`sensor/signing.ts` `signingKey(secret)`, never the
 * secret). `revoked_ms` is 0 while the key is valid. Enrolling again adds a
 * key and revokes the earlier ones.
 */
export const SENSOR_KEYS: TableDef = {
  name: 'sensor_keys',
  columns: columns('sensor_id i32, key_hash text, enrolled_ms i64, revoked_ms i64'),
  orderBy: ['sensor_id'],
};

/** Nonces of accepted requests, so a replay is refused also after a collector restart. */
export const COLLECTOR_NONCES: TableDef = {
  name: 'collector_nonces',
  columns: columns('sensor_id i32, nonce text, ts_ms i64'),
  orderBy: ['sensor_id', 'nonce'],
};

/**
 * One row per segment received and stored; (sensor_id, segment_id, sequence)
 * is the upload's idempotency key. `ingest_id` is the ingest that holds its
 * packets, 0 for an empty segment (never ingested: it only proves coverage).
 * `local_day` is the store-zone day of its first packet.
 */
export const COLLECTOR_SEGMENTS: TableDef = {
  name: 'collector_segments',
  columns: columns(`sensor_id i32, sequence u64, segment_id text, local_day i32, first_us i64, last_us i64, packets u64,
    kernel_received i64, kernel_dropped i64, agent_dropped u64, mode text, ingest_id i64, packets_read u64,
    packets_counted u64, bytes u64, received_ms i64`),
  orderBy: ['sensor_id', 'sequence'],
};

/** Every accepted heartbeat, with the clock offset measured on it. */
export const COLLECTOR_HEARTBEATS: TableDef = {
  name: 'collector_heartbeats',
  columns: columns(`sensor_id i32, received_ms i64, sent_us i64, capture text, reason text, spool_segments u64,
    spool_bytes u64, last_sequence i64, clock_offset_ms i64`),
  orderBy: ['sensor_id', 'received_ms'],
};

/** Spool losses reported by heartbeats, one row per loss (a re-reported loss is recognised by its sequences). */
export const COLLECTOR_SPOOL_LOSSES: TableDef = {
  name: 'collector_spool_losses',
  columns: columns(`sensor_id i32, first_sequence u64, last_sequence u64, segments u64, packets u64, from_us i64,
    to_us i64, local_day i32, reported_ms i64`),
  orderBy: ['sensor_id', 'first_sequence'],
};

export const NETWORK_TABLES: readonly TableDef[] = [
  SENSOR_KEYS,
  COLLECTOR_NONCES,
  COLLECTOR_SEGMENTS,
  COLLECTOR_HEARTBEATS,
  COLLECTOR_SPOOL_LOSSES,
];
