/**
 * @module
 * Schema 2 → 3: `ingests.truncated_at` (see `schema.ts`), added with the
 * default 0, which is what every ingest of a schema-2 store was: teiten
 * refused truncated captures before. Safe to repeat: the column is added only
 * when missing, so an upgrade interrupted before the version was written
 * completes on the next open.
 */

import { INGESTS } from './schema.js';
import type { SqlSession } from './sql-session.js';

const COLUMN = 'truncated_at';

export async function addTruncatedAt(session: SqlSession): Promise<void> {
  const exists =
    session.kind === 'duckdb'
      ? 'SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_name = ? AND column_name = ?'
      : 'SELECT COUNT(*) AS n FROM system.columns WHERE database = currentDatabase() AND table = ? AND name = ?';
  const [row] = await session.all<{ n: number }>({ sql: exists, params: [INGESTS.name, COLUMN] });
  if ((row?.n ?? 0) > 0) return;
  // DuckDB adds no NOT NULL constraint in ALTER TABLE; the writer never stores NULL.
  const type = session.kind === 'duckdb' ? 'UBIGINT' : 'UInt64';
  await session.run({ sql: `ALTER TABLE ${INGESTS.name} ADD COLUMN ${COLUMN} ${type} DEFAULT 0`, params: [] });
}
