/**
 * @module
 * `teiten sensors add|list|remove|down`: the sensor registry of a store.
 *
 *     sensors add NAME --address CIDR... [--label TEXT] [--tz ZONE] [--from TIME]
 *     sensors list [--json]
 *     sensors remove NAME [--with-data]
 *     sensors down NAME --from TIME --to TIME [--note TEXT]
 *     sensors enroll NAME --address CIDR... --collector URL --out FILE [--fingerprint FP | --data-dir D]
 *     sensors revoke NAME
 *     sensors status [NAME...] [--json]
 *
 * TIME is ISO 8601 with a zone (`2010-06-01T00:00:00+09:00`, `…Z`) or epoch
 * seconds. Validation of names, addresses, zones and times is the store's
 * (`parseSensorDefinition`, `parseInterval`); its errors name the field.
 */
import {
  OPEN_END_SEC,
  SensorInUseError,
  SensorNotFoundError,
  type AnalyticsStore,
  type Sensor,
  type SensorInterval,
} from '../store/index.js';
import { command } from './options.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import { NETWORK_RUNNERS } from './sensors-network.js';
import { SENSORS_SHAPE, type SensorsOptions } from './sensors-options.js';
import { withStore } from './store-target.js';

const SUBCOMMANDS = ['add', 'list', 'remove', 'down', 'enroll', 'revoke', 'status'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];
const EPOCH_PATTERN = /^-?\d+$/;

/** `--from`/`--to` text: epoch seconds stay numbers, anything else goes to the store's ISO parser. */
function timeValue(text: string): number | string {
  return EPOCH_PATTERN.test(text) ? Number(text) : text;
}

function iso(sec: number): string | null {
  return sec >= OPEN_END_SEC ? null : new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
}

/** A sensor as `--json` prints it: the store's fields plus readable interval times. */
function sensorJson(sensor: Sensor): Record<string, unknown> {
  return {
    ...sensor,
    intervals: sensor.intervals.map((i) => ({ ...i, from: iso(i.fromSec), to: iso(i.toSec) })),
  };
}

function intervalText(i: SensorInterval): string {
  const note = i.note === '' ? '' : ` (${i.note})`;
  return `${i.kind} ${iso(i.fromSec)} .. ${iso(i.toSec) ?? 'open'}${note}`;
}

function sensorText(sensor: Sensor): string {
  const lines = [
    `${sensor.name}${sensor.label === '' ? '' : ` — ${sensor.label}`} (id ${sensor.id}, ${sensor.timeZone})`,
    `  addresses: ${sensor.addresses.map((a) => a.cidr).join(', ')}`,
  ];
  for (const interval of sensor.intervals) lines.push(`  ${intervalText(interval)}`);
  return lines.join('\n');
}

async function findOrFail(store: AnalyticsStore, name: string): Promise<Sensor> {
  const sensor = await store.findSensor(name);
  if (sensor === undefined) throw new SensorNotFoundError(name);
  return sensor;
}

function nameOf(positionals: string[], sub: Subcommand): string {
  if (positionals.length !== 2)
    throw new UsageError(`sensors ${sub} takes exactly one NAME, got ${positionals.length - 1} arguments`);
  return positionals[1]!;
}

const RUNNERS: Record<
  Subcommand,
  (store: AnalyticsStore, values: SensorsOptions, positionals: string[]) => Promise<void>
> = {
  ...NETWORK_RUNNERS,
  async add(store, values, positionals) {
    const name = nameOf(positionals, 'add');
    const sensor = await store.addSensor({
      name,
      addresses: values.address ?? [],
      ...(values.label === undefined ? {} : { label: values.label }),
      ...(values.tz === undefined ? {} : { timeZone: values.tz }),
      // checkAddOptions made sure --from was given before the store opened.
      operating: [{ from: timeValue(values.from!) }],
    });
    await writeOut(
      values.json ? `${JSON.stringify(sensorJson(sensor), null, 2)}\n` : `added sensor ${sensorText(sensor)}\n`,
    );
  },

  async list(store, values, positionals) {
    if (positionals.length !== 1) throw new UsageError('sensors list takes no arguments');
    const sensors = await store.listSensors();
    if (values.json) await writeOut(`${JSON.stringify(sensors.map(sensorJson), null, 2)}\n`);
    else await writeOut(sensors.length === 0 ? 'no sensors\n' : `${sensors.map(sensorText).join('\n')}\n`);
  },

  async remove(store, values, positionals) {
    const sensor = await findOrFail(store, nameOf(positionals, 'remove'));
    try {
      await store.removeSensor(sensor.id, { withData: values['with-data'] });
    } catch (error) {
      if (error instanceof SensorInUseError)
        throw new SensorInUseError(sensor.name, error.ingests, 'add --with-data to delete them with it');
      throw error;
    }
    if (!values.json) await writeOut(`removed sensor ${sensor.name}${values['with-data'] ? ' and its data' : ''}\n`);
    else await writeOut(`${JSON.stringify({ removed: sensor.name, withData: values['with-data'] })}\n`);
  },

  async down(store, values, positionals) {
    const sensor = await findOrFail(store, nameOf(positionals, 'down'));
    const { from, to, note } = values;
    if (from === undefined || to === undefined) throw new UsageError('sensors down needs --from TIME and --to TIME');
    const interval = await store.addDowntime(sensor.id, {
      from: timeValue(from),
      to: timeValue(to),
      ...(note === undefined ? {} : { note }),
    });
    if (values.json)
      await writeOut(
        `${JSON.stringify({ sensor: sensor.name, ...interval, from: iso(interval.fromSec), to: iso(interval.toSec) })}\n`,
      );
    else await writeOut(`recorded for ${sensor.name}: ${intervalText(interval)}\n`);
  },
};

/**
 * Checked before the store is opened (and perhaps created). The operating
 * start is required: a sensor "operating since forever" made every earlier
 * period look observed, with no data, and diluted per-address figures.
 */
function checkAddOptions(values: SensorsOptions): void {
  if ((values.address ?? []).length === 0) throw new UsageError('sensors add needs at least one --address CIDR');
  if (values.from === undefined) {
    throw new UsageError(
      'sensors add needs --from TIME: when the sensor started observing (e.g. 2010-04-01T00:00:00+09:00 or epoch seconds)',
    );
  }
}

export const runSensors = command(SENSORS_SHAPE, async (values, positionals) => {
  const sub = positionals[0];
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(
      `expected a subcommand: ${SUBCOMMANDS.join(', ')}${sub === undefined ? '' : `, got '${sub}'`}`,
    );
  }
  if (sub === 'add') checkAddOptions(values);
  // Registering the first sensor (add, enroll) is what creates a store; nothing else does.
  await withStore(values, (store) => RUNNERS[sub as Subcommand](store, values, positionals), {
    create: sub === 'add' || sub === 'enroll',
  });
  return 0;
});
