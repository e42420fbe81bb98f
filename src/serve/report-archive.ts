/**
 * @module
 * The reports archive: the report files in one directory (`teiten serve
 * --reports-dir`, where the admin route writes and where `teiten report
 * --out DIR/NAME` can put them too), listed newest first and downloadable
 * by name. Only plain names with a report format's extension are listed or
 * served, so a request can never reach outside the directory.
 */

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { ParameterError } from './errors.js';

export interface ArchivedReport {
  name: string;
  format: ReportFormat;
  bytes: number;
  /** Last written, ISO 8601 UTC. */
  modified: string;
  /** Where it downloads from. */
  url: string;
}

export const REPORTS_PATH = '/reports';

const FORMAT_OF_EXTENSION = new Map<string, ReportFormat>(
  Object.entries(REPORT_FORMATS).map(([format, f]) => [f.extension, format as ReportFormat] as const),
);
/** Letters, digits, `.`, `_`, `-`; not starting with a dot (no hidden files, no `..`). */
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/** The report format of file `name`, or undefined when the archive does not serve such a name. */
export function archivedFormat(name: string): ReportFormat | undefined {
  if (!PLAIN_NAME.test(name)) return undefined;
  return FORMAT_OF_EXTENSION.get(name.slice(name.lastIndexOf('.') + 1));
}

/** The file name a generated report gets: `teiten-quarterly-FY2010Q1-ja.html`; a range's `..` becomes `_`. */
export function reportFileName(args: { kind: string; period: string; lang: string; format: ReportFormat }): string {
  const period = args.period.replace(/[^A-Za-z0-9-]+/g, '_');
  return `teiten-${args.kind}-${period}-${args.lang}.${REPORT_FORMATS[args.format].extension}`;
}

export async function listReports(dir: string): Promise<ArchivedReport[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const reports: ArchivedReport[] = [];
  for (const name of names) {
    const format = archivedFormat(name);
    if (format === undefined) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info === undefined || !info.isFile()) continue;
    reports.push({
      name,
      format,
      bytes: info.size,
      modified: info.mtime.toISOString(),
      url: `${REPORTS_PATH}/${name}`,
    });
  }
  return reports.sort((a, b) => b.modified.localeCompare(a.modified) || a.name.localeCompare(b.name));
}

/** The path and media type of archived report `name`; a `ParameterError` when no such name can be served. */
export function archivedReport(dir: string, name: string): { path: string; mediaType: string } {
  const format = archivedFormat(name);
  if (format === undefined)
    throw new ParameterError(
      'name',
      `${JSON.stringify(name)} is not a report file name (letters, digits, . _ -; .html .pdf .json .md)`,
    );
  return { path: join(dir, name), mediaType: REPORT_FORMATS[format].mediaType };
}

/** Writes `bytes` as `name` in `dir`, whole or not at all (a reader never lists half a report). */
export async function archiveReport(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true });
  const part = join(dir, `.${randomUUID()}.part`);
  await writeFile(part, bytes);
  await rename(part, join(dir, name));
}
