/**
 * @module
 * Schema 7 → 8: one-probe scanner pieces get a narrow table of their own,
 * `scanner_probe_rows` (`SCANNER_PROBES`, made by `createSchema`), which the
 * view `scanner_evidence` shows beside `scanner_piece_rows`. The rows stored
 * before stay where they are and the view shows them as before: only the
 * view is made again, so that it reads both tables. Safe to interrupt: a
 * dropped view is made again by the next `createSchema`, and the step runs
 * again until the store says version 8.
 */

import { SCANNER_EVIDENCE } from './schema.js';
import type { SqlSession } from './sql-session.js';

export async function showScannerProbes(session: SqlSession): Promise<void> {
  await session.dropView(SCANNER_EVIDENCE.view!);
  await session.createSchema();
}
