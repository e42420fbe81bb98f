/**
 * @module
 * One scenario end to end, as a user would run it: simulate the captures,
 * register the sensors and their downtime from truth.json, ingest every
 * capture with the bundled GeoIP database, then compare each covered period
 * with the truth (`compare.ts`).
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openCountryDb } from '../classify/index.js';
import { ingestCapture } from '../ingest/index.js';
import { readTruth, simulateScenario } from '../simulate/index.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { comparePeriod, type Check } from './compare.js';
import { TruthTables } from './truth-tables.js';

export interface ScenarioRunOptions {
  /** Captures, truth.json and (for a file store) the database go here. */
  workDir: string;
  scale?: number;
  seed?: number;
  /** Store target; default `:memory:`. */
  store?: string;
}

export interface ScenarioRun {
  scenario: string;
  packets: number;
  checks: Check[];
  simulateSec: number;
  ingestSec: number;
}

/** Simulates, ingests and compares `scenario` (a bundled name or a file). */
export async function runScenario(scenario: string, options: ScenarioRunOptions): Promise<ScenarioRun> {
  mkdirSync(options.workDir, { recursive: true });
  const simulated = await simulateScenario(scenario, {
    outDir: join(options.workDir, 'captures'),
    ...(options.scale === undefined ? {} : { scale: options.scale }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  const truth = readTruth(simulated.truthPath);
  const store = await openStore(options.store ?? ':memory:', { timeZone: truth.scenario.timeZone });
  try {
    const started = Date.now();
    await loadCaptures(store, truth, simulated.files);
    const ingestSec = (Date.now() - started) / 1000;
    const tables = new TruthTables(truth);
    const checks: Check[] = [];
    for (const period of tables.periods()) checks.push(...(await comparePeriod(store, tables, period)));
    return {
      scenario: truth.scenario.name,
      packets: simulated.packets,
      checks,
      simulateSec: simulated.elapsedMs / 1000,
      ingestSec,
    };
  } finally {
    await store.close();
  }
}

/** Registers the truth's sensors (with downtime) and ingests their captures. */
export async function loadCaptures(
  store: AnalyticsStore,
  truth: ReturnType<typeof readTruth>,
  files: readonly { sensor: string; path: string }[],
): Promise<void> {
  const geo = { country: openCountryDb(), asn: null };
  for (const sensor of truth.sensors) {
    const added = await store.addSensor({ name: sensor.name, label: sensor.label, addresses: sensor.addresses });
    for (const down of sensor.downtime)
      await store.addDowntime(added.id, { from: down.from, to: down.to, note: down.note });
    for (const file of files.filter((f) => f.sensor === sensor.name))
      await ingestCapture(store, sensor.name, file.path, { geo });
  }
}
