/**
 * @module
 * `teiten ingests [--db FILE | --store URL] [--sensor NAME]... [--json]`: the
 * committed captures of a store (or of some sensors), oldest first, with their
 * counts, time range, hash and whether the capture was cut inside a record
 * and kept (`ingest --keep-truncated`), and where.
 */
import { isoSeconds } from '../ingest/index.js';
import { SensorNotFoundError, type AnalyticsStore, type IngestRecord } from '../store/index.js';
import { command, flag, texts } from './options.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import { STORE_SHAPE, withStore } from './store-target.js';

/** One ingest as `--json` prints it: the store's record plus the sensor's name and readable times. */
export interface IngestJson extends IngestRecord {
  sensor: string;
  /** True when the capture ended inside a record and its complete records were kept. */
  truncated: boolean;
  firstTime: string | null;
  lastTime: string | null;
  ingestedTime: string;
}

async function ingestsOf(store: AnalyticsStore, sensorNames: readonly string[]): Promise<IngestJson[]> {
  const sensors = await store.listSensors();
  const names = new Map(sensors.map((s) => [s.id, s.name]));
  const wanted = new Set<number>();
  for (const name of sensorNames) {
    const sensor = sensors.find((s) => s.name === name);
    if (sensor === undefined) throw new SensorNotFoundError(name);
    wanted.add(sensor.id);
  }
  const records = (await store.listIngests()).filter((r) => wanted.size === 0 || wanted.has(r.sensorId));
  return records.map((r) => {
    const any = r.packetsCounted > 0;
    return {
      ...r,
      sensor: names.get(r.sensorId) ?? String(r.sensorId),
      truncated: r.truncatedAt > 0,
      firstTime: any ? isoSeconds(r.firstSec) : null,
      lastTime: any ? isoSeconds(r.lastSec) : null,
      ingestedTime: isoSeconds(r.ingestedSec),
    };
  });
}

function text(r: IngestJson): string {
  const n = (value: number): string => value.toLocaleString('en');
  const range = r.firstTime === null ? 'no packets counted' : `${r.firstTime} .. ${r.lastTime}`;
  const lines = [
    `ingest ${r.id}  ${r.sensor}  ${r.fileName}  (ingested ${r.ingestedTime})`,
    `  read ${n(r.packetsRead)}, counted ${n(r.packetsCounted)}, excluded ${n(r.packetsExcluded)}, malformed ${n(r.packetsMalformed)}, ` +
      `duplicates ${n(r.duplicates)}; ${range}`,
    `  ${n(r.bytes)} bytes, sha256 ${r.sha256}`,
  ];
  if (r.truncated)
    lines.push(
      `  truncated: the capture ends inside a record at byte ${n(r.truncatedAt)}; its complete records were counted`,
    );
  return lines.join('\n');
}

const OPTIONS = { ...STORE_SHAPE, sensor: texts(), json: flag() };

export const runIngests = command(OPTIONS, async (values, positionals) => {
  if (positionals.length > 0) throw new UsageError(`ingests takes no arguments, got '${positionals[0]}'`);
  const sensors = values.sensor ?? [];
  const rows = await withStore(values, (store) => ingestsOf(store, sensors));
  if (values.json) await writeOut(`${JSON.stringify(rows, null, 2)}\n`);
  else await writeOut(rows.length === 0 ? 'no ingests\n' : `${rows.map(text).join('\n')}\n`);
  return 0;
});
