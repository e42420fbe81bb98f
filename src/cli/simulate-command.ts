/**
 * @module
 * `teiten simulate --scenario FILE|NAME --out DIR [--seed N] [--scale F]
 * [--format pcap|pcapng] [--json]`: generates one capture per sensor and
 * truth.json from a scenario file or a bundled scenario (`--list` names them).
 */
import { relative } from 'node:path';
import { bundledScenarioNames, simulateScenario, type SimulateResult } from '../simulate/index.js';
import type { CommandRun } from './commands.js';
import { UsageError } from './errors.js';
import { scaleValue, seedValue } from './parse-values.js';
import { writeOut } from './output.js';

const FORMATS = ['pcap', 'pcapng'] as const;
const MS_PER_SECOND = 1000;
const BYTES_PER_MB = 1024 * 1024;

function formatOf(value: unknown): 'pcap' | 'pcapng' | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!(FORMATS as readonly string[]).includes(text)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${text}'`);
  return text as 'pcap' | 'pcapng';
}

const count = (n: number): string => n.toLocaleString('en-US');

function summary(result: SimulateResult): string {
  const shown = (path: string): string => relative(process.cwd(), path) || path;
  const width = Math.max(...result.files.map((f) => f.sensor.length));
  const pathWidth = Math.max(...result.files.map((f) => shown(f.path).length));
  const lines = result.files.map((f) =>
    `  ${f.sensor.padEnd(width)}  ${shown(f.path).padEnd(pathWidth)}  ${count(f.packets).padStart(10)} packets  ${(f.bytes / BYTES_PER_MB).toFixed(1).padStart(6)} MB`);
  const other = result.excluded > 0 ? ` (+${count(result.excluded)} to other hosts)` : '';
  return [
    `Simulated ${result.scenario} (seed ${result.seed}, scale ${result.scale}): ${result.days} days, ${result.files.length} sensors, ` +
      `${count(result.packets)} packets${other} in ${(result.elapsedMs / MS_PER_SECOND).toFixed(1)} s`,
    ...lines,
    `Truth: ${shown(result.truthPath)}`,
    '',
  ].join('\n');
}

export const runSimulate: CommandRun = async (values, positionals) => {
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (name the scenario with --scenario)`);
  if (values.list === true) {
    const names = bundledScenarioNames();
    await writeOut(values.json === true ? `${JSON.stringify(names)}\n` : `${names.join('\n')}\n`);
    return 0;
  }
  const scenario = values.scenario;
  if (typeof scenario !== 'string') throw new UsageError(`--scenario FILE|NAME is required (bundled: ${bundledScenarioNames().join(', ')})`);
  const outDir = values.out;
  if (typeof outDir !== 'string') throw new UsageError('--out DIR is required');
  const seed = seedValue(values.seed);
  const scale = scaleValue(values.scale);
  const format = formatOf(values.format);
  const progress = values.json !== true && process.stderr.isTTY === true;
  const result = await simulateScenario(scenario, {
    outDir,
    ...(seed === undefined ? {} : { seed }),
    ...(scale === undefined ? {} : { scale }),
    ...(format === undefined ? {} : { format }),
    ...(progress ? { onDay: ({ day, days, packets }) => process.stderr.write(`\r  day ${day}/${days}, ${count(packets)} packets`) } : {}),
  });
  if (progress) process.stderr.write('\r\x1b[K');
  if (values.json === true) {
    await writeOut(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    await writeOut(summary(result));
  }
  return 0;
};
