import { describe, expect, test } from 'vitest';
import { camelName, ColumnBuffer } from './column-buffer.js';
import { META, SOURCE_DAY } from './schema.js';

describe('ColumnBuffer', () => {
  test('addObject() reads camelCase properties and fixed columns into columns', () => {
    const buffer = new ColumnBuffer(SOURCE_DAY);
    buffer.addObject({ localDay: 14761, src: 0x0102_0304, country: 0x4a50, asn: 2497, service: 786877, packets: 3 }, { ingest_id: 5, sensor_id: 1 });
    const block = buffer.take();
    expect(block.rowCount).toBe(1);
    expect(block.columns.map((c) => c[0])).toEqual([5, 1, 14761, 0x0102_0304, 0x4a50, 2497, 786877, 3]);
    expect(buffer.rowCount).toBe(0);
  });

  test('addValues() rejects values outside the column type, naming table, row and column', () => {
    const buffer = new ColumnBuffer(SOURCE_DAY);
    const row = [1, 1, 14761, 0x0102_0304, 0, 0, 0, 1];
    buffer.addValues(row);
    expect(() => buffer.addValues([1, 1, 14761, 0x0102_0304, 0x10000, 0, 0, 1])).toThrow(
      'Cannot write source_key_day_rows row 1: country must be an integer in 0..65535, got 65536',
    );
    expect(() => buffer.addValues([1, 1, 14761, '1.2.3.4', 0, 0, 0, 1])).toThrow(/src must be an integer/);
    expect(() => new ColumnBuffer(META).addValues([7, 'x'])).toThrow(/key must be a string, got 7/);
    expect(() => buffer.addValues([1, 1, 14761, 7, 0, 0, 0, -1])).toThrow(RangeError);
    expect(() => buffer.addValues([1, 1, 14761, 7, 0, 0, 0, 2 ** 53])).toThrow(RangeError);
    expect(() => buffer.addValues([1])).toThrow(/1 values for 8 columns/);
    expect(buffer.rowCount).toBe(1);
  });

  test('camelName() maps column names to row properties', () => {
    expect(camelName('geoip_build_sec')).toBe('geoipBuildSec');
    expect(camelName(META.columns[0]!.name)).toBe('key');
  });
});
