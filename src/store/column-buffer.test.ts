import { describe, expect, test } from 'vitest';
import { camelName, ColumnBuffer } from './column-buffer.js';
import type { ListValues } from './list-column.js';
import { META, SOURCE_DAY, TRAFFIC_HOUR } from './schema.js';

describe('ColumnBuffer', () => {
  test('addObject() reads camelCase properties and fixed columns into columns', () => {
    const buffer = new ColumnBuffer(TRAFFIC_HOUR);
    buffer.addObject(
      {
        localDay: 14761,
        localHour: 3,
        ipVersion: 4,
        service: 786877,
        sportClass: 0,
        country: 0x4a50,
        flagClass: 1,
        packetClass: 2,
        packets: 3,
        bytes: 180,
      },
      { ingest_id: 5, sensor_id: 1 },
    );
    const block = buffer.take();
    expect(block.rowCount).toBe(1);
    expect(block.columns.map((c) => (c as ArrayLike<unknown>)[0])).toEqual([
      5, 1, 14761, 3, 4, 786877, 0, 0x4a50, 1, 2, 3, 180,
    ]);
    expect(buffer.rowCount).toBe(0);
  });

  test('addValues() rejects values outside the column type, naming table, row and column', () => {
    const buffer = new ColumnBuffer(SOURCE_DAY);
    const row = [1, 1, 14761, 0x0102_0304, 0, 0, [7], [1]];
    buffer.addValues(row);
    expect(() => buffer.addValues([1, 1, 14761, 0x0102_0304, 0x10000, 0, [7], [1]])).toThrow(
      'Cannot write source_list_day_rows row 1: country must be an integer in 0..65535, got 65536',
    );
    expect(() => buffer.addValues([1, 1, 14761, '1.2.3.4', 0, 0, [7], [1]])).toThrow(/src must be an integer/);
    expect(() => new ColumnBuffer(META).addValues([7, 'x'])).toThrow(/key must be a string, got 7/);
    expect(() => buffer.addValues([1, 1, 14761, 7, 0, 0, [7], [-1]])).toThrow(RangeError);
    expect(() => buffer.addValues([1, 1, 14761, 7, 0, 0, [7], [2 ** 53]])).toThrow(RangeError);
    expect(() => buffer.addValues([1, 1, 14761, 7, 0, 0, 7, [1]])).toThrow(/services must be an array, got 7/);
    expect(() => buffer.addValues([1, 1, 14761, 7, 0, 0, [7, 8], [1]])).toThrow(
      "Cannot write source_list_day_rows row 1: packets has 1 items, the row's other lists 2",
    );
    expect(() => buffer.addValues([1])).toThrow(/1 values for 8 columns/);
    expect(buffer.rowCount).toBe(1);
  });

  test("recycle() lends a taken block's arrays to the rows after the next take", () => {
    const buffer = new ColumnBuffer(META);
    const numbers = new ColumnBuffer(TRAFFIC_HOUR);
    const row = (day: number): number[] => [1, 2, day, 3, 4, 80, 0, 5, 6, 7, 8, 9];
    numbers.addValues(row(100));
    const first = numbers.take();
    numbers.addValues(row(101));
    numbers.recycle(first);
    const second = numbers.take();
    numbers.addValues(row(102));
    const third = numbers.take();
    // The third block's rows went into the first block's arrays; the second's are its own.
    expect((third.columns[2] as Float64Array).buffer).toBe((first.columns[2] as Float64Array).buffer);
    expect((second.columns[2] as Float64Array).buffer).not.toBe((first.columns[2] as Float64Array).buffer);
    expect([(second.columns[2] as Float64Array)[0], (third.columns[2] as Float64Array)[0]]).toEqual([101, 102]);
    expect(third.rowCount).toBe(1);
    buffer.addValues(['a', 'b']);
    const text = buffer.take();
    buffer.recycle(text);
    buffer.addValues(['c', 'd']);
    const next = buffer.take();
    buffer.addValues(['e', 'f']);
    buffer.addValues(['g', 'h']);
    const last = buffer.take();
    expect([next.columns, last.columns]).toEqual([
      [['c'], ['d']],
      [
        ['e', 'g'],
        ['f', 'h'],
      ],
    ]);
    expect(last.columns[0]).toBe(text.columns[0]);
  });

  test('recycle() of a block with list columns: the rows after the next take read back whole', () => {
    const buffer = new ColumnBuffer(SOURCE_DAY);
    const lists = (block: ReturnType<ColumnBuffer['take']>): number[][] => {
      const { starts, values } = block.columns[6] as { starts: Float64Array; values: Float64Array };
      return Array.from({ length: block.rowCount }, (_, r) => [...values.subarray(starts[r]!, starts[r + 1]!)]);
    };
    buffer.addValues([1, 1, 14761, 9, 0, 0, [5, 6, 7], [1, 1, 1]]);
    const first = buffer.take();
    buffer.addValues([1, 1, 14761, 10, 0, 0, [8], [2]]);
    buffer.recycle(first);
    const second = buffer.take();
    buffer.addValues([1, 1, 14761, 11, 0, 0, [9, 10], [3, 4]]);
    buffer.addValues([1, 1, 14761, 12, 0, 0, [11], [5]]);
    const third = buffer.take();
    expect([lists(second), lists(third)]).toEqual([[[8]], [[9, 10], [11]]]);
    const itemsOf = (block: ReturnType<ColumnBuffer['take']>): ArrayBufferLike =>
      ((block.columns[6] as ListValues).values as Float64Array).buffer;
    expect(itemsOf(third)).toBe(itemsOf(first));
  });

  test('addColumns() takes list columns flat and hands them out flat', () => {
    const buffer = new ColumnBuffer(SOURCE_DAY);
    buffer.addValues([1, 1, 14761, 9, 0, 0, [5], [6]]);
    buffer.addColumns(
      {
        rowCount: 2,
        columns: {
          localDay: [14761, 14762],
          src: [1, 2],
          country: [3, 4],
          asn: [0, 0],
          services: { starts: [0, 2, 3], values: Uint32Array.of(7, 80, 443) },
          packets: { starts: [0, 2, 3], values: [1, 2, 3] },
        },
      },
      { ingest_id: 1, sensor_id: 1 },
    );
    const block = buffer.take();
    expect(block.rowCount).toBe(3);
    const services = block.columns[6] as { starts: Float64Array; values: Float64Array };
    expect([...services.starts]).toEqual([0, 1, 3, 4]);
    expect([...services.values]).toEqual([5, 7, 80, 443]);
    expect([...(block.columns[7] as unknown as { values: Float64Array }).values]).toEqual([6, 1, 2, 3]);
  });

  test('addColumns() refuses lists out of step, out of range or outside their values', () => {
    const buffer = new ColumnBuffer(SOURCE_DAY);
    const base = {
      localDay: [14761, 14761],
      src: [1, 2],
      country: [0, 0],
      asn: [0, 0],
      services: { starts: [0, 1, 2], values: [7, 8] },
    };
    const add = (packets: unknown): void =>
      buffer.addColumns({ rowCount: 2, columns: { ...base, packets } as never }, { ingest_id: 1, sensor_id: 1 });
    expect(() => add({ starts: [0, 2, 2], values: [1, 2] })).toThrow(
      /row 0: packets has 2 items, the row's other lists 1/,
    );
    expect(() => add({ starts: [0, 1, 2], values: [1, -2] })).toThrow(
      'Cannot write source_list_day_rows row 1: packets must be an integer in 0..9007199254740991, got -2',
    );
    expect(() => add({ starts: [0, 1, 3], values: [1, 2] })).toThrow(
      /row 1: packets items 1..3 are outside its 2 values/,
    );
    expect(() => add([1, 2])).toThrow(/list column packets needs starts/);
    expect(buffer.rowCount).toBe(0);
  });

  test('camelName() maps column names to row properties', () => {
    expect(camelName('geoip_build_sec')).toBe('geoipBuildSec');
    expect(camelName(META.columns[0]!.name)).toBe('key');
  });
});
