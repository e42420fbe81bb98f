/**
 * @module
 * `loadStatus()`: the collector's records of each sensor (all, or those
 * named) read from the store and summarised by `sensorStatus`.
 */

import { SensorNotFoundError, type AnalyticsStore, type Sensor } from '../store/index.js';
import { sensorStatus, type SensorStatus } from './sensor-status.js';

export async function loadStatus(
  store: AnalyticsStore,
  options: { names?: readonly string[]; nowMs: number },
): Promise<SensorStatus[]> {
  let sensors: Sensor[];
  if (options.names === undefined || options.names.length === 0) sensors = await store.listSensors();
  else {
    sensors = [];
    for (const name of options.names) {
      const sensor = await store.findSensor(name);
      if (sensor === undefined) throw new SensorNotFoundError(name);
      sensors.push(sensor);
    }
  }
  const out: SensorStatus[] = [];
  for (const sensor of sensors) {
    out.push(
      sensorStatus({
        sensor,
        keys: await store.network.keys(sensor.id),
        segments: await store.network.segments(sensor.id),
        losses: await store.network.losses(sensor.id),
        lastHeartbeat: await store.network.lastHeartbeat(sensor.id),
        timeZone: store.settings.timeZone,
        nowMs: options.nowMs,
      }),
    );
  }
  return out;
}
