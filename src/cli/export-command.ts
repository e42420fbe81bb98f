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
  type ExportFormat,
  type ExportTableName,
} from '../analyse/index.js';
import { command, flag, oneOf, requiredText, texts } from './options.js';
import { writeOut } from './output.js';
import { PERIOD, withPeriod } from './period-scope.js';
import { STORE_SHAPE } from './store-target.js';

const OPTIONS = {
  ...STORE_SHAPE,
  period: PERIOD,
  format: oneOf(Object.keys(EXPORT_FORMATS) as ExportFormat[]),
  table: oneOf(Object.keys(EXPORT_TABLES) as ExportTableName[]),
  sensor: texts(),
  out: requiredText('FILE is required'),
  json: flag(),
};

export const runExport = command(OPTIONS, async (options) => {
  const { format, table, out } = options;
  return withPeriod(options, async (store, { period, sensors }) => {
    const result = await exportPeriod(store, {
      period,
      table,
      format,
      out,
      ...(sensors === undefined ? {} : { sensors }),
    });
    if (options.json) await writeOut(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const p = result.period;
      await writeOut(
        `Wrote ${result.rows} ${table} rows of ${p.label} (${p.firstDate}..${p.lastDate}) to ${out} (${format})\n`,
      );
    }
    return 0;
  });
});
