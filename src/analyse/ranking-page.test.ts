import { describe, expect, it } from 'vitest';
import { pageOfRanking } from './ranking-page.js';
import type { RankingTable } from './types.js';

/** A table of `n` rows keyed 0..n-1; the other fields are carried as they are. */
function tableOf(n: number): RankingTable {
  const rows = Array.from({ length: n }, (_, k) => ({ key: String(k) })) as unknown as RankingTable['rows'];
  return { by: 'service', rows, table: rows.slice(0, 2), shares: [], uncertainty: null } as unknown as RankingTable;
}

const keys = (t: { rows: { key: string }[] }): string[] => t.rows.map((r) => r.key);

describe('pageOfRanking()', () => {
  it('cuts rows to offset..offset+limit-1 and says the total and where the next page starts', () => {
    const page = pageOfRanking(tableOf(7), { offset: 2, limit: 3 });
    expect(keys(page)).toEqual(['2', '3', '4']);
    expect(page.page).toEqual({ offset: 2, limit: 3, total: 7, next: 5 });
    expect(keys({ rows: page.table })).toEqual(['0', '1']);
  });

  it('the last page, a page past the end and a page of exactly the rest have no next', () => {
    expect(pageOfRanking(tableOf(7), { offset: 5, limit: 3 }).page).toEqual({
      offset: 5,
      limit: 3,
      total: 7,
      next: null,
    });
    expect(keys(pageOfRanking(tableOf(7), { offset: 9, limit: 3 }))).toEqual([]);
    expect(pageOfRanking(tableOf(6), { offset: 3, limit: 3 }).page.next).toBeNull();
    expect(pageOfRanking(tableOf(0), { offset: 0, limit: 1 }).page).toEqual({
      offset: 0,
      limit: 1,
      total: 0,
      next: null,
    });
  });

  it('following next from 0 visits every row once', () => {
    const table = tableOf(23);
    const seen: string[] = [];
    for (let offset: number | null = 0; offset !== null;) {
      const page = pageOfRanking(table, { offset, limit: 5 });
      seen.push(...keys(page));
      offset = page.page.next;
    }
    expect(seen).toEqual(keys(table));
  });

  it('refuses a negative offset or a limit below 1', () => {
    expect(() => pageOfRanking(tableOf(3), { offset: -1, limit: 2 })).toThrow(/offset -1/);
    expect(() => pageOfRanking(tableOf(3), { offset: 0, limit: 0 })).toThrow(/limit 0/);
  });
});
