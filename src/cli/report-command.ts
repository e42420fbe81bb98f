/**
 * @module
 * `teiten report [--db FILE|--store URL] --period P [--kind quarterly|monthly]
 * [--lang ja|en] [--format html|pdf|json|md] [--out FILE]`: composes the
 * quarterly (@police layout) or monthly (TALOT2 layout) report of a period
 * from the store and renders it. The kind defaults to the period's shape (a
 * month → monthly, a quarter → quarterly). §3/§4 come from the store's
 * detection tables, or from `--detections FILE` when given (the file wins).
 * Output is deterministic: the same store and period give the same bytes,
 * unless `--generated-at` stamps it.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { StatsInputError } from '../analyse/index.js';
import {
  type ComposableKind,
  ComposeError,
  type ComposeOptions,
  type DetectionInput,
  generateReport,
  type Language,
  parseDetectionInput,
  REPORT_FORMAT_NAMES,
  REPORT_KINDS,
  REPORT_LANGUAGES,
  type ReportFormat,
} from '../report/index.js';
import type { CommandRun } from './commands.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import { choice } from './parse-values.js';
import { periodOption } from './stats-command.js';
import { openStoreFromOptions, storeDisplayName } from './store-target.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const COUNTRY = /^[A-Za-z]{2}$/;

function textOption(
  values: Record<string, unknown>,
  name: string,
  pattern: RegExp,
  example: string,
): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const text = String(value);
  if (!pattern.test(text)) throw new UsageError(`--${name} must look like ${example}, got '${text}'`);
  return text;
}

async function detectionsOption(values: Record<string, unknown>): Promise<DetectionInput | null> {
  const file = values['detections'];
  if (typeof file !== 'string') return null;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new UsageError(`--detections: cannot read ${file}: ${(cause as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new UsageError(`--detections: ${file} is not JSON: ${(cause as Error).message}`);
  }
  return parseDetectionInput(json, file);
}

export const runReport: CommandRun = async (values) => {
  const kindText = values['kind'];
  const kind =
    kindText === undefined ? undefined : choice(kindText, 'kind', Object.keys(REPORT_KINDS) as ComposableKind[]);
  const lang = choice(values['lang'] ?? 'ja', 'lang', REPORT_LANGUAGES) as Language;
  const format = choice(values['format'] ?? 'html', 'format', REPORT_FORMAT_NAMES) as ReportFormat;
  const out = values['out'];
  if (out !== undefined && (typeof out !== 'string' || out === '')) throw new UsageError('--out must name a file');
  if (out === undefined && format === 'pdf') throw new UsageError('--format pdf needs --out FILE');
  const options: ComposeOptions & { kind?: ComposableKind } = { lang, database: storeDisplayName(values) };
  if (kind !== undefined) options.kind = kind;
  const country = textOption(values, 'country', COUNTRY, 'JP');
  if (country !== undefined) options.country = country.toUpperCase();
  const issued = textOption(values, 'issued', DATE, '2010-07-30');
  if (issued !== undefined) options.issued = issued;
  const generatedAt = textOption(values, 'generated-at', INSTANT, '2010-07-30T09:00:00+09:00');
  if (generatedAt !== undefined) options.generatedAt = generatedAt;
  if (typeof values['publisher'] === 'string') options.publisher = values['publisher'];
  const fromFile = await detectionsOption(values);
  const store = await openStoreFromOptions(values);
  let bytes: Uint8Array;
  let label: string;
  try {
    const period = periodOption(values, store);
    label = period.label;
    const report = await generateReport(store, period, { ...options, detections: fromFile, format }).catch(
      (error: unknown) => {
        if (error instanceof StatsInputError || error instanceof ComposeError) throw new UsageError(error.message);
        throw error;
      },
    );
    options.kind ??= report.kind;
    bytes = report.bytes;
  } finally {
    await store.close();
  }
  if (out === undefined) {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
    return 0;
  }
  await writeFile(out, bytes);
  await writeOut(
    `Wrote the ${options.kind} report of ${label} (${lang}, ${format}, ${bytes.byteLength} bytes) to ${out}\n`,
  );
  return 0;
};
