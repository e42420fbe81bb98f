/**
 * @module
 * `enrollSensor()`: registers the sensor if it is new, gives it a fresh
 * secret and writes the credentials file (0600) the agent runs with, or
 * returns them only (the dashboard's admin route hands them over). The
 * store keeps only `signingKey(secret)`; earlier keys of the sensor are
 * revoked. The file is written first and removed again if the store refuses
 * the key, so a failed enrolment never leaves a sensor without a key.
 */

import { rm } from 'node:fs/promises';
import { Credentials, newSecret, signingKey, writeCredentials } from '../sensor/index.js';
import { SensorConflictError, type AnalyticsStore, type Sensor } from '../store/index.js';

export interface EnrollRequest {
  name: string;
  /** Needed for a new sensor; for an existing one, must match its blocks when given. */
  addresses: readonly string[];
  label?: string;
  timeZone?: string;
  collector: string;
  fingerprint: string;
  /** Credentials file to write; none: only returned. */
  out?: string;
  nowMs: number;
}

export interface EnrollResult {
  sensor: Sensor;
  created: boolean;
  /** Earlier keys revoked by this enrolment. */
  revoked: number;
  /** What the agent runs with (also in `out` when given). */
  credentials: Credentials;
}

export async function enrollSensor(store: AnalyticsStore, request: EnrollRequest): Promise<EnrollResult> {
  let sensor = await store.findSensor(request.name);
  const created = sensor === undefined;
  if (sensor === undefined) {
    sensor = await store.addSensor({
      name: request.name,
      addresses: request.addresses,
      ...(request.label === undefined ? {} : { label: request.label }),
      ...(request.timeZone === undefined ? {} : { timeZone: request.timeZone }),
    });
  } else if (request.addresses.length > 0) {
    const have = sensor.addresses
      .map((a) => a.cidr)
      .sort()
      .join(',');
    const probe = [...request.addresses].sort().join(',');
    if (have !== probe)
      throw new SensorConflictError(
        `sensor ${request.name} exists with addresses ${have}; enrol it without --address or with the same ones`,
      );
  }
  const secret = newSecret();
  const credentials: Credentials = {
    version: 1,
    collector: request.collector,
    fingerprint: request.fingerprint,
    sensor: sensor.name,
    secret,
  };
  const { out } = request;
  if (out !== undefined) await writeCredentials(out, credentials);
  try {
    const revoked = (await store.network.keys(sensor.id)).filter((k) => k.revokedMs === 0).length;
    await store.network.addKey(sensor.id, signingKey(secret), request.nowMs);
    return { sensor, created, revoked, credentials };
  } catch (error) {
    if (out !== undefined) await rm(out, { force: true });
    throw error;
  }
}
