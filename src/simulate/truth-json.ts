/**
 * @module
 * Writes truth.json readably but compactly and in bounded memory: objects
 * indented, arrays of plain values on one line, and tables (`RowTable`s or
 * arrays of rows) one row per line without indentation. Text goes to the
 * file in chunks as it is produced, never as one string.
 */

import { closeSync, openSync, writeSync } from 'node:fs';
import { RowTable } from './row-table.js';

const INDENT = '  ';
const FLUSH_CHARS = 1 << 20;

function isFlat(value: unknown[]): boolean {
  return value.every((v) => v === null || typeof v !== 'object');
}

class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  private readonly fd: number;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_CHARS) this.flush();
  }

  flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function writeValue(out: ChunkWriter, value: unknown, depth: number): void {
  const pad = INDENT.repeat(depth);
  const inner = INDENT.repeat(depth + 1);
  if (value instanceof RowTable) {
    if (value.length === 0) return out.write('[]');
    out.write('[\n');
    for (let k = 0; k < value.length; k++) out.write(k === 0 ? value.rowJson(k) : `,\n${value.rowJson(k)}`);
    return out.write(`\n${pad}]`);
  }
  if (Array.isArray(value)) {
    if (isFlat(value)) return out.write(JSON.stringify(value));
    if (value.length === 0) return out.write('[]');
    // Rows of a table go one per line without indentation: tables are long.
    const rowIndent = value.every((v) => Array.isArray(v) && isFlat(v)) ? '' : inner;
    out.write('[\n');
    value.forEach((v, k) => {
      out.write(k === 0 ? rowIndent : `,\n${rowIndent}`);
      writeValue(out, v, depth + 1);
    });
    return out.write(`\n${pad}]`);
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return out.write('{}');
    const simple = entries.every(([, v]) => v === null || typeof v !== 'object' || (Array.isArray(v) && isFlat(v)));
    if (depth >= 2 && simple) return out.write(JSON.stringify(value));
    out.write('{\n');
    entries.forEach(([k, v], i) => {
      out.write(`${i === 0 ? '' : ',\n'}${inner}${JSON.stringify(k)}: `);
      writeValue(out, v, depth + 1);
    });
    return out.write(`\n${pad}}`);
  }
  out.write(JSON.stringify(value));
}

/** Writes `value` (plain JSON data and `RowTable`s) to `path`, one table row per line. */
export function writeTruthJson(path: string, value: unknown): void {
  const out = new ChunkWriter(path);
  try {
    writeValue(out, value, 0);
    out.write('\n');
  } finally {
    out.close();
  }
}
