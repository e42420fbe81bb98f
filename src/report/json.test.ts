import { describe, expect, it } from 'vitest';
import { ReportDocumentError } from './errors.js';
import { REPORT_FORMATS, renderReport } from './formats.js';
import { canonical, renderJson } from './json.js';
import { sampleDocument } from './test-kit.js';

describe('renderJson()', () => {
  it('renderJson() writes canonical JSON that parses back to the same document', () => {
    const doc = sampleDocument('ja');
    const json = renderJson(doc);
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(doc)));
    expect(json.indexOf('"headlines"')).toBeLessThan(json.indexOf('"meta"'));
    expect(json.indexOf('"meta"')).toBeLessThan(json.indexOf('"schema"'));
    expect(json).toContain('"schema": "teiten.report/1"');
  });

  it('renderJson() is byte-identical whatever order the fields were set in', () => {
    const a = sampleDocument('en');
    const b = JSON.parse(JSON.stringify(a), (_key, value: unknown) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).reverse());
    }) as typeof a;
    expect(JSON.stringify(b)).not.toBe(JSON.stringify(a));
    expect(renderJson(b)).toBe(renderJson(a));
  });

  it('renderJson() refuses NaN and infinities instead of writing null', () => {
    const doc = sampleDocument('ja');
    const table = doc.sections[0]!.blocks[0]!;
    if (table.kind !== 'table') throw new Error('fixture changed');
    table.rows[0]!.cells['current'] = Number.NaN;
    expect(() => renderJson(doc)).toThrow(ReportDocumentError);
    expect(() => renderJson(doc)).toThrow('sections[0].blocks[0].rows[0].cells.current');
    expect(() => canonical({ x: [Number.POSITIVE_INFINITY] })).toThrow(RangeError);
  });

  it('canonical() sorts keys, drops undefined fields and keeps arrays in order', () => {
    expect(JSON.stringify(canonical({ b: 1, a: { d: undefined, c: [3, 1] } }))).toBe('{"a":{"c":[3,1]},"b":1}');
  });
});

describe('renderReport()', () => {
  it('renderReport() renders every non-PDF format to UTF-8 bytes', async () => {
    const doc = sampleDocument('ja');
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    expect(decode(await renderReport(doc, 'json'))).toBe(renderJson(doc));
    expect(decode(await renderReport(doc, 'md'))).toContain('# インターネット観測結果等');
    expect(Object.keys(REPORT_FORMATS)).toEqual(['html', 'md', 'json', 'pdf']);
    await expect(renderReport(doc, 'docx' as 'json')).rejects.toThrow(RangeError);
  });
});
