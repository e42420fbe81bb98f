/**
 * @module
 * Schema 1 → 2: `source_day` rows move from address text (`source_day_rows`)
 * to source keys (`source-key.ts`). Runs inside `migrate()` after the
 * current tables exist, one ingest and day at a time so a large store never
 * sits in memory, and writes the current `source_day` table (schema 4: one
 * row per source and day with its services as lists), so the schema-2
 * table of schema 3 → 4 (`migrate-source-lists.ts`) is never made.
 *
 * Safe to interrupt: the new table is emptied before the copy, the view is
 * pointed at it only after the copy, the old table is dropped only after the
 * stored version says 2. A rerun of an interrupted migration starts over.
 */

import { ColumnBuffer } from './column-buffer.js';
import { SourceKeyAssignments } from './ipv6-sources.js';
import { IPV6_SOURCES, SOURCE_DAY } from './schema.js';
import { sourceListRows } from './source-lists.js';
import type { SqlSession } from './sql-session.js';
import { tableExists } from './table-exists.js';

/** The schema-1 table. */
const OLD_TABLE = 'source_day_rows';

interface OldRow {
  ingest_id: number;
  sensor_id: number;
  local_day: number;
  src: string;
  country: number;
  asn: number;
  service: number;
  packets: number;
}

/** Copies the schema-1 rows into the current table and points the view at it; returns rows copied. */
export async function copySourceRowsToKeys(session: SqlSession): Promise<number> {
  if (!(await tableExists(session, OLD_TABLE))) return 0;
  await session.deleteWhere(SOURCE_DAY, { sql: '1 = 1', params: [] });
  await session.deleteWhere(IPV6_SOURCES, { sql: '1 = 1', params: [] });
  const keys = new SourceKeyAssignments();
  const parts = await session.all<{ ingest_id: number; local_day: number }>({
    sql: `SELECT DISTINCT ingest_id, local_day FROM ${OLD_TABLE} ORDER BY ingest_id, local_day`,
    params: [],
  });
  let copied = 0;
  for (const part of parts) {
    const rows = await session.all<OldRow>({
      sql: `SELECT ingest_id, sensor_id, local_day, src, country, asn, service, packets FROM ${OLD_TABLE}
        WHERE ingest_id = ? AND local_day = ?`,
      params: [part.ingest_id, part.local_day],
    });
    const src = await keys.sourceKeysOf(
      rows.map((r) => r.src),
      (q) => session.all(q),
    );
    const keyed = rows.map((r, i) => ({
      localDay: r.local_day,
      src: src[i]!,
      country: r.country,
      asn: r.asn,
      service: r.service,
      packets: r.packets,
    }));
    const buffer = new ColumnBuffer(SOURCE_DAY);
    const fixed = { ingest_id: part.ingest_id, sensor_id: rows[0]!.sensor_id };
    for (const row of sourceListRows(keyed)) buffer.addObject(row, fixed);
    await session.insert(buffer.take());
    const dictionary = keys.takeNewRows();
    if (dictionary !== null) await session.insert(dictionary);
    copied += rows.length;
  }
  await session.dropView(SOURCE_DAY.view!);
  await session.createSchema();
  return copied;
}

/** Drops the schema-1 table once the store says version 2. */
export async function dropOldSourceRows(session: SqlSession): Promise<void> {
  await session.dropTable(OLD_TABLE);
}
