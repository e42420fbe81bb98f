/**
 * @module
 * `reflectionStatistics()`: the reflection episodes of a period over the
 * telescope (`reflection-episodes.ts`) as the report's §4 and `teiten
 * detections --json` list them, with sensor names, ISO times and totals by
 * reflector service. Reflection is derived from raw packets; `rawPackets`
 * 0 means the store kept none for the period (retention), not that there
 * was no reflection.
 */

import type { ReflectionEpisode, ReflectionSettings } from '../detect/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { detectionScopes, type DetectionFilter } from './detection-scope.js';
import type { Period } from '../util/period.js';
import { telescopeReflection } from './reflection-episodes.js';
import type { PeriodRef } from './types.js';

const MS_PER_SECOND = 1000;

export interface ReflectionStatsOptions {
  period: Period;
  filter?: DetectionFilter;
  settings?: Partial<ReflectionSettings>;
}

export interface ReflectionItem extends Omit<ReflectionEpisode, 'start' | 'end' | 'sensorIds'> {
  /** ISO 8601 UTC, and epoch seconds. */
  start: string;
  end: string;
  startSec: number;
  endSec: number;
  durationSec: number;
  /** Names of the sensors that saw it. */
  sensors: string[];
}

export interface ReflectionServiceTotal {
  service: string;
  protocol: string;
  episodes: number;
  packets: number;
  bytes: number;
}

export interface ReflectionStatistics {
  period: PeriodRef;
  settings: ReflectionSettings;
  /** Raw packets of the period the episodes were read from (0: none kept). */
  rawPackets: number;
  episodes: ReflectionItem[];
  /** Episodes a lagging sensor may still add to (published once every sensor has delivered past them). */
  openEpisodes: ReflectionItem[];
  /** Per reflector service (closed episodes), most packets first. */
  byService: ReflectionServiceTotal[];
  candidates: number;
  belowThresholds: number;
}

const iso = (sec: number): string => new Date(sec * MS_PER_SECOND).toISOString();

export async function reflectionStatistics(
  store: AnalyticsStore,
  options: ReflectionStatsOptions,
): Promise<ReflectionStatistics> {
  const { current } = await detectionScopes(store, options.period, options.filter);
  const result = await telescopeReflection(
    store,
    current,
    options.settings === undefined ? {} : { settings: options.settings },
  );
  const names = current.filter.keys.sensorsById;
  const item = ({ start, end, sensorIds, ...e }: ReflectionEpisode): ReflectionItem => ({
    ...e,
    start: iso(start),
    end: iso(end),
    startSec: start,
    endSec: end,
    durationSec: end - start,
    sensors: sensorIds.map((id) => names.get(id)?.name ?? `#${id}`),
  });
  const episodes = result.episodes.map(item);
  const services = new Map<string, ReflectionServiceTotal>();
  for (const e of episodes) {
    let t = services.get(e.service);
    if (t === undefined)
      services.set(e.service, (t = { service: e.service, protocol: e.protocol, episodes: 0, packets: 0, bytes: 0 }));
    t.episodes++;
    t.packets += e.packets;
    t.bytes += e.replyBytes + e.fragmentBytes;
  }
  return {
    period: current.ref,
    settings: result.settings,
    rawPackets: result.rawPackets,
    episodes,
    openEpisodes: result.openEpisodes.map(item),
    byService: [...services.values()].sort((a, b) => b.packets - a.packets || a.service.localeCompare(b.service)),
    candidates: result.candidates,
    belowThresholds: result.belowThresholds,
  };
}
