/**
 * @module
 * The three grouped queries every statistic is made of, written once in the
 * store's portable SQL (`store/store.ts`) so DuckDB and ClickHouse run the
 * same text: packets by key columns, distinct sources by key columns, and
 * the sum over days of each day's distinct sources. Each can add the local
 * day to its groups (daily series). The scope's filter becomes the WHERE
 * clause; a filter the source sets cannot express (packet class on
 * `source_day`) makes the source queries return null instead of a wrong count.
 */

import { IPV6_KEY_BASE, type AnalyticsStore, type SqlQuery } from '../store/index.js';
import type { KeyColumn } from './item-keys.js';
import type { Scope } from './scope.js';

/** Where rows come from: hourly rollups and day source sets, or raw packets (within retention). */
export type RowSource = 'rollup' | 'raw';

interface ViewDef {
  readonly name: string;
  /** Columns filters may use; without `ip_version` the family is told by the source key, without `packet_class` not at all. */
  readonly hasIpVersion: boolean;
  readonly hasPacketClass: boolean;
}

const TRAFFIC_VIEW: ViewDef = { name: 'traffic_hour', hasIpVersion: true, hasPacketClass: true };
/** `src` holds source keys (`store/source-key.ts`). */
const SOURCE_VIEW: ViewDef = { name: 'source_day', hasIpVersion: false, hasPacketClass: false };
const PACKET_VIEW: ViewDef = { name: 'packets', hasIpVersion: true, hasPacketClass: true };

const VIEWS: Readonly<Record<RowSource, { counts: ViewDef; sources: ViewDef; packets: string; bytes: string }>> = {
  rollup: {
    counts: TRAFFIC_VIEW,
    sources: SOURCE_VIEW,
    packets: 'COALESCE(SUM(packets), 0)',
    bytes: 'COALESCE(SUM(bytes), 0)',
  },
  raw: { counts: PACKET_VIEW, sources: PACKET_VIEW, packets: 'COUNT(*)', bytes: 'COALESCE(SUM(wire_len), 0)' },
};

export interface GroupSpec {
  source: RowSource;
  /** Key columns to group by (none: one total row). */
  columns: readonly KeyColumn[];
  /** Group by local day too. */
  byDay?: boolean;
  /** Extra condition, e.g. the keys a series is limited to. */
  match?: SqlQuery;
  /** Sum bytes too (default false: `bytes` is then 0; a large breakdown reads faster without). */
  bytes?: boolean;
}

export interface CountRow {
  values: number[];
  /** Local day, or -1 when not grouped by day. */
  day: number;
  packets: number;
  bytes: number;
}

export interface SourceRow {
  values: number[];
  day: number;
  /** Distinct sources of the group, or with `sourceDaySums` Σ of daily distinct counts. */
  sources: number;
}

/** The WHERE clause of `scope` for `view`, or null when the view cannot apply the filter. */
function scopeWhere(scope: Scope, view: ViewDef, match: SqlQuery | undefined): SqlQuery | null {
  const f = scope.filter;
  const parts: string[] = ['local_day >= ? AND local_day < ?'];
  const params: unknown[] = [scope.period.startDay, scope.period.endDay];
  if (f.restrictSensors) {
    if (f.sensors.length === 0) parts.push('1 = 0');
    else {
      parts.push(`sensor_id IN (${placeholders(f.sensors.length)})`);
      params.push(...f.sensors.map((s) => s.id));
    }
  }
  if (f.ipVersion !== null) {
    if (view.hasIpVersion) {
      parts.push('ip_version = ?');
      params.push(f.ipVersion);
    } else {
      parts.push(f.ipVersion === 6 ? 'src >= ?' : 'src < ?');
      params.push(IPV6_KEY_BASE);
    }
  }
  if (f.packetClasses !== null) {
    if (!view.hasPacketClass) return null;
    parts.push(`packet_class IN (${placeholders(f.packetClasses.length)})`);
    params.push(...f.packetClasses);
  }
  if (f.service !== null) {
    parts.push('service = ?');
    params.push(f.service);
  }
  if (f.country !== null) {
    parts.push('country = ?');
    params.push(f.country);
  }
  if (match !== undefined) {
    parts.push(`(${match.sql})`);
    params.push(...match.params);
  }
  return { sql: parts.join(' AND '), params };
}

export function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

/** `k0, k1, …` select list and the matching GROUP BY list. */
function groupLists(columns: readonly KeyColumn[], byDay: boolean): { select: string; group: string } {
  const select = columns.map((c, i) => `${c} AS k${i}`);
  const group: string[] = [...columns];
  if (byDay) {
    select.push('local_day AS d');
    group.push('local_day');
  }
  return {
    select: select.map((s) => `${s}, `).join(''),
    group: group.length > 0 ? ` GROUP BY ${group.join(', ')}` : '',
  };
}

function valuesOf(row: Record<string, unknown>, n: number): number[] {
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) values[i] = Number(row[`k${i}`]);
  return values;
}

/** Packets and bytes per group. */
export async function countRows(store: AnalyticsStore, scope: Scope, spec: GroupSpec): Promise<CountRow[]> {
  const view = VIEWS[spec.source];
  const where = scopeWhere(scope, view.counts, spec.match)!;
  const { select, group } = groupLists(spec.columns, spec.byDay === true);
  const rows = await store.query<Record<string, unknown>>({
    sql: `SELECT ${select}${view.packets} AS packets${spec.bytes === true ? `, ${view.bytes} AS bytes` : ''}
      FROM ${view.counts.name} WHERE ${where.sql}${group}`,
    params: where.params,
  });
  return rows.map((row) => ({
    values: valuesOf(row, spec.columns.length),
    day: spec.byDay === true ? Number(row['d']) : -1,
    packets: Number(row['packets']),
    bytes: spec.bytes === true ? Number(row['bytes']) : 0,
  }));
}

/** Distinct sources per group, or null when the filter cannot be applied to source sets. */
export async function sourceRows(store: AnalyticsStore, scope: Scope, spec: GroupSpec): Promise<SourceRow[] | null> {
  const view = VIEWS[spec.source].sources;
  const where = scopeWhere(scope, view, spec.match);
  if (where === null) return null;
  const { select, group } = groupLists(spec.columns, spec.byDay === true);
  const rows = await store.query<Record<string, unknown>>({
    sql: `SELECT ${select}COUNT(DISTINCT src) AS sources FROM ${view.name} WHERE ${where.sql}${group}`,
    params: where.params,
  });
  return rows.map((row) => ({
    values: valuesOf(row, spec.columns.length),
    day: spec.byDay === true ? Number(row['d']) : -1,
    sources: Number(row['sources']),
  }));
}

/** Σ over days of each day's distinct sources, per group (the numerator of `sourcesPerDay`). */
export async function sourceDaySums(
  store: AnalyticsStore,
  scope: Scope,
  spec: Omit<GroupSpec, 'byDay'>,
): Promise<SourceRow[] | null> {
  const view = VIEWS[spec.source].sources;
  const where = scopeWhere(scope, view, spec.match);
  if (where === null) return null;
  const inner = groupLists(spec.columns, true);
  const outerKeys = spec.columns.map((_, i) => `k${i}`);
  const outerSelect = outerKeys.map((k) => `${k}, `).join('');
  const outerGroup = outerKeys.length > 0 ? ` GROUP BY ${outerKeys.join(', ')}` : '';
  const rows = await store.query<Record<string, unknown>>({
    sql: `SELECT ${outerSelect}COALESCE(SUM(n), 0) AS sources FROM (SELECT ${inner.select}COUNT(DISTINCT src) AS n
      FROM ${view.name} WHERE ${where.sql}${inner.group}) AS t${outerGroup}`,
    params: where.params,
  });
  return rows.map((row) => ({ values: valuesOf(row, spec.columns.length), day: -1, sources: Number(row['sources']) }));
}

/**
 * A condition matching rows whose `columns` equal one of `keys` (each a
 * value per column). Several columns are one tuple `IN` list, which both
 * stores look up in a hash set: an OR of equalities is tested branch by
 * branch on every row (the ranking's per-day series of country × service
 * pairs took 5× as long on DuckDB).
 */
export function matchKeys(columns: readonly KeyColumn[], keys: readonly (readonly number[])[]): SqlQuery {
  if (keys.length === 0) return { sql: '1 = 0', params: [] };
  if (columns.length === 1)
    return { sql: `${columns[0]} IN (${placeholders(keys.length)})`, params: keys.map((k) => k[0]) };
  const tuple = `(${placeholders(columns.length)})`;
  return {
    sql: `(${columns.join(', ')}) IN (${new Array<string>(keys.length).fill(tuple).join(', ')})`,
    params: keys.flat(),
  };
}
