/**
 * @module
 * Detection settings recorded in the store's meta (`teiten detect --period P
 * --rerun`), as JSON under one key each: the attack settings and the scan
 * thresholds are read and recorded the same way.
 */

import type { AnalyticsStore } from '../store/index.js';
import { StatsInputError } from './errors.js';

export interface RecordedSettings<T> {
  /** Meta key. */
  key: string;
  defaults: Readonly<T>;
  /** Checks settings and fills in the defaults; throws `RangeError` naming a bad one. */
  check: (given: Partial<T>) => T;
}

/** The settings as last recorded, else the defaults. */
export async function readSettings<T>(store: AnalyticsStore, spec: RecordedSettings<T>): Promise<T> {
  const text = await store.getMeta(spec.key);
  if (text === undefined) return { ...spec.defaults };
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (cause) {
    throw new StatsInputError(spec.key, text, 'in the store is not JSON', { cause });
  }
  return spec.check(stored as Partial<T>);
}

/** Records `given` over the recorded settings (checked, defaults filled in) for every later read; returns what was stored. */
export async function recordSettings<T>(
  store: AnalyticsStore,
  spec: RecordedSettings<T>,
  given: Partial<T>,
): Promise<T> {
  const checked = spec.check({ ...(await readSettings(store, spec)), ...given });
  await store.setMeta(spec.key, JSON.stringify(checked));
  return checked;
}
