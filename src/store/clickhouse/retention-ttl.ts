/**
 * @module
 * Retention as ClickHouse TTLs, where the server has them: `TTL` on
 * MergeTree tables came in 19.6, so a server of that version or later gets
 * `ALTER TABLE … MODIFY TTL` for each retained table (on a cluster, the
 * `_local` tables ON CLUSTER) and drops expired rows itself at merges. 18.16
 * (Debian's, the one tested here) has no TTL: there `teiten retention` does
 * all of it and must be run periodically.
 *
 * The TTL time is the row's local day as a Date (or its second as a
 * DateTime) plus the days kept: the server expires a day's rows up to a
 * zone offset and a merge later than the command would, never earlier.
 */

import type { TtlRule } from '../sql-session.js';
import { LOCAL_SUFFIX } from './cluster-ddl.js';

/** The first release with MergeTree TTLs. */
const TTL_SINCE: readonly [major: number, minor: number] = [19, 6];

/** True when `version()` (e.g. `18.16.1`, `24.3.2.23`) is at least 19.6. */
export function supportsTtl(version: string): boolean {
  const [major = NaN, minor = NaN] = version.split('.').map(Number);
  if (!Number.isInteger(major) || !Number.isInteger(minor)) return false;
  return major > TTL_SINCE[0] || (major === TTL_SINCE[0] && minor >= TTL_SINCE[1]);
}

/** The `ALTER TABLE … MODIFY TTL` statements of `rules`, on a cluster's `_local` tables when `cluster` is given. */
export function ttlStatements(rules: readonly TtlRule[], target: { database: string; cluster?: string }): string[] {
  return rules.map((rule) => {
    const table =
      target.cluster === undefined
        ? rule.table.name
        : `${target.database}.${rule.table.name}${LOCAL_SUFFIX} ON CLUSTER ${target.cluster}`;
    return `ALTER TABLE ${table} MODIFY TTL ${rule.ttlTime} + INTERVAL ${rule.days} DAY`;
  });
}
