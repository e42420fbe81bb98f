/**
 * @module
 * `compileScenario`: a validated `Scenario` plus seed, scale and the GeoIP
 * country networks → a `CompiledScenario` the generator runs. Every problem
 * that needs context (unknown country, sensor name, service that does not fit
 * the family, impossible time) is collected with its field path and thrown
 * together as one `ScenarioError`.
 */

import type { Ipv4Networks } from '../classify/index.js';
import { assertTimeZone, parseLocalDate, startOfLocalDay } from '../util/tz.js';
import { compileBackscatter } from './compile-backscatter.js';
import { compileOtherHosts, compileSensors } from './compile-sensors.js';
import { compileStream, resolveQuotes } from './compile-streams.js';
import type { CompiledScenario, CompiledStream } from './compiled.js';
import { IssueList } from './errors.js';
import type { PopulationSpec, Scenario } from './scenario-schema.js';
import type { StreamContext } from './stream-context.js';

export const DEFAULT_TIME_ZONE = 'Asia/Tokyo';
export const DEFAULT_SEED = 1;
/** Keeps a typo like `--scale 1000000` from filling the disk. */
const MAX_SCALE = 1000;

export interface CompileOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Multiplies every rate (and pools above 64 sources); default 1. */
  scale?: number;
  /** IPv4 networks per country of the GeoIP database (`ipv4NetworksByCountry`). */
  networks: ReadonlyMap<string, Ipv4Networks>;
  /** For messages: the file or bundled name. */
  source?: string;
  format?: 'pcap' | 'pcapng';
}

export function compileScenario(scenario: Scenario, options: CompileOptions): CompiledScenario {
  const source = options.source ?? scenario.name;
  const issues = new IssueList();
  const timeZone = scenario.period.timeZone ?? DEFAULT_TIME_ZONE;
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= MAX_SCALE))
    issues.add('(scale)', `must be above 0 and at most ${MAX_SCALE}, got ${scale}`);
  const seed = options.seed ?? scenario.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0)
    issues.add('(seed)', `must be a whole number of at least 0, got ${seed}`);
  try {
    assertTimeZone(timeZone);
  } catch {
    issues.add('period.timeZone', `"${timeZone}" is not an IANA time zone name`);
    issues.throwIfAny(source);
  }
  let firstDay = 0;
  let lastDay = 0;
  try {
    firstDay = parseLocalDate(scenario.period.start);
    lastDay = parseLocalDate(scenario.period.end);
  } catch (error) {
    issues.add('period', error instanceof Error ? error.message : String(error));
    issues.throwIfAny(source);
  }
  if (lastDay < firstDay) issues.add('period.end', 'must not be before start');
  const startSec = startOfLocalDay(firstDay, timeZone);
  const endSec = startOfLocalDay(lastDay + 1, timeZone);

  const sensors = compileSensors(scenario, { timeZone, issues });
  const otherHosts = compileOtherHosts(scenario, sensors, issues);
  const excluded = new Set<number>(otherHosts?.addresses ?? []);
  for (const s of sensors) for (const a of s.addresses) excluded.add(a);
  const countries: string[] = [];
  const ctx: StreamContext = {
    timeZone,
    startSec,
    endSec,
    seed,
    scale,
    networks: options.networks,
    excluded,
    issues,
    sensorNames: sensors.map((s) => s.name),
    countryIndex: (code) => {
      const k = countries.indexOf(code);
      return k >= 0 ? k : countries.push(code) - 1;
    },
  };

  const names = new Map<string, string>();
  for (const section of ['populations', 'events', 'scanners', 'backscatter'] as const) {
    (scenario[section] ?? []).forEach((entry: { name: string }, i: number) => {
      const clash = names.get(entry.name);
      if (clash !== undefined) issues.add(`${section}[${i}].name`, `"${entry.name}" is also the name of ${clash}`);
      else names.set(entry.name, `${section}[${i}]`);
    });
  }
  const streams: CompiledStream[] = [];
  const quoted: { spec: PopulationSpec; path: string; index: number }[] = [];
  const add = (stream: CompiledStream | undefined): void => {
    if (stream !== undefined) streams.push({ ...stream, index: streams.length });
  };
  const sections = [
    ['populations', 'population'],
    ['events', 'event'],
  ] as const;
  for (const [section, kind] of sections) {
    (scenario[section] ?? []).forEach((spec: PopulationSpec, i: number) => {
      const path = `${section}[${i}]`;
      if (spec.family === 'time-exceeded') quoted.push({ spec, path, index: streams.length });
      add(compileStream(ctx, { ...spec, kind }, { index: streams.length, path }));
    });
  }
  (scenario.scanners ?? []).forEach((spec, i) =>
    add(compileStream(ctx, { ...spec, kind: 'scanner' }, { index: streams.length, path: `scanners[${i}]` })),
  );
  (scenario.backscatter ?? []).forEach((spec, i) => {
    for (const stream of compileBackscatter(ctx, spec, { index: streams.length, path: `backscatter[${i}]` }))
      add(stream);
  });
  resolveQuotes(ctx, streams, quoted);

  if (streams.length === 0 && issues.issues.length === 0)
    issues.add('(scenario)', 'plants no traffic: add populations, events, scanners or backscatter');
  issues.throwIfAny(source);
  return {
    name: scenario.name,
    description: scenario.description ?? '',
    timeZone,
    firstDay,
    lastDay,
    startSec,
    endSec,
    seed,
    scale,
    format: options.format ?? scenario.capture?.format ?? 'pcap',
    link: scenario.capture?.link ?? 'ethernet',
    sensors,
    streams,
    countries,
    otherHosts,
  };
}
