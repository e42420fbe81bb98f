/**
 * @module
 * Retention per class of table, as data: how long raw packets, hourly
 * rollups, source sets and detection evidence are kept, in whole local days
 * of the store's zone, and which rows of each table a cutoff removes. The
 * durations live in `meta` (`raw_retention_days` for raw packets, as
 * before; `retention_<class>_days` for the others, absent = kept forever),
 * so every later `teiten retention` applies the same.
 *
 * Rows go by the time of their data (their local day), never by when they
 * were ingested: a cutoff day C removes every row of a day before C and
 * nothing of C or later, so every figure of a period starting on or after C
 * is what it was (test: `retention.test.ts`). Threshold matches go by
 * chain instead: a chain of matches still running at the cutoff keeps
 * those back to the start of its window open at the cutoff, on which its
 * alerts after the cutoff depend (`threshold-chains.ts`). `ingests` rows are never
 * removed: they are the commit markers and the duplicate keys, so a capture
 * whose rows were pruned is still refused as a duplicate.
 */

import type { SqlSession } from './sql-session.js';
import type { SqlQuery } from './store.js';
import {
  BACKSCATTER_DAY,
  BACKSCATTER_EVIDENCE,
  BACKSCATTER_VICTIM_DAY,
  MetaKey,
  PACKETS,
  SCANNER_EVIDENCE,
  SCANNER_PROBES,
  SIGNATURE_DAY,
  SIGNATURE_EVIDENCE,
  SIGNATURE_SOURCE_DAY,
  SOURCE_DAY,
  TRAFFIC_HOUR,
  type TableDef,
} from './schema.js';
import { keepRunningChains, releaseKeptSeconds, thresholdMatchesBefore } from './threshold-chains.js';

/** Where a cutoff falls: the first kept local day, and the instant it starts. */
export interface Cutoff {
  day: number;
  sec: number;
}

export interface RetainedTable {
  readonly table: TableDef;
  /** The rows a cutoff removes (given what `prepare` wrote for it). */
  older(cutoff: Cutoff): SqlQuery;
  /** Writes the rows `older` reads, where a row's removal depends on other rows. */
  prepare?(cutoff: Cutoff, session: SqlSession): Promise<void>;
  /** Removes what `prepare` wrote, once the rows are removed (or counted, on a dry run). */
  release?(session: SqlSession): Promise<void>;
  /**
   * The same as a ClickHouse TTL expression (a Date or DateTime the rows
   * expire after, plus the days kept); none where a row's expiry depends on
   * other rows, which only `teiten retention` removes.
   */
  readonly ttlTime: string | undefined;
}

const byDay = (table: TableDef): RetainedTable => ({
  table,
  older: (c) => ({ sql: 'local_day < ?', params: [c.day] }),
  ttlTime: "toDate('1970-01-01') + local_day",
});

/** A scanner window is removed once it ended before the cutoff: a kept period keeps every window it touches. */
const byWindowEnd = (table: TableDef): RetainedTable => ({
  table,
  older: (c) => ({ sql: 'window_end <= ?', params: [c.sec] }),
  ttlTime: 'toDateTime(window_end)',
});

/** The classes `--retention` names, each with its tables. */
export const RETENTION_CLASSES = {
  packets: { description: 'raw packets', tables: [byDay(PACKETS)] },
  hourly: { description: 'hourly rollups', tables: [byDay(TRAFFIC_HOUR)] },
  sources: { description: 'per-day source sets', tables: [byDay(SOURCE_DAY)] },
  evidence: {
    description: 'detection evidence (signature, backscatter and scanner tables)',
    tables: [
      byDay(SIGNATURE_DAY),
      byDay(SIGNATURE_SOURCE_DAY),
      byDay(BACKSCATTER_DAY),
      byDay(BACKSCATTER_VICTIM_DAY),
      {
        table: BACKSCATTER_EVIDENCE,
        older: (c) => ({ sql: 'sec < ?', params: [c.sec] }),
        ttlTime: 'toDateTime(sec)',
      },
      {
        // Threshold matches by chain: one still running at the cutoff keeps them from its open window's start (`threshold-chains.ts`).
        table: SIGNATURE_EVIDENCE,
        older: (c) => thresholdMatchesBefore(c.sec),
        prepare: (c, session) => keepRunningChains(session, c.sec),
        release: releaseKeptSeconds,
        ttlTime: undefined,
      },
      byWindowEnd(SCANNER_EVIDENCE),
      byWindowEnd(SCANNER_PROBES),
    ],
  },
} as const satisfies Record<string, { description: string; tables: readonly RetainedTable[] }>;

export type RetentionClass = keyof typeof RETENTION_CLASSES;

/** Days kept per class; null = forever (raw packets always have a number: 0 stores none). */
export type Retention = Readonly<Record<RetentionClass, number | null>>;

const CLASS_NAMES = Object.keys(RETENTION_CLASSES) as RetentionClass[];
const DAYS_PER_UNIT: Readonly<Record<string, number>> = { d: 1, w: 7, y: 365 };
const DURATION = /^(\d+)([dwy])$/;
const FOREVER = 'forever';
/** Past any store's history: 1000 years. */
const MAX_DAYS = 365_000;

/** The meta key holding a class's days. */
export function retentionMetaKey(name: RetentionClass): string {
  return name === 'packets' ? MetaKey.RAW_RETENTION_DAYS : `retention_${name}_days`;
}

/** The meta key holding the first day a class still has all rows of (set by each run that removed rows). */
export function prunedMetaKey(name: RetentionClass): string {
  return `retention_${name}_kept_from_day`;
}

/**
 * Parses `packets=30d,hourly=2y,sources=400d,evidence=forever` (any subset;
 * `d` days, `w` weeks, `y` 365 days). Throws `SyntaxError` naming the part
 * that is wrong.
 */
export function parseRetention(text: string): Partial<Record<RetentionClass, number | null>> {
  const result: Partial<Record<RetentionClass, number | null>> = {};
  for (const part of text.split(',')) {
    const [name, value, extra] = part.trim().split('=');
    if (name === undefined || value === undefined || extra !== undefined || name === '') {
      throw new SyntaxError(`Cannot read retention "${part}": write CLASS=DURATION, e.g. hourly=2y`);
    }
    if (!(CLASS_NAMES as string[]).includes(name)) {
      throw new SyntaxError(`Cannot read retention "${part}": ${name} is not one of ${CLASS_NAMES.join(', ')}`);
    }
    const key = name as RetentionClass;
    if (key in result) throw new SyntaxError(`Cannot read retention "${text}": ${name} is given twice`);
    result[key] = parseDuration(key, value);
  }
  return result;
}

function parseDuration(name: RetentionClass, value: string): number | null {
  if (value === FOREVER) {
    if (name === 'packets') {
      throw new SyntaxError('Cannot read retention packets=forever: raw packets need a number of days (0 = none)');
    }
    return null;
  }
  const m = DURATION.exec(value);
  const days = m === null ? NaN : Number(m[1]) * DAYS_PER_UNIT[m[2]!]!;
  if (!Number.isSafeInteger(days) || days > MAX_DAYS) {
    throw new SyntaxError(
      `Cannot read retention ${name}=${value}: write a whole number of days, weeks or years (30d, 8w, 2y) or ${FOREVER}`,
    );
  }
  return days;
}

/** `packets=30d, hourly=730d, …` as stored (days). */
export function formatRetention(retention: Retention): string {
  return CLASS_NAMES.map((n) => `${n}=${retention[n] === null ? FOREVER : `${retention[n]}d`}`).join(', ');
}

/** The retention recorded in `meta` (read by `migrate()`); `rawRetentionDays` is the packets class. */
export function retentionFromMeta(meta: ReadonlyMap<string, string>, rawRetentionDays: number): Retention {
  const read = (name: RetentionClass): number | null => {
    const value = meta.get(retentionMetaKey(name));
    return value === undefined || value === '' ? null : Number(value);
  };
  return { packets: rawRetentionDays, hourly: read('hourly'), sources: read('sources'), evidence: read('evidence') };
}

/** The first day of each class that retention has not touched (null: nothing removed yet). */
export function keptFromMeta(meta: ReadonlyMap<string, string>): Readonly<Record<RetentionClass, number | null>> {
  const entries = CLASS_NAMES.map((n) => {
    const value = meta.get(prunedMetaKey(n));
    return [n, value === undefined ? null : Number(value)] as const;
  });
  return Object.fromEntries(entries) as Record<RetentionClass, number | null>;
}

export function retentionClasses(): readonly RetentionClass[] {
  return CLASS_NAMES;
}
