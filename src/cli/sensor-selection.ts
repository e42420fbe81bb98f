/**
 * @module
 * Which sensors a command looks at: `--sensor NAME...`, or the sensors of
 * `--telescope NAME`, or (neither) every sensor of the store.
 */
import { telescopeSensors, TelescopeError, type AnalyticsStore } from '../store/index.js';
import { UsageError } from './errors.js';
import { optionalText, texts } from './options.js';

/** `--sensor` and `--telescope` (declared for parseArgs in `commands.ts`). */
export const SENSOR_SELECTION_SHAPE = { sensor: texts(), telescope: optionalText() };

/** The options' values: sensors by name, or a telescope's. */
export interface SensorChoice {
  sensor?: string[] | undefined;
  telescope?: string | undefined;
}

/** Sensor names selected by the options; undefined selects all. An unknown telescope is a usage error. */
export async function sensorSelection(store: AnalyticsStore, choice: SensorChoice): Promise<string[] | undefined> {
  const { sensor, telescope } = choice;
  if (telescope === undefined) return sensor;
  if (sensor !== undefined) throw new UsageError('give --sensor or --telescope, not both');
  try {
    return await telescopeSensors(store, telescope);
  } catch (error) {
    if (error instanceof TelescopeError) throw new UsageError(`--telescope: ${error.message}`);
    throw error;
  }
}
