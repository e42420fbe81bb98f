/**
 * @module
 * `DaySources`: exact distinct source counts for one day in several
 * groupings at once (overall, per sensor, service, sensor × service,
 * country, stream and category), without a set per group.
 *
 * Visits are appended as columns; at the end of the day they are sorted by
 * source address once (a native sort of `src × 2^21 + visit`, exact in a
 * float64), and each run of one source adds 1 to every group it touched,
 * using a "last run seen" marker per group instead of a set of addresses.
 */

import { RowTable } from './row-table.js';

const VISIT_BITS = 2 ** 21;
const INITIAL = 1 << 12;

export interface SourceRows {
  day: RowTable;
  daySensor: RowTable;
  dayService: RowTable;
  daySensorService: RowTable;
  dayCountry: RowTable;
  dayStream: RowTable;
  dayCategory: RowTable;
}

/** Empty source tables. */
export function sourceRows(): SourceRows {
  return {
    day: new RowTable(2),
    daySensor: new RowTable(3),
    dayService: new RowTable(3),
    daySensorService: new RowTable(4),
    dayCountry: new RowTable(3),
    dayStream: new RowTable(3),
    dayCategory: new RowTable(3),
  };
}

/** Counts distinct sources per dense group index (0..size). */
class Grouping {
  counts: Int32Array = new Int32Array(0);
  lastRun: Int32Array = new Int32Array(0);

  reset(size: number): void {
    if (this.counts.length < size) {
      this.counts = new Int32Array(size);
      this.lastRun = new Int32Array(size);
    }
    this.counts.fill(0, 0, size);
    this.lastRun.fill(-1, 0, size);
  }

  touch(group: number, run: number): void {
    if (this.lastRun[group] !== run) {
      this.lastRun[group] = run;
      this.counts[group]!++;
    }
  }

  rows(day: number, size: number, out: RowTable): void {
    for (let g = 0; g < size; g++) if (this.counts[g]! > 0) out.append([day, g, this.counts[g]!]);
  }
}

export class DaySources {
  length = 0;
  private src = new Uint32Array(INITIAL);
  private sensor = new Uint16Array(INITIAL);
  private service = new Uint32Array(INITIAL);
  private country = new Uint16Array(INITIAL);
  private stream = new Uint16Array(INITIAL);
  private category = new Int8Array(INITIAL);
  private readonly groupings = Array.from({ length: 6 }, () => new Grouping());

  add(src: number, sensor: number, service: number, country: number, stream: number, category: number): void {
    if (this.length === this.src.length) this.grow();
    const i = this.length++;
    this.src[i] = src;
    this.sensor[i] = sensor;
    this.service[i] = service;
    this.country[i] = country;
    this.stream[i] = stream;
    this.category[i] = category;
  }

  /** Appends the day's rows to `out` (dictionary sizes bound the group indices) and empties the day. */
  flush(
    day: number,
    sizes: { sensors: number; services: number; countries: number; streams: number; categories: number },
    out: SourceRows,
  ): void {
    const n = this.length;
    if (n >= VISIT_BITS)
      throw new RangeError(`Cannot count distinct sources: ${n} visits in one day (at most ${VISIT_BITS - 1})`);
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = this.src[i]! * VISIT_BITS + i;
    keys.sort();
    const [bySensor, byService, byCountry, byStream, byCategory] = this.groupings as [
      Grouping,
      Grouping,
      Grouping,
      Grouping,
      Grouping,
    ];
    bySensor.reset(sizes.sensors);
    byService.reset(sizes.services);
    byCountry.reset(sizes.countries);
    byStream.reset(sizes.streams);
    byCategory.reset(sizes.categories);
    const sensorService = new Map<number, number>();
    const pairSeen = new Map<number, number>();
    let runs = 0;
    let lastSrc = -1;
    for (let k = 0; k < n; k++) {
      const i = keys[k]! % VISIT_BITS;
      const src = this.src[i]!;
      if (src !== lastSrc) {
        runs++;
        lastSrc = src;
      }
      const run = runs;
      bySensor.touch(this.sensor[i]!, run);
      byService.touch(this.service[i]!, run);
      byCountry.touch(this.country[i]!, run);
      byStream.touch(this.stream[i]!, run);
      if (this.category[i]! >= 0) byCategory.touch(this.category[i]!, run);
      const pair = this.sensor[i]! * sizes.services + this.service[i]!;
      if (pairSeen.get(pair) !== run) {
        pairSeen.set(pair, run);
        sensorService.set(pair, (sensorService.get(pair) ?? 0) + 1);
      }
    }
    if (runs > 0) out.day.append([day, runs]);
    bySensor.rows(day, sizes.sensors, out.daySensor);
    byService.rows(day, sizes.services, out.dayService);
    for (const [pair, count] of [...sensorService].sort((a, b) => a[0] - b[0])) {
      out.daySensorService.append([day, Math.floor(pair / sizes.services), pair % sizes.services, count]);
    }
    byCountry.rows(day, sizes.countries, out.dayCountry);
    byStream.rows(day, sizes.streams, out.dayStream);
    byCategory.rows(day, sizes.categories, out.dayCategory);
    this.length = 0;
  }

  private grow(): void {
    const size = this.src.length * 2;
    const copy = <T extends Uint32Array | Uint16Array | Int8Array>(old: T, next: T): T => {
      next.set(old as never);
      return next;
    };
    this.src = copy(this.src, new Uint32Array(size));
    this.sensor = copy(this.sensor, new Uint16Array(size));
    this.service = copy(this.service, new Uint32Array(size));
    this.country = copy(this.country, new Uint16Array(size));
    this.stream = copy(this.stream, new Uint16Array(size));
    this.category = copy(this.category, new Int8Array(size));
  }
}
