/**
 * @module
 * `applyRetention()`: removes the rows each class's retention no longer
 * keeps (`retention.ts`), table by table, through the session's delete:
 * DuckDB deletes in a statement; ClickHouse runs an `ALTER TABLE … DELETE`
 * mutation and waits for it, on a cluster `ON CLUSTER` on the `_local`
 * tables until every replica has applied it (`clickhouse/cluster-ops.ts`).
 * The tables are not partitioned (one MergeTree part set per table, as
 * 18.16 created them), so there are no whole partitions to drop; a mutation
 * rewrites only the parts holding old rows.
 *
 * Where the server can expire rows itself (ClickHouse 19.6 and later:
 * `TTL`), the session also sets each table's TTL to the same duration, and
 * the result says so; otherwise the command has to be run (cron, or the
 * collector's daily run).
 */

import { startOfLocalDay, TzClock } from '../util/tz.js';
import {
  RETENTION_CLASSES,
  retentionClasses,
  type RetainedTable,
  type Retention,
  type RetentionClass,
} from './retention.js';
import type { SqlSession } from './sql-session.js';

const RETENTION_LOCK = 'retention';

/** One table's share of a retention run. */
export interface RetentionStep {
  readonly class: RetentionClass;
  /** The base table (`packet_rows` …). */
  readonly table: string;
  readonly keptDays: number;
  /** The first local day kept (days since 1970-01-01 in the store's zone). */
  readonly keptFromDay: number;
  /** Rows removed, or that a dry run would remove. */
  readonly rows: number;
}

export interface RetentionRun {
  readonly steps: readonly RetentionStep[];
  /** True when the server also expires rows itself (TTL set); false: run retention periodically. */
  readonly serverTtl: boolean;
}

export interface RetentionOptions {
  retention: Retention;
  timeZone: string;
  nowSec: number;
  /** Count what would be removed, change nothing. */
  dryRun: boolean;
}

export async function applyRetention(session: SqlSession, options: RetentionOptions): Promise<RetentionRun> {
  // One run at a time: a condition may read rows the run prepared (`RetainedTable.release`).
  return session.exclusive(RETENTION_LOCK, () => applyUnlocked(session, options));
}

async function applyUnlocked(session: SqlSession, options: RetentionOptions): Promise<RetentionRun> {
  const today = new TzClock(options.timeZone).localDay(options.nowSec);
  const steps: RetentionStep[] = [];
  const rules = [];
  for (const name of retentionClasses()) {
    const days = options.retention[name];
    if (days === null) continue;
    const cutoff = { day: today - days, sec: startOfLocalDay(today - days, options.timeZone) };
    const tables: readonly RetainedTable[] = RETENTION_CLASSES[name].tables;
    for (const retained of tables) {
      await retained.prepare?.(cutoff, session);
      const where = retained.older(cutoff);
      const [row] = await session.all<{ n: number }>({
        sql: `SELECT COUNT(*) AS n FROM ${retained.table.name} WHERE ${where.sql}`,
        params: where.params,
      });
      const rows = Number(row?.n ?? 0);
      if (rows > 0 && !options.dryRun) await session.deleteWhere(retained.table, where);
      await retained.release?.(session);
      steps.push({ class: name, table: retained.table.name, keptDays: days, keptFromDay: cutoff.day, rows });
      if (retained.ttlTime !== undefined) rules.push({ table: retained.table, ttlTime: retained.ttlTime, days });
    }
  }
  const serverTtl = options.dryRun ? await session.expiresRows(null) : await session.expiresRows(rules);
  return { steps, serverTtl };
}
