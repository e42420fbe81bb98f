import { describe, expect, test } from 'vitest';
import { SourceGroups } from './source-groups.js';

/** Entries as (row key word, service); the other key words are 0. */
function grouped(entries: readonly (readonly [number, number])[]): number[][] {
  const groups = new SourceGroups();
  groups.group(entries.length, {
    fillKey: (j, key) => {
      key.fill(0);
      key[0] = entries[j]![0];
    },
    serviceOf: (j) => entries[j]![1],
  });
  const rows: number[][] = [];
  for (let g = 0; g < groups.count; g++) {
    const row: number[] = [];
    for (let k = groups.start(g); k < groups.start(g + 1); k++) row.push(entries[groups.entryAt(k)]![1]);
    rows.push(row);
  }
  return rows;
}

describe('SourceGroups', () => {
  test("group() puts a row's entries together, rows in order of first entry, services ascending", () => {
    expect(
      grouped([
        [7, 443],
        [9, 80],
        [7, 22],
        [7, 0x1ff_ffff],
        [9, 53],
        [5, 1],
      ]),
    ).toEqual([[22, 443, 0x1ff_ffff], [53, 80], [1]]);
  });

  test('group() sorts long rows and reuses its arrays for a larger partition', () => {
    const groups = grouped(Array.from({ length: 5000 }, (_, i) => [i % 2, (i * 7919) % 5000] as const));
    expect(groups.map((row) => row.length)).toEqual([2500, 2500]);
    for (const row of groups) expect(row).toEqual([...row].sort((a, b) => a - b));
    expect(grouped([])).toEqual([]);
  });
});
