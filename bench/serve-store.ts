/**
 * @module
 * The serve benchmark's store: the bundled quarterly scenario
 * (`quarterly-2010q1fy`: FY2009Q4 + FY2010Q1, 181 days) widened to 100
 * sensors, simulated at a reduced scale and ingested through teiten's real
 * ingest path (`ingestCapture`, GeoIP and detection as `teiten ingest`
 * does), one capture per sensor. The captures are kept in
 * `.bench/serve-captures-<params>/` (reused while the parameters are the
 * same) and the store in `.bench/serve-s<schema>-<params>.duckdb` (reused
 * while the store's schema version is the same too).
 *
 * Why not the ranking benchmark's store: that one writes rollups straight
 * through `IngestWriter`, one ingest per sensor per week (2,600 ingests for
 * 100 sensors), and each ingest's begin and commit cost 60–90 ms of store
 * work whatever its size; on a machine shared by several agents that was
 * more than 19 minutes. Here the 181 days of a sensor are one capture (100
 * ingests), and fewer packets per sensor-day (the scale) keep simulation and
 * ingest to a few minutes, while sensors, days, services and countries keep
 * their real number.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { loadCaptures } from '../src/accuracy/index.js';
import { readTruth, simulateScenario, type SimulatedFile } from '../src/simulate/index.js';
import { openStore, SCHEMA_VERSION } from '../src/store/index.js';

const SCENARIO = fileURLToPath(new URL('../../data/scenarios/quarterly-2010q1fy.yaml', import.meta.url));
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));
/** First day of FY2010Q1, the benchmark's period. */
const Q1_FIRST_DAY = '2010-04-01';

export interface ServeStoreSize {
  sensors: number;
  /** Multiplies the scenario's packets per sensor address per day (1: about 480). */
  scale: number;
}

export interface ServeStore {
  path: string;
  /** Packets the simulator addressed to the sensors in FY2010Q1 (its truth). */
  q1Packets: number;
  /** Packets in all captures, and what the build cost (0 when reused). */
  packets: number;
  simulateSeconds: number;
  ingestSeconds: number;
}

/** The scenario with `sensors` sensors of one address each (a /24 per 256), and its downtime kept. */
function widenedScenario(sensors: number): string {
  const scenario = parse(readFileSync(SCENARIO, 'utf8')) as Record<string, unknown>;
  scenario['name'] = `quarterly-2010q1fy-${sensors}`;
  scenario['description'] = `quarterly-2010q1fy with ${sensors} sensors of one address`;
  scenario['sensors'] = {
    count: sensors,
    prefix: 's',
    addresses: `198.18.0.0/${sensors > 256 ? 16 : 24}`,
    perSensor: 1,
  };
  scenario['downtime'] = [
    { sensor: sensorName(4, sensors), from: '2010-02-16T09:00', to: '2010-02-18T15:00', note: 'maintenance' },
    { sensor: sensorName(10, sensors), from: '2010-05-24T00:00', to: '2010-05-25T12:00', note: 'power outage' },
  ];
  return stringify(scenario);
}

/** The simulator's name for sensor `k` (1-based) of a set of `n`: `s-004` for 100 sensors. */
function sensorName(k: number, n: number): string {
  return `s-${String(k).padStart(String(n).length, '0')}`;
}

/** Simulates the captures, or reuses those simulated with the same parameters (whatever the store's schema). */
async function captures(size: ServeStoreSize): Promise<{ files: SimulatedFile[]; truthPath: string; seconds: number }> {
  const base = join(dir, `serve-captures-${size.sensors}x${size.scale}`);
  const listPath = join(base, 'files.json');
  if (existsSync(listPath)) {
    const kept = JSON.parse(readFileSync(listPath, 'utf8')) as { files: SimulatedFile[]; truthPath: string };
    return { ...kept, seconds: 0 };
  }
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const scenarioPath = join(base, 'scenario.yaml');
  writeFileSync(scenarioPath, widenedScenario(size.sensors));
  const started = performance.now();
  const simulated = await simulateScenario(scenarioPath, { outDir: base, scale: size.scale });
  writeFileSync(listPath, JSON.stringify({ files: simulated.files, truthPath: simulated.truthPath }));
  return { files: simulated.files, truthPath: simulated.truthPath, seconds: (performance.now() - started) / 1000 };
}

/** Builds the store (or reuses the one built with the same parameters and schema) and returns where it is. */
export async function serveBenchStore(size: ServeStoreSize): Promise<ServeStore> {
  const path = join(dir, `serve-s${SCHEMA_VERSION}-${size.sensors}x${size.scale}.duckdb`);
  const builtPath = `${path}.json`;
  if (existsSync(path) && existsSync(builtPath)) {
    const built = JSON.parse(readFileSync(builtPath, 'utf8')) as ServeStore;
    return { ...built, path, simulateSeconds: 0, ingestSeconds: 0 };
  }
  const simulated = await captures(size);
  const truth = readTruth(simulated.truthPath);
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const started = performance.now();
  const store = await openStore(path, { timeZone: truth.scenario.timeZone });
  try {
    await loadCaptures(store, truth, simulated.files);
  } finally {
    await store.close();
  }
  const firstQ1Day = truth.days.indexOf(Q1_FIRST_DAY);
  const built: ServeStore = {
    path,
    q1Packets: truth.traffic.rows.reduce((n, row) => n + (row[0] >= firstQ1Day ? row[6] : 0), 0),
    packets: simulated.files.reduce((n, f) => n + f.packets, 0),
    simulateSeconds: simulated.seconds,
    ingestSeconds: (performance.now() - started) / 1000,
  };
  writeFileSync(builtPath, JSON.stringify(built));
  return built;
}
