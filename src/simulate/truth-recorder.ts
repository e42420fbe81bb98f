/**
 * @module
 * `TruthRecorder`: counts what the generator writes, one visit at a time (a
 * visit is one source's burst to one sensor address and service), into the
 * rows of `truth.json`. Counts are per local day; distinct sources are
 * counted exactly per day (`DaySources`), so memory stays bounded.
 */

import { formatServiceKey } from '../classify/index.js';
import type { CompiledScenario } from './compiled.js';
import { SIGNATURE_CATEGORIES } from './families.js';
import { DaySources, sourceRows, type SourceRows } from './distinct-sources.js';
import { RowTable } from './row-table.js';
import { buildTruth, type TruthDocument, type TruthFiles } from './truth-build.js';

const STREAM_SLOTS = 1024;
const COUNTRY_SLOTS = 512;
/** Services per variant in a traffic key: dictionary indices stay far below 2^24. */
const SERVICE_SLOTS = 2 ** 24;
const MICROS = 1e6;

/** One visit's kept packets, filled by the planner (one reused object). */
export interface RecordedVisit {
  sensor: number;
  stream: number;
  /** Destination service key (classify's `proto * 2^17 + port`). */
  service: number;
  /** Index into the stream's `sourceServices`; 0 = varies. */
  variant: number;
  country: number;
  src: number;
  /** Index of the source in the stream's pool. */
  srcIndex: number;
  packets: number;
  firstUs: number;
  lastUs: number;
  /** Backscatter episode, or -1. */
  episode: number;
}

export interface HostTally {
  packets: Float64Array;
  first: Float64Array;
  last: Float64Array;
}

function tally(size: number): HostTally {
  return {
    packets: new Float64Array(size),
    first: new Float64Array(size).fill(Infinity),
    last: new Float64Array(size).fill(-Infinity),
  };
}

export class TruthRecorder {
  readonly scenario: CompiledScenario;
  readonly serviceNames: string[] = [];
  private readonly serviceIndex = new Map<string, number>();
  /** Per stream and variant: index of the source service in `serviceNames`, or -1. */
  private readonly variantService: number[][];
  /** Service key (`proto * 2^17 + port`) → index in `serviceNames`. */
  private readonly serviceOfKey = new Map<number, number>();
  private readonly sources = new DaySources();
  private readonly categoryOf: number[];
  /** `[day, sensor, stream, service, sourceService, country, packets]`. */
  readonly rows = new RowTable(7);
  readonly sourceRows: SourceRows = sourceRows();
  /** `[day, sensor, packets]`. */
  readonly excludedRows = new RowTable(3);
  readonly hosts: (HostTally | null)[];
  readonly episodes: (HostTally | null)[];
  totalPackets = 0;
  totalExcluded = 0;

  private day = 0;
  private traffic = new Map<number, Map<number, number>>();
  private excludedToday = new Map<number, number>();

  constructor(scenario: CompiledScenario) {
    this.scenario = scenario;
    this.variantService = scenario.streams.map((s) =>
      s.sourceServices.map((text) => (text === '' ? -1 : this.serviceId(text))),
    );
    this.categoryOf = scenario.streams.map((s) =>
      s.info.category === null ? -1 : SIGNATURE_CATEGORIES.indexOf(s.info.category),
    );
    this.hosts = scenario.streams.map((s) => (s.listHosts ? tally(s.pool.size) : null));
    this.episodes = scenario.streams.map((s) => (s.episodes === null ? null : tally(s.episodes.length)));
  }

  private serviceId(text: string): number {
    let k = this.serviceIndex.get(text);
    if (k === undefined) this.serviceIndex.set(text, (k = this.serviceNames.push(text) - 1));
    return k;
  }

  private serviceIdOfKey(key: number): number {
    let k = this.serviceOfKey.get(key);
    if (k === undefined) this.serviceOfKey.set(key, (k = this.serviceId(formatServiceKey(key))));
    return k;
  }

  beginDay(dayIndex: number): void {
    this.day = dayIndex;
  }

  visit(v: RecordedVisit): void {
    if (v.packets <= 0) return;
    const outer = (v.sensor * STREAM_SLOTS + v.stream) * COUNTRY_SLOTS + v.country;
    let inner = this.traffic.get(outer);
    if (inner === undefined) this.traffic.set(outer, (inner = new Map()));
    const service = this.serviceIdOfKey(v.service);
    const key = v.variant * SERVICE_SLOTS + service;
    inner.set(key, (inner.get(key) ?? 0) + v.packets);
    this.totalPackets += v.packets;
    this.sources.add(v.src, v.sensor, service, v.country, v.stream, this.categoryOf[v.stream]!);
    const host = this.hosts[v.stream];
    if (host) record(host, v.srcIndex, v);
    const episodes = this.episodes[v.stream];
    if (episodes && v.episode >= 0) record(episodes, v.episode, v);
  }

  excluded(sensor: number, packets: number): void {
    if (packets <= 0) return;
    this.excludedToday.set(sensor, (this.excludedToday.get(sensor) ?? 0) + packets);
    this.totalExcluded += packets;
  }

  /** Turns the day's tallies into rows and forgets its source sets. */
  endDay(): void {
    const d = this.day;
    const dayRows: number[][] = [];
    for (const [outer, inner] of this.traffic) {
      const country = outer % COUNTRY_SLOTS;
      const stream = Math.floor(outer / COUNTRY_SLOTS) % STREAM_SLOTS;
      const sensor = Math.floor(outer / COUNTRY_SLOTS / STREAM_SLOTS);
      for (const [key, packets] of inner) {
        const variant = Math.floor(key / SERVICE_SLOTS);
        dayRows.push([
          d,
          sensor,
          stream,
          key % SERVICE_SLOTS,
          this.variantService[stream]![variant]!,
          country,
          packets,
        ]);
      }
    }
    dayRows.sort((a, b) => a[1]! - b[1]! || a[2]! - b[2]! || a[3]! - b[3]! || a[4]! - b[4]! || a[5]! - b[5]!);
    for (const row of dayRows) this.rows.append(row);
    const sc = this.scenario;
    this.sources.flush(
      d,
      {
        sensors: sc.sensors.length,
        services: this.serviceNames.length,
        countries: sc.countries.length,
        streams: sc.streams.length,
        categories: SIGNATURE_CATEGORIES.length,
      },
      this.sourceRows,
    );
    for (const [sensor, packets] of [...this.excludedToday].sort((a, b) => a[0] - b[0]))
      this.excludedRows.append([d, sensor, packets]);
    this.traffic = new Map();
    this.excludedToday = new Map();
  }

  /** The complete truth, once every day is flushed. */
  build(files: TruthFiles): TruthDocument {
    return buildTruth(this, files);
  }
}

function record(t: HostTally, k: number, v: RecordedVisit): void {
  t.packets[k]! += v.packets;
  if (v.firstUs / MICROS < t.first[k]!) t.first[k] = v.firstUs / MICROS;
  if (v.lastUs / MICROS > t.last[k]!) t.last[k] = v.lastUs / MICROS;
}
