/**
 * @module
 * The serve tests' store: the bundled `detector-check` scenario (three days
 * on three sensors, every packet family, scanner tool and backscatter kind)
 * simulated and ingested with the bundled GeoIP database and rules, one
 * sensor's label replaced by planted markup, and one extra rule whose
 * message is planted markup too (categories are a closed set), so hostile text reaches
 * every page that prints labels or rule names.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCountryDb } from '../../classify/index.js';
import { ingestCapture, loadDetectionSetup } from '../../ingest/index.js';
import { tempDir } from '../../ingest/testdata/captures.js';
import { readTruth, simulateScenario, type Truth } from '../../simulate/index.js';
import { openStore, type AnalyticsStore, type StoreOptions } from '../../store/index.js';

export const HOSTILE_LABEL = '<img src=x onerror=alert(1)><script>alert(2)</script>';
export const HOSTILE_SENSOR = 'check-a';
/** The period of the scenario (2010-06-01..03 is in fiscal 2010 Q1). */
export const PERIOD = 'FY2010Q1';
/** A rule on the scenario's telnet probes whose message and category are markup. */
export const HOSTILE_RULE_MSG = '<script>alert(3)</script> telnet';
export const HOSTILE_SID = 1_000_001;

export interface ServedStore {
  truth: Truth;
  /** Where the store lives when `path` was given to `servedStore`. */
  dir: string;
}

/** Simulates `detector-check` and ingests it into `store` (already open, empty). */
export async function fillServedStore(store: AnalyticsStore): Promise<ServedStore> {
  const dir = tempDir('teiten-serve-');
  const simulated = await simulateScenario('detector-check', { outDir: join(dir, 'captures') });
  const truth = readTruth(simulated.truthPath);
  const geo = { country: openCountryDb(), asn: null };
  const rules = join(dir, 'hostile.rules');
  writeFileSync(rules, `alert tcp any any -> any 23 (msg:"${HOSTILE_RULE_MSG}"; flags:S; sid:${HOSTILE_SID}; rev:1;)\n`);
  const detection = await loadDetectionSetup({ ruleFiles: [rules] });
  for (const sensor of truth.sensors) {
    const label = sensor.name === HOSTILE_SENSOR ? HOSTILE_LABEL : sensor.label;
    const added = await store.addSensor({ name: sensor.name, label, addresses: sensor.addresses });
    for (const down of sensor.downtime) await store.addDowntime(added.id, { from: down.from, to: down.to, note: down.note });
    for (const file of simulated.files.filter((f) => f.sensor === sensor.name)) await ingestCapture(store, sensor.name, file.path, { geo, detection });
  }
  return { truth, dir };
}

/** A DuckDB file holding the served store (for the CLI and the server to open). */
export async function servedDuckDbFile(options: StoreOptions = {}): Promise<{ path: string; served: ServedStore }> {
  const dir = tempDir('teiten-serve-db-');
  const path = join(dir, 'served.duckdb');
  const store = await openStore(path, { timeZone: 'Asia/Tokyo', ...options });
  try {
    const served = await fillServedStore(store);
    return { path, served };
  } finally {
    await store.close();
  }
}
