import { describe, expect, it } from 'vitest';
import { PartitionedKeyTable } from './partitioned-key-table.js';

describe('PartitionedKeyTable', () => {
  it('sums records per key like a Map, keeps the first payload, and reads keys back by id, across automatic flushes', () => {
    const sums: number[] = [];
    const firsts: number[] = [];
    const table = new PartitionedKeyTable(3, 1, (id, isNew, records, at) => {
      if (isNew) {
        sums[id] = 0;
        firsts[id] = records[at + 3]!;
      }
      sums[id]! += 1;
    });
    const reference = new Map<string, { count: number; first: number }>();
    const record = new Uint32Array(4);
    let seed = 77;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    // More records than one flush holds, from few distinct keys and many.
    for (let k = 0; k < 1_100_000; k++) {
      record[0] = k % 4 === 0 ? next() : next() % 1000;
      record[1] = next() % 7;
      record[2] = k % 2 === 0 ? 0xffff_ffff : 19_000;
      record[3] = k;
      table.add(record);
      const key = `${record[0]},${record[1]},${record[2]}`;
      const known = reference.get(key);
      if (known === undefined) reference.set(key, { count: 1, first: k });
      else known.count++;
    }
    table.flush();
    expect(table.size).toBe(reference.size);
    const got = new Map<string, { count: number; first: number }>();
    for (let id = 0; id < table.size; id++) {
      got.set(`${table.word(id, 0)},${table.word(id, 1)},${table.word(id, 2)}`, {
        count: sums[id]!,
        first: firsts[id]!,
      });
    }
    expect(got).toEqual(reference);
  }, 60_000);

  it('partitions() hands out entries agreeing on the first partitionWords words together, with their ids', () => {
    const table = new PartitionedKeyTable(2, 0, () => undefined, { partitionWords: 1 });
    const record = new Uint32Array(2);
    for (let a = 0; a < 500; a++) {
      for (let b = 0; b < 3; b++) {
        record[0] = a;
        record[1] = b * 1000 + a;
        table.add(record);
      }
    }
    table.flush();
    const partitionOf = new Map<number, number>();
    const seen = new Set<number>();
    let p = 0;
    for (const { table: part, ids } of table.partitions()) {
      for (let j = 0; j < ids.length; j++) {
        const a = part.word(j, 0);
        expect(partitionOf.get(a) ?? p).toBe(p);
        partitionOf.set(a, p);
        expect(table.word(ids[j]!, 1)).toBe(part.word(j, 1));
        seen.add(ids[j]!);
      }
      p++;
    }
    expect(seen.size).toBe(1500);
    expect(() => new PartitionedKeyTable(2, 0, () => undefined, { partitionWords: 3 })).toThrow(RangeError);
  });
});
