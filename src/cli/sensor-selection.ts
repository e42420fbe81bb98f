/**
 * @module
 * Which sensors a command looks at: `--sensor NAME...`, or the sensors of
 * `--telescope NAME`, or (neither) every sensor of the store.
 */
import { telescopeSensors, TelescopeError, type AnalyticsStore } from '../store/index.js';
import { UsageError } from './errors.js';

/** Sensor names selected by the options; undefined selects all. An unknown telescope is a usage error. */
export async function sensorSelection(
  store: AnalyticsStore,
  values: Record<string, unknown>,
): Promise<string[] | undefined> {
  const sensors = values['sensor'] as string[] | undefined;
  const telescope = values['telescope'];
  if (telescope === undefined) return sensors;
  if (sensors !== undefined) throw new UsageError('give --sensor or --telescope, not both');
  try {
    return await telescopeSensors(store, String(telescope));
  } catch (error) {
    if (error instanceof TelescopeError) throw new UsageError(`--telescope: ${error.message}`);
    throw error;
  }
}
