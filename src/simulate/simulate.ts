/**
 * @module
 * `simulateScenario`: runs a scenario into one capture per sensor plus
 * `truth.json`. Days run in order and, within a day, sensors in order; each
 * sensor-day is planned, sorted by time and written before the next, so
 * memory holds one sensor-day of packets and one day of source sets.
 */

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Ipv4Networks, ipv4NetworksByCountry, openCountryDb } from '../classify/index.js';
import { startOfLocalDay } from '../util/tz.js';
import { CaptureSink } from './capture-sink.js';
import { compileScenario } from './compile-scenario.js';
import type { CompiledScenario } from './compiled.js';
import { DayPlanner } from './day-planner.js';
import { FrameCrafter } from './family-write.js';
import { PacketPlan } from './packet-plan.js';
import { bundledScenarioDir, loadScenario } from './scenario-load.js';
import type { Scenario } from './scenario-schema.js';
import { writeTruthJson } from './truth-json.js';
import { TruthRecorder } from './truth-recorder.js';

export const TRUTH_FILE = 'truth.json';

export interface SimulateOptions {
  outDir: string;
  /** Overrides the scenario's seed (default 1). */
  seed?: number;
  /** Multiplies packet counts; default 1. */
  scale?: number;
  format?: 'pcap' | 'pcapng';
  /** Country MMDB to draw source addresses from; default the bundled one (the one enrichment uses by default). */
  geoip?: string;
  /** Called after each simulated day. */
  onDay?: (progress: { day: number; days: number; packets: number }) => void;
}

export interface SimulatedFile {
  sensor: string;
  path: string;
  packets: number;
  bytes: number;
}

export interface SimulateResult {
  scenario: string;
  seed: number;
  scale: number;
  files: SimulatedFile[];
  truthPath: string;
  /** Packets addressed to sensors, excluded (other hosts), and written in all. */
  packets: number;
  excluded: number;
  written: number;
  days: number;
  elapsedMs: number;
}

const networkCache = new Map<string, Map<string, Ipv4Networks>>();

/** IPv4 networks per country of the country database (cached per path). */
export function countryNetworks(geoip?: string): ReadonlyMap<string, Ipv4Networks> {
  const key = geoip ?? '(bundled)';
  let networks = networkCache.get(key);
  if (networks === undefined) networkCache.set(key, (networks = ipv4NetworksByCountry(openCountryDb(geoip))));
  return networks;
}

/** Simulates `scenario` (a validated scenario, or a file path or bundled name) into `options.outDir`. */
export async function simulateScenario(scenario: Scenario | string, options: SimulateOptions): Promise<SimulateResult> {
  const started = performance.now();
  const loaded = typeof scenario === 'string' ? loadScenario(scenario) : { scenario, path: scenario.name };
  // A bundled scenario is named as such, so truth.json does not depend on where teiten is installed.
  const source =
    typeof scenario === 'string' && dirname(loaded.path) === bundledScenarioDir()
      ? `bundled:${loaded.scenario.name}`
      : loaded.path;
  const compiled = compileScenario(loaded.scenario, {
    networks: countryNetworks(options.geoip),
    source: loaded.path,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.scale === undefined ? {} : { scale: options.scale }),
    ...(options.format === undefined ? {} : { format: options.format }),
  });
  mkdirSync(options.outDir, { recursive: true });
  const { sinks, recorder } = await generate(compiled, options);
  const files = sinks.map((sink, k) => ({
    sensor: compiled.sensors[k]!.name,
    path: sink.path,
    packets: sink.packets,
    bytes: sink.bytes,
  }));
  const truth = recorder.build({
    source,
    sensors: files.map((f) => ({
      file: f.path.slice(options.outDir.length).replace(/^[/\\]+/, ''),
      packets: f.packets,
      bytes: f.bytes,
    })),
  });
  const truthPath = join(options.outDir, TRUTH_FILE);
  writeTruthJson(truthPath, truth);
  return {
    scenario: compiled.name,
    seed: compiled.seed,
    scale: compiled.scale,
    files,
    truthPath,
    packets: truth.totals.packets,
    excluded: truth.totals.excluded,
    written: truth.totals.written,
    days: truth.days.length,
    elapsedMs: Math.round(performance.now() - started),
  };
}

async function generate(
  sc: CompiledScenario,
  options: SimulateOptions,
): Promise<{ sinks: CaptureSink[]; recorder: TruthRecorder }> {
  const recorder = new TruthRecorder(sc);
  const planner = new DayPlanner(sc, recorder);
  const crafter = new FrameCrafter(sc.link);
  const plan = new PacketPlan();
  const sinks = sc.sensors.map(
    (sensor) =>
      new CaptureSink(join(options.outDir, `${sensor.name}.${sc.format}`), {
        format: sc.format,
        link: sc.link,
        frames: crafter.buf.bytes,
        sensorName: sensor.name,
      }),
  );
  const days = sc.lastDay - sc.firstDay + 1;
  let written = 0;
  try {
    for (let d = 0; d < days; d++) {
      const dayStart = startOfLocalDay(sc.firstDay + d, sc.timeZone);
      const dayEnd = startOfLocalDay(sc.firstDay + d + 1, sc.timeZone);
      recorder.beginDay(d);
      for (const sensor of sc.sensors) {
        plan.reset();
        planner.planSensorDay(plan, sensor, { dayIndex: d, dayStart, dayEnd });
        const order = plan.sort();
        const sink = sinks[sensor.index]!;
        for (let k = 0; k < order.length; k++) {
          const i = order[k]!;
          const length = crafter.write(plan, i, sc.streams[plan.stream[i]!]!);
          sink.write(plan.ts[i]!, length);
        }
        written += order.length;
      }
      recorder.endDay();
      options.onDay?.({ day: d + 1, days, packets: written });
    }
  } finally {
    await Promise.all(sinks.map((sink) => sink.close()));
  }
  return { sinks, recorder };
}
