/**
 * @module
 * `renderJson`: the document model as canonical JSON (`--format json`):
 * object keys sorted by UTF-16 code units at every level (except that
 * JavaScript always lists integer-like keys such as a column "10" first, in
 * numeric order), two-space indent, a final newline. The bytes depend only on the document's content, not on
 * the order a composer happened to set fields in, so two runs over the same
 * store and period compare equal with `cmp`.
 */

import type { ReportDocument } from './document.js';
import { checkDocument } from './document-check.js';

const INDENT = 2;

/** Renders `doc` (checked first with `checkDocument`) as canonical JSON text. */
export function renderJson(doc: ReportDocument): string {
  checkDocument(doc);
  return `${JSON.stringify(canonical(doc), null, INDENT)}\n`;
}

/** A copy of `value` whose objects have their keys inserted in sorted order; `undefined` fields dropped. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) {
      if (source[key] !== undefined) result[key] = canonical(source[key]);
    }
    return result;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`Cannot write ${value} as JSON: not a finite number`);
  }
  return value;
}
