/**
 * @module
 * The ClickHouse store: `clickhouse://host:port/database` (HTTP interface,
 * default port 8123, default database `teiten`, created by `migrate()`).
 * Works with servers as old as 18.16: no query parameters, no transactions,
 * no LowCardinality or IPv6 types are needed.
 */

import { SqlStore } from '../sql-store.js';
import type { AnalyticsStore, StoreOptions } from '../store.js';
import { StoreOpenError, StoreQueryError } from '../errors.js';
import { ClickHouseDriver, parseClickHouseUrl } from './driver.js';
import { ClickHouseSession } from './session.js';

export { parseClickHouseUrl, type ClickHouseTarget } from './driver.js';

/** Opens (without migrating) the ClickHouse store at `url`; nothing is sent until the first call. */
export async function openClickHouseStore(url: string, options: StoreOptions = {}): Promise<AnalyticsStore> {
  const session = new ClickHouseSession(parseClickHouseUrl(url));
  try {
    return new SqlStore(session, options);
  } catch (error) {
    await session.close();
    throw error;
  }
}

/** True when the database at `url` holds a teiten store (its `meta` table); asks the server, creates nothing. */
export async function clickHouseStoreExists(url: string): Promise<boolean> {
  const target = parseClickHouseUrl(url);
  const driver = new ClickHouseDriver(target, { database: 'system' });
  try {
    const rows = await driver.all<{ n: number }>({
      sql: 'SELECT count() AS n FROM system.tables WHERE database = ? AND name = ?',
      params: [target.database, 'meta'],
    });
    return Number(rows[0]?.n ?? 0) > 0;
  } catch (error) {
    if (error instanceof StoreQueryError && error.dbCode === undefined) {
      throw new StoreOpenError(`${target.url}/${target.database}`, 'no ClickHouse answers', { cause: error.cause });
    }
    throw error;
  } finally {
    await driver.close();
  }
}
