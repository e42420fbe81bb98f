/**
 * @module
 * `exportPeriod`: one table of a period written to a CSV or Parquet file,
 * read from the store one local day at a time through the portable query
 * layer, so a DuckDB and a ClickHouse store export the same rows.
 */

import type { AnalyticsStore } from '../store/index.js';
import { ExportError, StatsInputError } from './errors.js';
import { EXPORT_TABLES, type ExportTable, type ExportTableName } from './export-tables.js';
import type { Period } from '../util/period.js';
import { periodRef, resolveFilter } from './scope.js';
import { EXPORT_FORMATS, type ExportFormat, type TableWriter } from './table-writers.js';
import type { PeriodRef } from './types.js';

export interface ExportOptions {
  period: Period;
  table: ExportTableName;
  format: ExportFormat;
  /** The file to write; replaced when it exists. */
  out: string;
  /** Sensor names; default every sensor. */
  sensors?: readonly string[];
}

export interface ExportResult {
  path: string;
  table: ExportTableName;
  format: ExportFormat;
  period: PeriodRef;
  rows: number;
  columns: string[];
}

/** Writes `options.table` for every day of `options.period` to `options.out`. */
export async function exportPeriod(store: AnalyticsStore, options: ExportOptions): Promise<ExportResult> {
  if (!Object.hasOwn(EXPORT_TABLES, options.table)) {
    throw new StatsInputError('table', options.table, `is not one of ${Object.keys(EXPORT_TABLES).join(', ')}`);
  }
  if (!Object.hasOwn(EXPORT_FORMATS, options.format)) {
    throw new StatsInputError('format', options.format, `is not one of ${Object.keys(EXPORT_FORMATS).join(', ')}`);
  }
  const table: ExportTable = EXPORT_TABLES[options.table];
  const open = EXPORT_FORMATS[options.format];
  const filter = resolveFilter(
    options.sensors === undefined ? {} : { sensors: options.sensors },
    await store.listSensors(),
  );
  const sensorIds = filter.restrictSensors ? filter.sensors.map((s) => s.id) : null;
  const { columns } = table;
  let writer: TableWriter;
  try {
    writer = await open(options.out, columns);
  } catch (cause) {
    if (cause instanceof ExportError) throw cause;
    throw new ExportError(options.out, cause instanceof Error ? cause.message : String(cause), { cause });
  }
  let rows = 0;
  try {
    for (let day = options.period.startDay; day < options.period.endDay; day++) {
      const result = await store.query<Record<string, unknown>>(table.query(day, sensorIds));
      if (result.length === 0) continue;
      await table.resolve?.(result, store);
      await writer.write(result.map((row) => columns.map((c) => c.value(row, filter.keys))));
      rows += result.length;
    }
    await writer.finish();
  } catch (error) {
    await writer.abort().catch(() => undefined);
    throw error;
  }
  return {
    path: options.out,
    table: options.table,
    format: options.format,
    period: periodRef(options.period),
    rows,
    columns: columns.map((c) => c.name),
  };
}
