/**
 * @module
 * Export file writers behind one interface, as a name-keyed registry:
 * `csv` streams RFC 4180 text with backpressure; `parquet` appends the rows
 * to a table of an in-memory DuckDB (whichever store they came from) and
 * has DuckDB `COPY` it to a Parquet file at the end. Both write to a
 * temporary name beside the target and rename on success, so a failed
 * export leaves no partial file behind.
 */

import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import {
  BIGINT,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { ExportError } from './errors.js';
import type { ExportColumn, ExportType } from './export-tables.js';

export interface TableWriter {
  /** Appends rows, each one value per column in column order. */
  write(rows: readonly (readonly (number | string)[])[]): Promise<void>;
  /** Completes the file at its final path. */
  finish(): Promise<void>;
  /** Removes whatever was written; safe to call after a failure. */
  abort(): Promise<void>;
}

type OpenWriter = (path: string, columns: readonly ExportColumn[]) => Promise<TableWriter>;

const CSV_NEEDS_QUOTES = /[",\r\n]/;
/** DuckDB's vector size: rows per appended data chunk. */
const CHUNK_ROWS = 2048;
const DUCKDB_TYPES: Readonly<Record<ExportType, DuckDBType>> = { i64: BIGINT, i32: INTEGER, text: VARCHAR };
const TABLE = 'export_rows';

function temporaryPath(path: string): string {
  return `${path}.partial-${process.pid}`;
}

function csvField(value: number | string): string {
  const text = String(value);
  return CSV_NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function openCsv(path: string, columns: readonly ExportColumn[]): Promise<TableWriter> {
  const partial = temporaryPath(path);
  const out: WriteStream = createWriteStream(partial);
  let failure: Error | undefined;
  out.on('error', (error) => {
    failure = error;
  });
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', (cause) => reject(new ExportError(path, cause.message, { cause })));
  });
  const push = async (text: string): Promise<void> => {
    if (failure !== undefined) throw new ExportError(path, failure.message, { cause: failure });
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  await push(`${columns.map((c) => csvField(c.name)).join(',')}\r\n`);
  return {
    write: (rows) => push(rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('')),
    finish: async () => {
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      if (failure !== undefined) throw new ExportError(path, failure.message, { cause: failure });
      await rename(partial, path);
    },
    abort: async () => {
      out.destroy();
      await rm(partial, { force: true });
    },
  };
}

async function openParquet(path: string, columns: readonly ExportColumn[]): Promise<TableWriter> {
  const partial = temporaryPath(path);
  const instance = await DuckDBInstance.create(':memory:');
  let connection: DuckDBConnection | undefined;
  const types = columns.map((c) => DUCKDB_TYPES[c.type]);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    connection?.closeSync();
    instance.closeSync();
  };
  try {
    connection = await instance.connect();
    // Column names come from the export registry, never from input.
    await connection.run(
      `CREATE TABLE ${TABLE} (${columns.map((c, i) => `"${c.name}" ${types[i]!.toString()}`).join(', ')})`,
    );
  } catch (cause) {
    close();
    throw new ExportError(path, 'cannot set up the in-memory DuckDB', { cause });
  }
  const conn = connection;
  return {
    write: async (rows) => {
      const appender = await conn.createAppender(TABLE);
      try {
        for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
          const slice = rows.slice(start, start + CHUNK_ROWS);
          const values = columns.map((c, i): DuckDBValue[] =>
            c.type === 'i64' ? slice.map((r) => BigInt(r[i] as number)) : slice.map((r) => r[i] as DuckDBValue),
          );
          const chunk = DuckDBDataChunk.create(types, slice.length);
          chunk.setColumns(values);
          appender.appendDataChunk(chunk);
        }
      } finally {
        appender.closeSync();
      }
    },
    finish: async () => {
      try {
        const copy = await conn.prepare(`COPY ${TABLE} TO $1 (FORMAT parquet)`);
        copy.bindVarchar(1, partial);
        await copy.run();
        copy.destroySync();
        await rename(partial, path);
      } catch (cause) {
        await rm(partial, { force: true });
        throw new ExportError(path, cause instanceof Error ? cause.message : String(cause), { cause });
      } finally {
        close();
      }
    },
    abort: async () => {
      close();
      await rm(partial, { force: true });
    },
  };
}

export const EXPORT_FORMATS = {
  csv: openCsv,
  parquet: openParquet,
} as const satisfies Record<string, OpenWriter>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;
