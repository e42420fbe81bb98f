/**
 * The accuracy harness on bundled scenarios: simulated captures through the
 * real ingest, every published figure compared with truth.json. Also checks
 * that the harness notices a single planted packet of difference.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePeriod, loadCaptures, runScenario, TruthTables, type Check } from '../../src/accuracy/index.js';
import { readTruth, simulateScenario } from '../../src/simulate/index.js';
import { openStore } from '../../src/store/index.js';
import { clickHouseTestDb } from '../../src/store/testdata/clickhouse-test-db.js';

const CLICKHOUSE_URL = process.env.CLICKHOUSE_URL;
if (CLICKHOUSE_URL === undefined)
  console.log('accuracy on ClickHouse: skipped, CLICKHOUSE_URL is not set (.ci/run starts a server and sets it)');

function summarise(name: string, checks: readonly Check[]): string {
  const tables = new Map<string, number>();
  for (const c of checks) tables.set(c.table, (tables.get(c.table) ?? 0) + 1);
  const failed = checks.filter((c) => !c.ok).length;
  return `${name}: ${checks.length} figures compared (${[...tables].map(([t, n]) => `${t} ${n}`).join(', ')}), ${failed} differ`;
}

/** Every bundled scenario, at a scale that keeps the suite fast. */
const SCENARIOS = [
  ['detector-check', 1],
  ['monthly-2007-07', 0.02],
  ['quarterly-2010q1fy', 0.02],
] as const;

describe('accuracy against truth.json', () => {
  for (const [scenario, scale] of SCENARIOS) {
    it(`runScenario() reproduces every figure of ${scenario} at scale ${scale}`, async () => {
      const run = await runScenario(scenario, { workDir: mkdtempSync(join(tmpdir(), 'teiten-accuracy-')), scale });
      console.log(summarise(scenario, run.checks));
      expect(run.checks.length).toBeGreaterThan(50);
      expect(run.checks.filter((c) => !c.ok)).toEqual([]);
    }, 180_000);
  }

  for (const [scenario, scale] of SCENARIOS) {
    it.skipIf(CLICKHOUSE_URL === undefined)(
      `runScenario() reproduces every figure of ${scenario} at scale ${scale} on ClickHouse`,
      async () => {
        const db = clickHouseTestDb(CLICKHOUSE_URL!, 'accuracy');
        try {
          const run = await runScenario(scenario, {
            workDir: mkdtempSync(join(tmpdir(), 'teiten-accuracy-')),
            scale,
            store: db.storeUrl,
          });
          console.log(`ClickHouse ${summarise(scenario, run.checks)}`);
          expect(run.checks.length).toBeGreaterThan(50);
          expect(run.checks.filter((c) => !c.ok)).toEqual([]);
        } finally {
          await db.drop();
        }
      },
      300_000,
    );
  }

  it('comparePeriod() reports a difference of one packet', async () => {
    const simulated = await simulateScenario('detector-check', {
      outDir: mkdtempSync(join(tmpdir(), 'teiten-accuracy-')),
    });
    const truth = readTruth(simulated.truthPath);
    const store = await openStore(':memory:', { timeZone: truth.scenario.timeZone });
    try {
      await loadCaptures(store, truth, simulated.files);
      const row = truth.traffic.rows[0]!;
      row[6] += 1;
      const tables = new TruthTables(truth);
      const [period] = tables.periods();
      const failed = (await comparePeriod(store, tables, period!)).filter((c) => !c.ok);
      const service = truth.services[row[3]]!;
      expect(failed.map((c) => `${c.table} ${c.item} ${c.field}`)).toEqual(
        expect.arrayContaining(['summary total packets', `service ${service} packets`]),
      );
      expect(failed.find((c) => c.table === 'service')).toMatchObject({
        expected: expect.any(Number),
        actual: expect.any(Number),
      });
    } finally {
      await store.close();
    }
  }, 120_000);
});
