/**
 * @module
 * What the detection statistics share: the request's scopes (the access
 * statistics' divisors, `scope.ts`), the WHERE clause every detection view
 * takes (local days of the period, selected sensors), grouped reads in the
 * store's portable SQL, and the method record (`detection_runs` of the
 * period's ingests).
 */

import type { AnalyticsStore, SqlQuery } from '../store/index.js';
import type { DetectionMethod, RuleSetUse } from './detection-types.js';
import { StatsInputError } from './errors.js';
import type { Period } from '../util/period.js';
import { placeholders } from './queries.js';
import { resolveScopes, type Scope, type ScopePair } from './scope.js';
import type { StatsFilter } from './types.js';

/** Detection tables keep sensors, days and countries; the other filters do not apply. */
export type DetectionFilter = Pick<StatsFilter, 'sensors'>;

const UNSUPPORTED: readonly (keyof StatsFilter)[] = ['ipVersion', 'packetClasses', 'service', 'country'];

/** The scopes of `period` and the one before; throws `StatsInputError` for a filter detection cannot apply. */
export async function detectionScopes(
  store: AnalyticsStore,
  period: Period,
  filter: DetectionFilter = {},
): Promise<ScopePair> {
  for (const field of UNSUPPORTED) {
    const value = (filter as StatsFilter)[field];
    if (value !== undefined)
      throw new StatsInputError(field, value, 'does not apply to detection statistics (only sensors does)');
  }
  return resolveScopes(store, period, filter.sensors === undefined ? {} : { sensors: filter.sensors });
}

/** `local_day` in the period and `sensor_id` among the selected sensors, plus `extra`. */
export function detectionWhere(scope: Scope, extra?: SqlQuery): SqlQuery {
  const parts = ['local_day >= ? AND local_day < ?'];
  const params: unknown[] = [scope.period.startDay, scope.period.endDay];
  pushSensorClause(scope, parts, params);
  if (extra !== undefined) {
    parts.push(`(${extra.sql})`);
    params.push(...extra.params);
  }
  return { sql: parts.join(' AND '), params };
}

/** Rows of `SELECT {select} FROM {view} WHERE <scope> [GROUP BY group]`, numbers and text as stored. */
export interface ScopedQuery {
  view: string;
  select: string;
  group?: string;
  /** Condition ANDed with the scope's. */
  extra?: SqlQuery;
  /** Text after the GROUP BY (`ORDER BY … LIMIT ?`) and its parameters. */
  tail?: string;
  tailParams?: unknown[];
}

export function scoped<T>(store: AnalyticsStore, scope: Scope, q: ScopedQuery): Promise<T[]> {
  const where = detectionWhere(scope, q.extra);
  return store.query<T>({
    sql: `SELECT ${q.select} FROM ${q.view} WHERE ${where.sql}${q.group === undefined ? '' : ` GROUP BY ${q.group}`}${q.tail ?? ''}`,
    params: [...where.params, ...(q.tailParams ?? [])],
  });
}

/**
 * Σ over days of each day's distinct `counted` per group (`key` may be
 * empty: one row), the numerator of "per day" source and victim figures.
 */
export async function distinctDaySums(
  store: AnalyticsStore,
  scope: Scope,
  q: { view: string; counted: string; key: string | null; extra?: SqlQuery },
): Promise<Map<string, number>> {
  const where = detectionWhere(scope, q.extra);
  const inner = q.key === null ? '' : `${q.key} AS k, `;
  const group = q.key === null ? 'local_day' : `${q.key}, local_day`;
  const rows = await store.query<{ k?: unknown; n: number }>({
    sql: `SELECT ${q.key === null ? '' : 'k, '}COALESCE(SUM(c), 0) AS n FROM (SELECT ${inner}local_day AS d, COUNT(DISTINCT ${q.counted}) AS c
      FROM ${q.view} WHERE ${where.sql} GROUP BY ${group}) AS t${q.key === null ? '' : ' GROUP BY k'}`,
    params: where.params,
  });
  return new Map(rows.map((r) => [String(r.k ?? ''), Number(r.n)]));
}

/** One entry per date of the scope's period, 0 where `byDay` has none. */
export function dailyValues(scope: Scope, byDay: ReadonlyMap<number, number>): number[] {
  return Array.from({ length: scope.period.days }, (_, i) => byDay.get(scope.period.startDay + i) ?? 0);
}

interface RunRow {
  ingest_id: number;
  signatures: number;
  rule_files: string;
  rules_loaded: number;
  rules_skipped: number;
  rules_sha256: string;
  category_files: string;
  settings: string;
}

/** Which ingests of the period ran detection, and with which rules and settings. */
export async function detectionMethod(store: AnalyticsStore, scope: Scope): Promise<DetectionMethod> {
  const parts = ['packets_counted > 0 AND last_sec >= ? AND first_sec < ?'];
  const params: unknown[] = [scope.period.startSec, scope.period.endSec];
  pushSensorClause(scope, parts, params);
  const where = parts.join(' AND ');
  const [count] = await store.query<{ n: number }>({ sql: `SELECT COUNT(*) AS n FROM ingests WHERE ${where}`, params });
  const runs = await store.query<RunRow>({
    sql: `SELECT ingest_id, signatures, rule_files, rules_loaded, rules_skipped, rules_sha256, category_files, settings
      FROM detection_runs WHERE ingest_id IN (SELECT id FROM ingests WHERE ${where}) ORDER BY ingest_id`,
    params,
  });
  const sets = new Map<string, RuleSetUse>();
  const settings = new Map<string, unknown>();
  for (const run of runs) {
    const key = `${run.rules_sha256} ${run.category_files}`;
    const set = sets.get(key);
    if (set === undefined) {
      sets.set(key, {
        rulesSha256: run.rules_sha256,
        rulesLoaded: Number(run.rules_loaded),
        rulesSkipped: Number(run.rules_skipped),
        files: JSON.parse(run.rule_files) as RuleSetUse['files'],
        categoryFiles: JSON.parse(run.category_files) as RuleSetUse['categoryFiles'],
        ingests: 1,
      });
    } else set.ingests++;
    if (!settings.has(run.settings)) settings.set(run.settings, JSON.parse(run.settings));
  }
  return {
    ingests: Number(count?.n ?? 0),
    ingestsWithDetection: runs.length,
    ingestsWithSignatures: runs.filter((r) => Number(r.signatures) === 1).length,
    ruleSets: [...sets.values()].sort((a, b) => b.ingests - a.ingests || (a.rulesSha256 < b.rulesSha256 ? -1 : 1)),
    settings: [...settings.values()],
  };
}

/** ` AND sensor_id IN (…)` when the filter names sensors (` AND 1 = 0` when it names none), else nothing. */
export function sensorClause(scope: Scope): SqlQuery {
  const f = scope.filter;
  if (!f.restrictSensors) return { sql: '', params: [] };
  if (f.sensors.length === 0) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND sensor_id IN (${placeholders(f.sensors.length)})`, params: f.sensors.map((s) => s.id) };
}

/** Adds `sensor_id IN (…)` when the filter names sensors (`1 = 0` when it names none). */
function pushSensorClause(scope: Scope, parts: string[], params: unknown[]): void {
  const f = scope.filter;
  if (!f.restrictSensors) return;
  if (f.sensors.length === 0) {
    parts.push('1 = 0');
    return;
  }
  parts.push(`sensor_id IN (${placeholders(f.sensors.length)})`);
  params.push(...f.sensors.map((s) => s.id));
}
