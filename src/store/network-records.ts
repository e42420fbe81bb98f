/**
 * @module
 * `NetworkRecords`: what the collector keeps about its sensors (tables of
 * `network-schema.ts`), written and read through the shared `SqlSession`, so
 * DuckDB and ClickHouse run one implementation. Rows are appended; the few
 * updates (revoking a key, closing an open downtime) delete and re-insert
 * inside a transaction (DuckDB) or as a mutation that completes before the
 * call returns (ClickHouse), both rare events.
 */

import { camelName, ColumnBuffer } from './column-buffer.js';
import {
  COLLECTOR_HEARTBEATS,
  COLLECTOR_NONCES,
  COLLECTOR_SEGMENTS,
  COLLECTOR_SPOOL_LOSSES,
  NETWORK_TABLES,
  SENSOR_KEYS,
} from './network-schema.js';
import { SENSOR_INTERVALS, type TableDef } from './schema.js';
import type { SqlSession } from './sql-session.js';
import type { SensorInterval } from './store.js';

export interface SensorKeyRow {
  sensorId: number;
  keyHash: string;
  enrolledMs: number;
  /** 0 while valid. */
  revokedMs: number;
}

export interface SegmentRow {
  sensorId: number;
  sequence: number;
  segmentId: string;
  localDay: number;
  firstUs: number;
  lastUs: number;
  /** Packets the agent says the segment holds. */
  packets: number;
  /** -1 when the agent did not report pcap statistics (replay). */
  kernelReceived: number;
  kernelDropped: number;
  agentDropped: number;
  mode: string;
  /** 0 for an empty segment (not ingested). */
  ingestId: number;
  packetsRead: number;
  packetsCounted: number;
  bytes: number;
  receivedMs: number;
}

export interface HeartbeatRow {
  sensorId: number;
  receivedMs: number;
  sentUs: number;
  capture: string;
  reason: string;
  spoolSegments: number;
  spoolBytes: number;
  lastSequence: number;
  clockOffsetMs: number;
}

export interface SpoolLossRow {
  sensorId: number;
  firstSequence: number;
  lastSequence: number;
  segments: number;
  packets: number;
  fromUs: number;
  toUs: number;
  localDay: number;
  reportedMs: number;
}

type Where = { sql: string; params: unknown[] };

export class NetworkRecords {
  constructor(private readonly session: SqlSession) {}

  /** Adds a valid key for the sensor and revokes every earlier one. */
  async addKey(sensorId: number, keyHash: string, nowMs: number): Promise<void> {
    await this.session.transaction(async (tx) => {
      await revoke(tx, sensorId, nowMs);
      await insert(tx, SENSOR_KEYS, [{ sensorId, keyHash, enrolledMs: nowMs, revokedMs: 0 }]);
    });
  }

  /** Revokes the sensor's valid keys; returns how many there were. */
  revokeKeys(sensorId: number, nowMs: number): Promise<number> {
    return this.session.transaction((tx) => revoke(tx, sensorId, nowMs));
  }

  keys(sensorId: number): Promise<SensorKeyRow[]> {
    return select(this.session, SENSOR_KEYS, { sql: 'sensor_id = ?', params: [sensorId] }, 'enrolled_ms');
  }

  async addNonce(sensorId: number, nonce: string, tsMs: number): Promise<void> {
    await insert(this.session, COLLECTOR_NONCES, [{ sensorId, nonce, tsMs }]);
  }

  /** Nonces of requests stamped at or after `sinceMs`. */
  nonces(sinceMs: number): Promise<{ sensorId: number; nonce: string; tsMs: number }[]> {
    return select(this.session, COLLECTOR_NONCES, { sql: 'ts_ms >= ?', params: [sinceMs] }, 'ts_ms');
  }

  /** True when the sensor's nonce is stored (another collector on the same store accepted it). */
  async hasNonce(sensorId: number, nonce: string): Promise<boolean> {
    const [row] = await this.session.all<{ n: number }>({
      sql: `SELECT COUNT(*) AS n FROM ${COLLECTOR_NONCES.name} WHERE sensor_id = ? AND nonce = ?`,
      params: [sensorId, nonce],
    });
    return (row?.n ?? 0) > 0;
  }

  pruneNonces(beforeMs: number): Promise<void> {
    return this.session.deleteWhere(COLLECTOR_NONCES, { sql: 'ts_ms < ?', params: [beforeMs] });
  }

  /** The sensor's segment with these bytes and sequence, or with these bytes under any sequence when none is given. */
  async findSegment(sensorId: number, segmentId: string, sequence?: number): Promise<SegmentRow | undefined> {
    const where =
      sequence === undefined
        ? { sql: 'sensor_id = ? AND segment_id = ?', params: [sensorId, segmentId] }
        : { sql: 'sensor_id = ? AND segment_id = ? AND sequence = ?', params: [sensorId, segmentId, sequence] };
    return (await select<SegmentRow>(this.session, COLLECTOR_SEGMENTS, where, 'received_ms'))[0];
  }

  /** Segments of a sensor (or all), by sensor and sequence. */
  segments(sensorId?: number): Promise<SegmentRow[]> {
    const where = sensorId === undefined ? undefined : { sql: 'sensor_id = ?', params: [sensorId] };
    return select(this.session, COLLECTOR_SEGMENTS, where, 'sensor_id, sequence, received_ms');
  }

  /** `[firstUs, lastUs]` of the sensor's live segments that overlap `[fromUs, toUs)`, by start. */
  async liveSpans(sensorId: number, fromUs: number, toUs: number): Promise<{ firstUs: number; lastUs: number }[]> {
    const rows = await this.session.all<{ first_us: number; last_us: number }>({
      sql: `SELECT first_us AS first_us, last_us AS last_us FROM ${COLLECTOR_SEGMENTS.name}
        WHERE sensor_id = ? AND mode = 'live' AND packets > 0 AND last_us >= ? AND first_us < ? ORDER BY first_us, last_us`,
      params: [sensorId, fromUs, toUs],
    });
    return rows.map((r) => ({ firstUs: r.first_us, lastUs: r.last_us }));
  }

  async addSegment(row: SegmentRow): Promise<void> {
    await insert(this.session, COLLECTOR_SEGMENTS, [row]);
  }

  async addHeartbeat(row: HeartbeatRow): Promise<void> {
    await insert(this.session, COLLECTOR_HEARTBEATS, [row]);
  }

  /** Heartbeats of a sensor received at or after `sinceMs`, oldest first. */
  heartbeats(sensorId: number, sinceMs = 0): Promise<HeartbeatRow[]> {
    return select(
      this.session,
      COLLECTOR_HEARTBEATS,
      { sql: 'sensor_id = ? AND received_ms >= ?', params: [sensorId, sinceMs] },
      'received_ms, sent_us',
    );
  }

  /** The sensor's latest heartbeat (by arrival), if any. */
  async lastHeartbeat(sensorId: number): Promise<HeartbeatRow | undefined> {
    const rows = await select<HeartbeatRow>(
      this.session,
      COLLECTOR_HEARTBEATS,
      {
        sql: `sensor_id = ? AND received_ms IN (SELECT MAX(received_ms) FROM ${COLLECTOR_HEARTBEATS.name} WHERE sensor_id = ?)`,
        params: [sensorId, sensorId],
      },
      'received_ms, sent_us',
    );
    return rows[rows.length - 1];
  }

  /** Stores the losses not stored yet (same sensor and sequences); returns those added. */
  async addLosses(rows: readonly SpoolLossRow[]): Promise<SpoolLossRow[]> {
    if (rows.length === 0) return [];
    const known = await this.losses(rows[0]!.sensorId);
    const seen = new Set(known.map((l) => `${l.firstSequence}-${l.lastSequence}`));
    const fresh: SpoolLossRow[] = [];
    for (const row of rows) {
      const key = `${row.firstSequence}-${row.lastSequence}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(row);
    }
    await insert(this.session, COLLECTOR_SPOOL_LOSSES, fresh);
    return fresh;
  }

  losses(sensorId?: number): Promise<SpoolLossRow[]> {
    const where = sensorId === undefined ? undefined : { sql: 'sensor_id = ?', params: [sensorId] };
    return select(this.session, COLLECTOR_SPOOL_LOSSES, where, 'sensor_id, first_sequence');
  }

  /** Replaces one stored interval of the sensor (matched on every field) by `next` (closing an open downtime). */
  async replaceInterval(sensorId: number, old: SensorInterval, next: readonly SensorInterval[]): Promise<void> {
    await this.session.transaction(async (tx) => {
      await tx.deleteWhere(SENSOR_INTERVALS, {
        sql: 'sensor_id = ? AND kind = ? AND from_sec = ? AND to_sec = ? AND note = ?',
        params: [sensorId, old.kind, old.fromSec, old.toSec, old.note],
      });
      await insert(
        tx,
        SENSOR_INTERVALS,
        next.map((i) => ({ ...i })),
        { sensor_id: sensorId },
      );
    });
  }

  /** Deletes every network record of a sensor (with the sensor itself). */
  async removeSensor(sensorId: number): Promise<void> {
    for (const table of NETWORK_TABLES)
      await this.session.deleteWhere(table, { sql: 'sensor_id = ?', params: [sensorId] });
  }
}

async function revoke(session: SqlSession, sensorId: number, nowMs: number): Promise<number> {
  const active = await select<SensorKeyRow>(
    session,
    SENSOR_KEYS,
    { sql: 'sensor_id = ? AND revoked_ms = 0', params: [sensorId] },
    'enrolled_ms',
  );
  if (active.length === 0) return 0;
  await session.deleteWhere(SENSOR_KEYS, { sql: 'sensor_id = ? AND revoked_ms = 0', params: [sensorId] });
  await insert(
    session,
    SENSOR_KEYS,
    active.map((k) => ({ ...k, revokedMs: nowMs })),
  );
  return active.length;
}

async function insert(
  session: SqlSession,
  table: TableDef,
  rows: readonly object[],
  fixed?: Record<string, unknown>,
): Promise<void> {
  if (rows.length === 0) return;
  const buffer = new ColumnBuffer(table);
  for (const row of rows) buffer.addObject(row, fixed);
  await session.insert(buffer.take());
}

async function select<T>(
  session: SqlSession,
  table: TableDef,
  where: Where | undefined,
  orderBy: string,
): Promise<T[]> {
  const names = table.columns.map((c) => c.name).join(', ');
  const rows = await session.all<Record<string, unknown>>({
    sql: `SELECT ${names} FROM ${table.name}${where === undefined ? '' : ` WHERE ${where.sql}`} ORDER BY ${orderBy}`,
    params: where?.params ?? [],
  });
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [camelName(k), v])) as T);
}
