/**
 * @module
 * `teiten export [--db FILE|--store URL] --period P --format parquet|csv
 * [--table traffic|sources|packets] [--sensor NAME]… --out FILE [--json]`:
 * one table of a period to a file, the same rows from either store.
 */

import {
  EXPORT_FORMATS,
  EXPORT_TABLES,
  exportPeriod,
  StatsInputError,
  type ExportFormat,
  type ExportTableName,
} from '../analyse/index.js';
import type { CommandRun } from './commands.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import { choice } from './parse-values.js';
import { periodOption } from './stats-command.js';
import { openStoreFromOptions } from './store-target.js';

export const runExport: CommandRun = async (values) => {
  const format = choice(values['format'], 'format', Object.keys(EXPORT_FORMATS) as ExportFormat[]);
  const table = choice(values['table'] ?? 'traffic', 'table', Object.keys(EXPORT_TABLES) as ExportTableName[]);
  const out = values['out'];
  if (typeof out !== 'string' || out === '') throw new UsageError('--out FILE is required');
  const sensors = values['sensor'] as string[] | undefined;
  const store = await openStoreFromOptions(values);
  try {
    const period = periodOption(values, store);
    const result = await exportPeriod(store, {
      period,
      table,
      format,
      out,
      ...(sensors === undefined ? {} : { sensors }),
    }).catch((error: unknown) => {
      if (error instanceof StatsInputError) throw new UsageError(error.message);
      throw error;
    });
    if (values['json'] === true) await writeOut(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const p = result.period;
      await writeOut(
        `Wrote ${result.rows} ${table} rows of ${p.label} (${p.firstDate}..${p.lastDate}) to ${out} (${format})\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
};
