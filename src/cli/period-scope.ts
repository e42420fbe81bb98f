/**
 * @module
 * `--period P` over the sensors a command selects: `withPeriod` opens the
 * store, reads the period in the store's time zone and the sensor
 * selection, and turns the statistics' input errors (a period the store
 * cannot answer) into usage errors.
 */
import { parsePeriod, PeriodError, StatsInputError, type Period } from '../analyse/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { UsageError } from './errors.js';
import { requiredText } from './options.js';
import { prunedNotice } from './retention-notice.js';
import { SENSOR_SELECTION_SHAPE, sensorSelection, type SensorChoice } from './sensor-selection.js';
import { STORE_SHAPE, withStore, type StoreChoice } from './store-target.js';

/** `--period`, required. */
export const PERIOD = requiredText('is required (e.g. 2007-07, 2010Q2, FY2010Q1)');

/** The store, `--period` and the sensor selection: the options every period command takes. */
export const PERIOD_SHAPE = { ...STORE_SHAPE, period: PERIOD, ...SENSOR_SELECTION_SHAPE };

/** `text` as a period in the store's zone; a malformed period is a usage error; days retention removed are noted on stderr. */
function periodIn(text: string, store: AnalyticsStore): Period {
  try {
    const period = parsePeriod(text, { timeZone: store.settings.timeZone });
    const notice = prunedNotice(store, period);
    if (notice !== null) process.stderr.write(`${notice}\n`);
    return period;
  } catch (error) {
    if (error instanceof PeriodError) throw new UsageError(`--period: ${error.message}`);
    throw error;
  }
}

/** What `withPeriod` hands the command: the period and the selected sensors (undefined: all). */
export interface PeriodScope {
  period: Period;
  sensors: string[] | undefined;
}

/** Opens the store the options name and runs `fn` over the period and sensors they select. */
export async function withPeriod<T>(
  options: StoreChoice & SensorChoice & { period: string },
  fn: (store: AnalyticsStore, scope: PeriodScope) => Promise<T>,
): Promise<T> {
  return withStore(options, async (store) => {
    const sensors = await sensorSelection(store, options);
    const period = periodIn(options.period, store);
    try {
      return await fn(store, { period, sensors });
    } catch (error: unknown) {
      if (error instanceof StatsInputError) throw new UsageError(error.message);
      throw error;
    }
  });
}
