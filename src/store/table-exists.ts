/**
 * @module
 * `tableExists`: whether the store holds a table of that name, for the
 * migrations, which must tell a store they have already upgraded.
 */

import type { SqlSession } from './sql-session.js';

export async function tableExists(session: Pick<SqlSession, 'kind' | 'all'>, name: string): Promise<boolean> {
  const sql =
    session.kind === 'duckdb'
      ? 'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = ?'
      : 'SELECT COUNT(*) AS n FROM system.tables WHERE database = currentDatabase() AND name = ?';
  const [row] = await session.all<{ n: number }>({ sql, params: [name] });
  return (row?.n ?? 0) > 0;
}
