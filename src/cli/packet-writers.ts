/**
 * @module
 * Renderers for `teiten decode`: one line per packet as NDJSON or CSV, keyed
 * by format name so the CLI gets a typed list of choices.
 */
import type { PacketBatch } from '../decode/index.js';
import { PACKET_FIELDS } from './packet-fields.js';

export interface PacketLineWriter {
  header(): string | undefined;
  line(batch: PacketBatch, i: number): string;
}

const ndjson: PacketLineWriter = {
  header: () => undefined,
  line(batch, i) {
    const record: Record<string, string | number | null> = {};
    for (const [name, read] of PACKET_FIELDS) record[name] = read(batch, i);
    return JSON.stringify(record);
  },
};

/** RFC 4180 quoting; only the `pflags` and address fields can hold separators in practice. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csv: PacketLineWriter = {
  header: () => PACKET_FIELDS.map(([name]) => name).join(','),
  line: (batch, i) => PACKET_FIELDS.map(([, read]) => csvCell(read(batch, i))).join(','),
};

export const PACKET_WRITERS = { ndjson, csv } as const;
export type PacketFormat = keyof typeof PACKET_WRITERS;
