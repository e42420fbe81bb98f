/**
 * @module
 * `teiten simulate --scenario FILE|NAME --out DIR [--seed N] [--scale F]
 * [--format pcap|pcapng] [--json]`: generates one capture per sensor and
 * truth.json from a scenario file or a bundled scenario (`--list` names them).
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { bundledScenarioNames, simulateScenario, type SimulateResult } from '../simulate/index.js';
import { UsageError } from './errors.js';
import { command, flag, oneOf, optionalText, parsed } from './options.js';
import { scaleValue, wholeNumber } from './parse-values.js';
import { writeOut } from './output.js';
import { parseLocalDate, startOfLocalDay } from '../util/tz.js';

const FORMATS = ['pcap', 'pcapng'] as const;
const MS_PER_SECOND = 1000;
const BYTES_PER_MB = 1024 * 1024;

const OPTIONS = {
  scenario: optionalText(),
  out: optionalText(),
  seed: parsed(wholeNumber(0)).optional(),
  scale: parsed(scaleValue).optional(),
  format: oneOf(FORMATS).optional(),
  list: flag(),
  json: flag(),
};

const count = (n: number): string => n.toLocaleString('en-US');

interface TruthSensor {
  name: string;
  label: string;
  addresses: string[];
  downtime: { fromSec: number; toSec: number; note: string }[];
}

/** Single-quoted for a POSIX shell. */
const quoted = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

/**
 * The commands that register the simulated sensors in a store, as truth.json
 * states them: addresses, label, operating from the scenario's first local
 * day, and the scenario's downtime. Printed so the captures can be ingested
 * without reading truth.json.
 */
async function registerLines(truthPath: string): Promise<string[]> {
  const truth = JSON.parse(await readFile(truthPath, 'utf8')) as {
    scenario: { timeZone: string; start: string };
    sensors: TruthSensor[];
  };
  const from = startOfLocalDay(parseLocalDate(truth.scenario.start), truth.scenario.timeZone);
  return truth.sensors.flatMap((s) => [
    `  teiten sensors add ${s.name} ${s.addresses.map((a) => `--address ${a}`).join(' ')} --label ${quoted(s.label)} --from ${from}`,
    ...s.downtime.map(
      (d) => `  teiten sensors down ${s.name} --from ${d.fromSec} --to ${d.toSec} --note ${quoted(d.note)}`,
    ),
  ]);
}

function summary(result: SimulateResult, register: string[]): string {
  const shown = (path: string): string => relative(process.cwd(), path) || path;
  const width = Math.max(...result.files.map((f) => f.sensor.length));
  const pathWidth = Math.max(...result.files.map((f) => shown(f.path).length));
  const lines = result.files.map(
    (f) =>
      `  ${f.sensor.padEnd(width)}  ${shown(f.path).padEnd(pathWidth)}  ${count(f.packets).padStart(10)} packets  ${(f.bytes / BYTES_PER_MB).toFixed(1).padStart(6)} MB`,
  );
  const other = result.excluded > 0 ? ` (+${count(result.excluded)} to other hosts)` : '';
  return [
    `Simulated ${result.scenario} (seed ${result.seed}, scale ${result.scale}): ${result.days} days, ${result.files.length} sensors, ` +
      `${count(result.packets)} packets${other} in ${(result.elapsedMs / MS_PER_SECOND).toFixed(1)} s`,
    ...lines,
    `Truth: ${shown(result.truthPath)}`,
    'Register the sensors in a store (add --db FILE or --store URL), then ingest each capture with --sensor NAME:',
    ...register,
    '',
  ].join('\n');
}

export const runSimulate = command(OPTIONS, async (values, positionals) => {
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument '${positionals[0]}' (name the scenario with --scenario)`);
  if (values.list) {
    const names = bundledScenarioNames();
    await writeOut(values.json ? `${JSON.stringify(names)}\n` : `${names.join('\n')}\n`);
    return 0;
  }
  const { scenario, out: outDir, seed, scale, format } = values;
  if (scenario === undefined)
    throw new UsageError(`--scenario FILE|NAME is required (bundled: ${bundledScenarioNames().join(', ')})`);
  if (outDir === undefined) throw new UsageError('--out DIR is required');
  const progress = !values.json && process.stderr.isTTY === true;
  const result = await simulateScenario(scenario, {
    outDir,
    ...(seed === undefined ? {} : { seed }),
    ...(scale === undefined ? {} : { scale }),
    ...(format === undefined ? {} : { format }),
    ...(progress
      ? { onDay: ({ day, days, packets }) => process.stderr.write(`\r  day ${day}/${days}, ${count(packets)} packets`) }
      : {}),
  });
  if (progress) process.stderr.write('\r\x1b[K');
  if (values.json) {
    await writeOut(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    await writeOut(summary(result, await registerLines(result.truthPath)));
  }
  return 0;
});
