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
import {
  type ComposableKind,
  ComposeError,
  type ComposeOptions,
  type DetectionInput,
  generateReport,
  parseDetectionInput,
  REPORT_FORMAT_NAMES,
  REPORT_KINDS,
  REPORT_LANGUAGES,
} from '../report/index.js';
import { UsageError } from './errors.js';
import { command, oneOf, parsed, optionalText } from './options.js';
import { writeOut } from './output.js';
import { PERIOD, withPeriod } from './period-scope.js';
import { STORE_SHAPE, storeDisplayName } from './store-target.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const COUNTRY = /^[A-Za-z]{2}$/;

/** Text that must match `pattern`, like `example`. */
function like(pattern: RegExp, example: string): (value: string) => string {
  return (value) => {
    if (!pattern.test(value)) throw new RangeError(`must look like ${example}, got '${value}'`);
    return value;
  };
}

const OPTIONS = {
  ...STORE_SHAPE,
  period: PERIOD,
  kind: oneOf(Object.keys(REPORT_KINDS) as ComposableKind[]).optional(),
  lang: oneOf(REPORT_LANGUAGES),
  format: oneOf(REPORT_FORMAT_NAMES),
  out: optionalText(),
  country: parsed(like(COUNTRY, 'JP')).optional(),
  detections: optionalText(),
  issued: parsed(like(DATE, '2010-07-30')).optional(),
  'generated-at': parsed(like(INSTANT, '2010-07-30T09:00:00+09:00')).optional(),
  publisher: optionalText(),
};

async function detectionsOption(file: string | undefined): Promise<DetectionInput | null> {
  if (file === undefined) return null;
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

export const runReport = command(OPTIONS, async (values) => {
  const { kind, lang, format, out, country, issued, publisher } = values;
  const generatedAt = values['generated-at'];
  if (out === '') throw new UsageError('--out must name a file');
  if (out === undefined && format === 'pdf') throw new UsageError('--format pdf needs --out FILE');
  const options: ComposeOptions & { kind?: ComposableKind } = { lang, database: storeDisplayName(values) };
  if (kind !== undefined) options.kind = kind;
  if (country !== undefined) options.country = country.toUpperCase();
  if (issued !== undefined) options.issued = issued;
  if (generatedAt !== undefined) options.generatedAt = generatedAt;
  if (publisher !== undefined) options.publisher = publisher;
  const fromFile = await detectionsOption(values.detections);
  const { bytes, label } = await withPeriod(values, async (store, { period }) => {
    const report = await generateReport(store, period, { ...options, detections: fromFile, format }).catch(
      (error: unknown) => {
        if (error instanceof ComposeError) throw new UsageError(error.message);
        throw error;
      },
    );
    options.kind ??= report.kind;
    return { bytes: report.bytes, label: period.label };
  });
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
});
