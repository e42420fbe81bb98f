/**
 * @module
 * Sensors (observation points), their address blocks and their operating and
 * down intervals, stored through a `SqlSession` so both backends share one
 * implementation. On ClickHouse a sensor's row is written after its addresses
 * and intervals, so a half-added sensor is never listed; registry changes
 * are meant to come from one administrator at a time (ClickHouse cannot
 * enforce unique names itself).
 */

import { blocksOverlap } from './address-block.js';
import { ColumnBuffer } from './column-buffer.js';
import { SensorConflictError, SensorInUseError, SensorNotFoundError } from './errors.js';
import { INGEST_TABLES, INGESTS, SENSOR_ADDRESSES, SENSOR_INTERVALS, SENSORS } from './schema.js';
import { parseInterval, parseSensorDefinition } from './sensor-definition.js';
import type { SqlSession } from './sql-session.js';
import type { IntervalInput, IntervalKind, Sensor, SensorAddress, SensorInterval } from './store.js';

interface SensorRow {
  id: number;
  name: string;
  label: string;
  time_zone: string;
  created_sec: number;
}

interface AddressRow {
  sensor_id: number;
  cidr: string;
  family: number;
  prefix_len: number;
  v4_first: number;
  v4_last: number;
  address_count: number;
}

interface IntervalRow {
  sensor_id: number;
  kind: string;
  from_sec: number;
  to_sec: number;
  note: string;
}

/** Every sensor, or those matching `where` (SQL over the `sensors` columns), by id. */
export async function loadSensors(session: SqlSession, where?: { sql: string; params: unknown[] }): Promise<Sensor[]> {
  const filter = where === undefined ? '' : ` WHERE ${where.sql}`;
  const params = where?.params ?? [];
  const rows = await session.all<SensorRow>({
    sql: `SELECT id, name, label, time_zone, created_sec FROM ${SENSORS.name}${filter} ORDER BY id`,
    params,
  });
  if (rows.length === 0) return [];
  const addresses = await session.all<AddressRow>({
    sql: `SELECT sensor_id, cidr, family, prefix_len, v4_first, v4_last, address_count FROM ${SENSOR_ADDRESSES.name}
      WHERE sensor_id IN (SELECT id FROM ${SENSORS.name}${filter}) ORDER BY sensor_id, family, v4_first, cidr`,
    params,
  });
  const intervals = await session.all<IntervalRow>({
    sql: `SELECT sensor_id, kind, from_sec, to_sec, note FROM ${SENSOR_INTERVALS.name}
      WHERE sensor_id IN (SELECT id FROM ${SENSORS.name}${filter}) ORDER BY sensor_id, from_sec, to_sec, kind`,
    params,
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    label: r.label,
    timeZone: r.time_zone,
    createdSec: r.created_sec,
    addresses: addresses.filter((a) => a.sensor_id === r.id).map(toAddress),
    intervals: intervals.filter((i) => i.sensor_id === r.id).map(toInterval),
  }));
}

export async function loadSensor(session: SqlSession, sensorId: number): Promise<Sensor> {
  const [sensor] = await loadSensors(session, { sql: 'id = ?', params: [sensorId] });
  if (sensor === undefined) throw new SensorNotFoundError(sensorId);
  return sensor;
}

export interface AddSensorOptions {
  defaultTimeZone: string;
  nowSec: number;
}

/** Validates and stores a sensor; refuses a taken name or an address another sensor monitors. */
export async function addSensor(session: SqlSession, input: unknown, options: AddSensorOptions): Promise<Sensor> {
  const def = parseSensorDefinition(input, { defaultTimeZone: options.defaultTimeZone });
  return session.transaction(async (tx) => {
    const existing = await loadSensors(tx);
    if (existing.some((s) => s.name === def.name)) throw new SensorConflictError(`a sensor named ${def.name} exists`);
    for (const other of existing) {
      for (const block of def.addresses) {
        const clash = other.addresses.find((a) => blocksOverlap(a, block));
        if (clash) throw new SensorConflictError(`${block.cidr} overlaps ${clash.cidr} of sensor ${other.name}`);
      }
    }
    const id = await tx.nextId('sensor');
    const addresses = new ColumnBuffer(SENSOR_ADDRESSES);
    for (const a of def.addresses) addresses.addObject(a, { sensor_id: id });
    await tx.insert(addresses.take());
    if (def.operating.length > 0) await insertIntervals(tx, id, def.operating);
    const sensorRow = new ColumnBuffer(SENSORS);
    const sensor: Sensor = {
      id,
      name: def.name,
      label: def.label,
      timeZone: def.timeZone,
      createdSec: Math.floor(options.nowSec),
      addresses: [...def.addresses].sort(compareBlocks),
      intervals: [...def.operating].sort((a, b) => a.fromSec - b.fromSec || a.toSec - b.toSec),
    };
    sensorRow.addObject(sensor);
    await tx.insert(sensorRow.take());
    return sensor;
  });
}

/** Removes a sensor; with `withData` also its ingests and every row they wrote. */
export async function removeSensor(session: SqlSession, sensorId: number, withData: boolean): Promise<void> {
  await loadSensor(session, sensorId);
  const [count] = await session.all<{ n: number }>({
    sql: `SELECT COUNT(*) AS n FROM ${INGESTS.name} WHERE sensor_id = ?`,
    params: [sensorId],
  });
  const ingests = count?.n ?? 0;
  if (ingests > 0 && !withData) throw new SensorInUseError(sensorId, ingests);
  await session.transaction(async (tx) => {
    const where = { sql: 'sensor_id = ?', params: [sensorId] };
    // The ingests rows go first: that hides the data at once on ClickHouse too.
    await tx.deleteWhere(INGESTS, where);
    for (const table of INGEST_TABLES) await tx.deleteWhere(table, where);
    await tx.deleteWhere(SENSORS, { sql: 'id = ?', params: [sensorId] });
    await tx.deleteWhere(SENSOR_INTERVALS, where);
    await tx.deleteWhere(SENSOR_ADDRESSES, where);
  });
}

/** Validates and stores one interval of `kind` for an existing sensor. */
export async function addInterval(
  session: SqlSession,
  sensorId: number,
  input: { kind: IntervalKind; interval: IntervalInput },
): Promise<SensorInterval> {
  const interval = parseInterval(input.interval, {
    kind: input.kind,
    field: input.kind === 'down' ? 'downtime' : 'operating',
  });
  await loadSensor(session, sensorId);
  await insertIntervals(session, sensorId, [interval]);
  return interval;
}

async function insertIntervals(
  session: SqlSession,
  sensorId: number,
  intervals: readonly SensorInterval[],
): Promise<void> {
  const buffer = new ColumnBuffer(SENSOR_INTERVALS);
  for (const interval of intervals) buffer.addObject(interval, { sensor_id: sensorId });
  await session.insert(buffer.take());
}

/** The order `loadSensors` reads blocks in: IPv4 by address, then IPv6 by text. */
function compareBlocks(a: SensorAddress, b: SensorAddress): number {
  return a.family - b.family || a.v4First - b.v4First || (a.cidr < b.cidr ? -1 : a.cidr > b.cidr ? 1 : 0);
}

function toAddress(r: AddressRow): SensorAddress {
  return {
    cidr: r.cidr,
    family: r.family === 6 ? 6 : 4,
    prefixLen: r.prefix_len,
    v4First: r.v4_first,
    v4Last: r.v4_last,
    addressCount: r.address_count,
  };
}

function toInterval(r: IntervalRow): SensorInterval {
  return { kind: r.kind === 'down' ? 'down' : 'operating', fromSec: r.from_sec, toSec: r.to_sec, note: r.note };
}
