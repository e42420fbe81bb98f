/**
 * Schema 5 → 6 on a store made to hold schema-5 threshold evidence (a
 * DuckDB file; a ClickHouse database when `CLICKHOUSE_URL` is set). The
 * schema-5 rows are the matches of a real ingest laid out one per match, as
 * schema 5 stored them (text addresses and tracked keys, the rule's
 * category and message on every row, the packet number, the local day).
 * After the upgrade the grouped rows must be exactly those the ingest wrote
 * and the signature statistics (checked against `ThresholdTable` by
 * `signature-thresholds.test.ts`) identical to before.
 */

import { describe, expect, it } from 'vitest';
import { signatureStatistics } from '../analyse/signature-stats.js';
import { denseThresholdPackets, EAST, frameOf, THRESHOLD_RULES, WEST } from '../analyse/testdata/threshold-scenario.js';
import { ingestCapture, loadDetectionSetup } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp } from '../ingest/testdata/captures.js';
import { formatIpv4 } from '../util/ip-address.js';
import { parsePeriod } from '../util/period.js';
import { openStore, SCHEMA_VERSION, type AnalyticsStore } from './index.js';
import { chunksOf } from './migrate-threshold-matches.js';
import {
  itOnOldSchemaStores,
  rewindTo,
  storeHasTable,
  type OldSchema,
  type OldSchemaBackend,
  type OldTable,
} from './testdata/old-schema-backends.js';

const US_PER_DAY = 86_400_000_000;
/** `THRESHOLD_TRACKS` codes. */
const BY_SRC = 0;
const BY_DST = 1;
const BY_BOTH = 3;
/** Packet numbers given to matches of unnamed packets: each its own, above any real one. */
const UNNAMED_FROM = 1_000_000_000;

const OLD_COLUMNS = `ingest_id, sensor_id, us, local_day, seq, gid, sid, category, msg, track, th_type, th_count,
  th_seconds, track_key, src, country, service, covered`;
const SCHEMA_5: OldSchema = {
  version: 5,
  views: ['signature_evidence', 'signature_rules'],
  tables: ['signature_match_rows', 'signature_rule_rows'],
  ddl: {
    duckdb: `CREATE TABLE signature_evidence_rows (ingest_id BIGINT NOT NULL, sensor_id INTEGER NOT NULL,
    us BIGINT NOT NULL, local_day INTEGER NOT NULL, seq UBIGINT NOT NULL, gid UINTEGER NOT NULL, sid UINTEGER NOT NULL,
    category VARCHAR NOT NULL, msg VARCHAR NOT NULL, track UTINYINT NOT NULL, th_type UTINYINT NOT NULL,
    th_count UINTEGER NOT NULL, th_seconds UINTEGER NOT NULL, track_key VARCHAR NOT NULL, src VARCHAR NOT NULL,
    country USMALLINT NOT NULL, service UINTEGER NOT NULL, covered UTINYINT NOT NULL)`,
    clickhouse: `CREATE TABLE signature_evidence_rows (ingest_id Int64, sensor_id Int32, us Int64, local_day Int32,
    seq UInt64, gid UInt32, sid UInt32, category String, msg String, track UInt8, th_type UInt8, th_count UInt32,
    th_seconds UInt32, track_key String, src String, country UInt16, service UInt32, covered UInt8)
    ENGINE = MergeTree ORDER BY (sid, track_key, us)`,
  },
  view: `CREATE VIEW signature_evidence AS SELECT * FROM signature_evidence_rows
  WHERE ingest_id IN (SELECT id FROM ingests)`,
};

/** The store's threshold evidence as comparable text, one line per group. */
async function groups(store: AnalyticsStore): Promise<string[]> {
  const rows = await store.query<Record<string, unknown>>({
    sql: `SELECT ingest_id, sensor_id, us, gid, sid, track, th_type, th_count, th_seconds, src, dst, country, covered,
      matches, later, packets FROM signature_evidence`,
    params: [],
  });
  return rows
    .map((r) => JSON.stringify(Object.values(r).map((v) => (Array.isArray(v) ? v.map(Number) : Number(v)))))
    .sort();
}

async function stats(store: AnalyticsStore): Promise<unknown> {
  const {
    method: _m,
    previousMethod: _p,
    ...rest
  } = await signatureStatistics(store, {
    period: parsePeriod('2010-06-02', { timeZone: 'UTC' }),
    topSignatures: 100,
  });
  return rest;
}

/** The store's grouped matches laid out one per match, as schema 5 stored them. */
async function schema5Rows(store: AnalyticsStore): Promise<Record<string, unknown>[]> {
  const rules = new Map(
    (
      await store.query<{ ingest_id: number; gid: number; sid: number; category: string; msg: string }>({
        sql: 'SELECT ingest_id, gid, sid, category, msg FROM signature_rules',
        params: [],
      })
    ).map((r) => [`${r.ingest_id}:${r.gid}:${r.sid}`, r]),
  );
  const rows = await store.query<Record<string, number | number[]>>({
    sql: 'SELECT * FROM signature_evidence',
    params: [],
  });
  const out: Record<string, unknown>[] = [];
  let unnamed = UNNAMED_FROM;
  for (const g of rows) {
    const n = (k: string): number => Number(g[k]);
    const rule = rules.get(`${n('ingest_id')}:${n('gid')}:${n('sid')}`)!;
    const src = formatIpv4(n('src'));
    const dst = formatIpv4(n('dst'));
    const track = n('track');
    const trackKey = track === BY_SRC ? src : track === BY_DST ? dst : track === BY_BOTH ? `${src}/${dst}` : '';
    const named = (g['packets'] as number[]).map(Number);
    let us = n('us');
    [0, ...(g['later'] as number[]).map(Number)].forEach((gap, m) => {
      us += gap;
      out.push({
        ingest_id: n('ingest_id'),
        sensor_id: n('sensor_id'),
        us,
        local_day: Math.floor(us / US_PER_DAY),
        seq: named.length === 0 ? unnamed++ : named[m]! - 1,
        gid: n('gid'),
        sid: n('sid'),
        category: rule.category,
        msg: rule.msg,
        track,
        th_type: n('th_type'),
        th_count: n('th_count'),
        th_seconds: n('th_seconds'),
        track_key: trackKey,
        src,
        country: n('country'),
        service: 0,
        covered: n('covered'),
      });
    });
  }
  return out;
}

async function migrateAndCheck(backend: OldSchemaBackend): Promise<void> {
  const dir = tempDir('teiten-migrate6-');
  const setup = await loadDetectionSetup({
    bundledRules: false,
    ruleFiles: [writeTemp(dir, 'thresholds.rules', Buffer.from(THRESHOLD_RULES))],
  });
  const store = await openStore(backend.target, { timeZone: 'UTC' });
  let before: unknown;
  let native: string[];
  let old: Record<string, unknown>[];
  try {
    await store.addSensor(EAST);
    await store.addSensor(WEST);
    const packets = denseThresholdPackets(21);
    for (const sensor of [EAST.name, WEST.name]) {
      const file = writeTemp(dir, `${sensor}.pcap`, pcapOf(packets.filter((p) => p.sensor === sensor).map(frameOf)));
      await ingestCapture(store, sensor, file, { geo: null, detection: setup });
    }
    before = await stats(store);
    // The threshold rules alert that day (`signatures` lists them).
    expect(JSON.stringify(before)).toContain('"sid":9100001');
    native = await groups(store);
    old = await schema5Rows(store);
  } finally {
    await store.close();
  }
  await rewindTo(backend, SCHEMA_5, old);
  const v6 = await openStore(backend.target);
  try {
    expect(v6.settings.schemaVersion).toBe(SCHEMA_VERSION);
    expect(await groups(v6)).toEqual(native);
    expect(native.length).toBeLessThan(old.length);
    expect(await stats(v6)).toEqual(before);
    expect(await storeHasTable(v6, 'signature_evidence_rows')).toBe(false);
  } finally {
    await v6.close();
  }
}

describe('chunksOf()', () => {
  const S = 1_000_000;
  it("reads an ingest's small days together and a day past 200,000 rows in pieces of whole seconds", () => {
    const day = (ingest_id: number, local_day: number, n: number, first: number, last: number) => ({
      ingest_id,
      local_day,
      n,
      first,
      last,
    });
    const chunks = [
      ...chunksOf([
        day(1, 10, 150_000, 10 * S + 5, 20 * S),
        day(1, 11, 40_000, 30 * S, 40 * S),
        day(1, 12, 20_000, 50 * S + 7, 60 * S),
        day(1, 13, 450_000, 70 * S + 3, 99 * S + 999_999),
        day(2, 13, 5, 70 * S, 71 * S),
      ]),
    ];
    expect(chunks).toEqual([
      { ingestId: 1, fromDay: 10, toDay: 11, fromUs: 10 * S, toUs: 40 * S + 1, rows: 190_000 },
      { ingestId: 1, fromDay: 12, toDay: 12, fromUs: 50 * S, toUs: 60 * S + 1, rows: 20_000 },
      // 30 s of day 13 in three pieces of 10 s, each starting on a whole second.
      { ingestId: 1, fromDay: 13, toDay: 13, fromUs: 70 * S, toUs: 80 * S },
      { ingestId: 1, fromDay: 13, toDay: 13, fromUs: 80 * S, toUs: 90 * S },
      { ingestId: 1, fromDay: 13, toDay: 13, fromUs: 90 * S, toUs: 100 * S },
      { ingestId: 2, fromDay: 13, toDay: 13, fromUs: 70 * S, toUs: 71 * S + 1, rows: 5 },
    ]);
  });
});

const OLD: OldTable = { name: 'signature_evidence_rows', columns: OLD_COLUMNS };

describe('migrate() from schema 5', () => {
  itOnOldSchemaStores(
    (store) => `groups the threshold matches of a ${store} store, figures unchanged`,
    'migrate6',
    OLD,
    migrateAndCheck,
  );
});
