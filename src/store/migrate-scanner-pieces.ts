/**
 * @module
 * Schema 6 → 7: scanner evidence moves from `scanner_evidence_rows` to
 * `scanner_piece_rows` (`SCANNER_EVIDENCE`), which holds a one-probe piece's
 * address and service as numbers (`dst`, `service`) with empty text, the
 * row most darknet sources make. The old rows are copied as they are, text
 * kept and both numbers 0, which is how a piece of several probes is
 * written, so every scanner derived from them is what it was. Runs inside
 * `migrate()` after the schema-7 table exists, as one `INSERT … SELECT`, so
 * the rows never pass through this process. Rows of ingests that never
 * committed are left behind with the old table.
 *
 * Safe to interrupt: the new table is emptied before the copy, the view is
 * pointed at it only after the copy, the old table is dropped only after the
 * stored version says 7. A rerun of an interrupted migration starts over.
 */

import { INGESTS, SCANNER_EVIDENCE } from './schema.js';
import type { SqlSession } from './sql-session.js';
import { tableExists } from './table-exists.js';

/** The schema-6 table. */
const OLD_TABLE = 'scanner_evidence_rows';
/** The columns schema 7 added; the old rows had neither. */
const ADDED = new Set(['dst', 'service']);

/** Copies the schema-6 rows into the new table and points the view at it; returns rows copied. */
export async function copyScannerPieces(session: SqlSession): Promise<number> {
  if (!(await tableExists(session, OLD_TABLE))) return 0;
  await session.deleteWhere(SCANNER_EVIDENCE, { sql: '1 = 1', params: [] });
  const kept = SCANNER_EVIDENCE.columns.filter((c) => !ADDED.has(c.name)).map((c) => c.name);
  await session.run({
    sql: `INSERT INTO ${SCANNER_EVIDENCE.name} (${kept.join(', ')}, ${[...ADDED].join(', ')})
      SELECT ${kept.join(', ')}, ${[...ADDED].map(() => '0').join(', ')} FROM ${OLD_TABLE}
      WHERE ingest_id IN (SELECT id FROM ${INGESTS.name})`,
    params: [],
  });
  await session.dropView(SCANNER_EVIDENCE.view!);
  await session.createSchema();
  const [row] = await session.all<{ n: number }>({
    sql: `SELECT COUNT(*) AS n FROM ${SCANNER_EVIDENCE.name}`,
    params: [],
  });
  return row?.n ?? 0;
}

/** Drops the schema-6 table once the store says version 7. */
export async function dropOldScannerPieces(session: SqlSession): Promise<void> {
  await session.dropTable(OLD_TABLE);
}
