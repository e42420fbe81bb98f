/**
 * @module
 * Schema 3 → 4: `source_day` rows move from one row per (day, source,
 * service) (`source_key_day_rows`) to one row per (day, source, country,
 * ASN) with its services and their packets as lists (`SOURCE_DAY`). Runs
 * inside `migrate()` after the schema-4 table exists, as one
 * `INSERT … SELECT` per committed ingest, so the rows never pass through
 * this process; a service's repeated rows (an ingest flushed at its memory
 * budget) are summed on the way, so the lists are what a new ingest writes.
 * Rows of ingests that never committed are left behind with the old table.
 *
 * Safe to interrupt: the new table is emptied before the copy, the view is
 * pointed at it only after the copy, the old table is dropped only after the
 * stored version says 4. A rerun of an interrupted migration starts over.
 */

import { INGESTS, SOURCE_DAY } from './schema.js';
import type { SqlSession } from './sql-session.js';
import type { StoreKind } from './store.js';
import { tableExists } from './table-exists.js';

/** The schema-2 and -3 table. */
const OLD_TABLE = 'source_key_day_rows';
const ROW_KEY = 'ingest_id, sensor_id, local_day, src, country, asn';

/**
 * A source-day's services and their packets (`service_packets`) as lists
 * sorted by service, per store. The inner name differs from the `packets`
 * alias, which ClickHouse would otherwise read inside the aggregate.
 */
const LISTS: Readonly<Record<StoreKind, string>> = {
  duckdb: 'LIST(service ORDER BY service) AS services, LIST(service_packets ORDER BY service) AS packets',
  // Sorting the (service, packets) pairs keeps the two arrays in step.
  clickhouse:
    'arrayMap(t -> t.1, arraySort(groupArray((service, service_packets)))) AS services, ' +
    'arrayMap(t -> t.2, arraySort(groupArray((service, service_packets)))) AS packets',
};

/** Copies the schema-3 rows into the list table and points the view at it; returns rows written. */
export async function copySourceRowsToLists(session: SqlSession): Promise<number> {
  if (!(await tableExists(session, OLD_TABLE))) return 0;
  await session.deleteWhere(SOURCE_DAY, { sql: '1 = 1', params: [] });
  const ingests = await session.all<{ id: number }>({
    sql: `SELECT DISTINCT ingest_id AS id FROM ${OLD_TABLE} WHERE ingest_id IN (SELECT id FROM ${INGESTS.name}) ORDER BY id`,
    params: [],
  });
  const columns = SOURCE_DAY.columns.map((c) => c.name).join(', ');
  for (const { id } of ingests) {
    await session.run({
      sql: `INSERT INTO ${SOURCE_DAY.name} (${columns})
        SELECT ${ROW_KEY}, ${LISTS[session.kind]}
        FROM (SELECT ${ROW_KEY}, service, SUM(packets) AS service_packets FROM ${OLD_TABLE} WHERE ingest_id = ? GROUP BY ${ROW_KEY}, service)
        GROUP BY ${ROW_KEY}`,
      params: [id],
    });
  }
  await session.dropView(SOURCE_DAY.view!);
  await session.createSchema();
  const [row] = await session.all<{ n: number }>({ sql: `SELECT COUNT(*) AS n FROM ${SOURCE_DAY.name}`, params: [] });
  return row?.n ?? 0;
}

/** Drops the schema-3 table once the store says version 4. */
export async function dropServiceSourceRows(session: SqlSession): Promise<void> {
  await session.dropTable(OLD_TABLE);
}
