/**
 * @module
 * The ClickHouse store: `clickhouse://host:port/database` (HTTP interface,
 * default port 8123, default database `teiten`, created by `migrate()`).
 * Works with servers as old as 18.16: no query parameters, no transactions,
 * no LowCardinality or IPv6 types are needed.
 */

import { SqlStore } from '../sql-store.js';
import type { AnalyticsStore, StoreOptions } from '../store.js';
import { parseClickHouseUrl } from './driver.js';
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
