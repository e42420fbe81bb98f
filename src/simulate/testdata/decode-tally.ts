/**
 * @module
 * Test helper: decodes simulated captures with teiten's real decoder and
 * enrichment and tallies them the way truth.json does (per local day, sensor,
 * service and country; distinct sources), so tests can compare the two.
 */

import { createEnrichedBatch, enrichInto, type EnrichedBatch } from '../../classify/enrich.js';
import { unpackCountry } from '../../classify/country-code.js';
import { openCountryDb } from '../../classify/geo-sources.js';
import { formatServiceKey } from '../../classify/service-key.js';
import { decodeCapture } from '../../decode/decode-capture.js';
import type { PacketBatch } from '../../decode/batch.js';
import { formatLocalDate, TzClock } from '../../util/tz.js';
import type { Truth } from '../truth-schema.js';

export interface Tally {
  /** `date|sensor|service|country` → packets. */
  traffic: Map<string, number>;
  /** `date|sensor` → packets to other hosts. */
  excluded: Map<string, number>;
  /** `date|sensor|service` → distinct sources. */
  sourcesBySensorService: Map<string, Set<number>>;
  /** `date` → distinct sources. */
  sourcesByDay: Map<string, Set<number>>;
  packets: number;
  /** Whether every file was in time order. */
  ordered: boolean;
}

const geo = { country: openCountryDb(), asn: null };

function add<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}

function addSource(map: Map<string, Set<number>>, key: string, src: number): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(src);
}

/** Decodes every sensor file of `truth` (paths relative to `dir`) and tallies it. */
export async function tallyCaptures(truth: Truth, dir: string, options: { onPacket?: (enriched: EnrichedBatch, i: number, sensor: string) => void } = {}): Promise<Tally> {
  const clock = new TzClock(truth.scenario.timeZone);
  const tally: Tally = { traffic: new Map(), excluded: new Map(), sourcesBySensorService: new Map(), sourcesByDay: new Map(), packets: 0, ordered: true };
  for (const sensor of truth.sensors) {
    const own = new Set<number>();
    for (const cidr of sensor.addresses) {
      const [text, len] = cidr.split('/') as [string, string];
      const start = text.split('.').reduce((a, b) => a * 256 + Number(b), 0);
      for (let k = 0; k < 2 ** (32 - Number(len)); k++) own.add(start + k);
    }
    let enriched: EnrichedBatch | undefined;
    let last = -Infinity;
    await decodeCapture(`${dir}/${sensor.file}`, {
      onBatch: (batch: PacketBatch) => {
        if (enriched === undefined || enriched.batch !== batch) enriched = createEnrichedBatch(batch);
        enrichInto(enriched, { geo });
        for (let i = 0; i < batch.length; i++) {
          const ts = batch.tsSec[i]! + batch.tsNsec[i]! / 1e9;
          if (ts < last) tally.ordered = false;
          last = ts;
          const date = formatLocalDate(clock.localDay(batch.tsSec[i]!));
          tally.packets++;
          if (!own.has(batch.dst4[i]!)) {
            add(tally.excluded, `${date}|${sensor.name}`, 1);
            continue;
          }
          const service = formatServiceKey(enriched.service[i]!);
          add(tally.traffic, `${date}|${sensor.name}|${service}|${unpackCountry(enriched.country[i]!)}`, 1);
          addSource(tally.sourcesBySensorService, `${date}|${sensor.name}|${service}`, batch.src4[i]!);
          addSource(tally.sourcesByDay, date, batch.src4[i]!);
          options.onPacket?.(enriched, i, sensor.name);
        }
      },
    });
  }
  return tally;
}

/** truth.json's rows in the same keys as `Tally`. */
export function truthTables(truth: Truth): { traffic: Map<string, number>; excluded: Map<string, number>; sourcesBySensorService: Map<string, number>; sourcesByDay: Map<string, number> } {
  const traffic = new Map<string, number>();
  for (const [d, s, , service, , country, packets] of truth.traffic.rows) {
    add(traffic, `${truth.days[d]}|${truth.sensors[s]!.name}|${truth.services[service]}|${truth.countries[country]}`, packets);
  }
  const excluded = new Map<string, number>();
  for (const [d, s, packets] of truth.excluded) add(excluded, `${truth.days[d]}|${truth.sensors[s]!.name}`, packets);
  const sourcesBySensorService = new Map<string, number>();
  for (const [d, s, service, count] of truth.sources.daySensorService) {
    sourcesBySensorService.set(`${truth.days[d]}|${truth.sensors[s]!.name}|${truth.services[service]}`, count);
  }
  const sourcesByDay = new Map<string, number>();
  for (const [d, count] of truth.sources.day) sourcesByDay.set(truth.days[d]!, count);
  return { traffic, excluded, sourcesBySensorService, sourcesByDay };
}

/** Set sizes of a source tally. */
export function sizes(map: Map<string, Set<number>>): Map<string, number> {
  return new Map([...map].map(([k, v]) => [k, v.size]));
}
