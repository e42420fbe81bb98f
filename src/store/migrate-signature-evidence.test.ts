/**
 * Schema 4 → 5 (→ 6) on stores made to look like schema-4 stores (a DuckDB
 * file; a ClickHouse database when `CLICKHOUSE_URL` is set): the open creates
 * `signature_evidence` (threshold matches, decided when read) and
 * `signature_rules` and records the current version, so a program that knows
 * only schema 4 (and would ignore the evidence) refuses the store.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { openStore, SCHEMA_VERSION } from './index.js';
import { clickHouseTestDb } from './testdata/clickhouse-test-db.js';

/** `dropView`: how the backend drops a view (ClickHouse 18 has no DROP VIEW). */
async function migrateAndCheck(target: string, dropView: string, run: (sql: string) => Promise<void>): Promise<void> {
  const store = await openStore(target);
  await store.close();
  await run(`${dropView} signature_evidence`);
  await run(`${dropView} signature_rules`);
  await run('DROP TABLE signature_match_rows');
  await run('DROP TABLE signature_rule_rows');
  const old = await openStore(target, { migrate: false });
  await old.setMeta('schema_version', '4');
  await old.close();
  const again = await openStore(target);
  try {
    expect(again.settings.schemaVersion).toBe(SCHEMA_VERSION);
    expect(await again.getMeta('schema_version')).toBe(String(SCHEMA_VERSION));
    expect(await again.query({ sql: 'SELECT COUNT(*) AS n FROM signature_evidence', params: [] })).toEqual([{ n: 0 }]);
    expect(await again.query({ sql: 'SELECT COUNT(*) AS n FROM signature_rules', params: [] })).toEqual([{ n: 0 }]);
  } finally {
    await again.close();
  }
}

describe('migrate() from schema 4', () => {
  it('adds signature_evidence to a DuckDB store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'teiten-migrate5-'));
    const path = join(dir, 'v4.duckdb');
    try {
      await migrateAndCheck(path, 'DROP VIEW', async (sql) => {
        const store = await openStore(path, { migrate: false });
        try {
          await store.query({ sql, params: [] });
        } finally {
          await store.close();
        }
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const url = process.env['CLICKHOUSE_URL'];
  it.skipIf(url === undefined || url === '')(
    'adds signature_evidence to a ClickHouse store (needs CLICKHOUSE_URL)',
    async () => {
      const db = clickHouseTestDb(url!, 'migrate5');
      const client = createClient({ url: url!, database: db.database });
      try {
        await migrateAndCheck(db.storeUrl, 'DROP TABLE', async (query) => void (await client.command({ query })));
      } finally {
        await client.close();
        await db.drop();
      }
    },
  );
});
