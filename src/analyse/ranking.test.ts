import { describe, expect, it } from 'vitest';
import {
  OTHER_KEY,
  rankItems,
  RankingInputError,
  selectTableRows,
  topWithOther,
  type RankItem,
  type RankRow,
} from './ranking.js';

const SMALL: RankItem[] = [
  { key: 'a', current: 10, previous: 8 },
  { key: 'b', current: 10, previous: 0 },
  { key: 'c', current: 5, previous: 9 },
  { key: 'd', current: 0, previous: 3 },
  { key: 'e', current: 0, previous: 0 },
  { key: 'f', current: 7, previous: 7 },
];

const byKey = (rows: readonly RankRow[]): Map<string, RankRow> => new Map(rows.map((r) => [r.key, r]));
const pick = (rows: readonly RankRow[], key: string): RankRow => {
  const row = rows.find((r) => r.key === key);
  if (row === undefined) throw new Error(`no row ${key}`);
  return row;
};
/** The rank columns as the seed tables print them. */
const columns = (r: RankRow): (number | null)[] => [r.rank, r.previousRank, r.increaseRank, r.decreaseRank];

describe('rankItems()', () => {
  it('rankItems() ranks both periods and both directions of change', () => {
    const rows = byKey(rankItems(SMALL));
    // [rank, previousRank, increaseRank, decreaseRank]
    expect(columns(pick([...rows.values()], 'a'))).toEqual([1, 2, 2, null]);
    expect(columns(rows.get('b') as RankRow)).toEqual([2, null, 1, null]);
    expect(columns(rows.get('f') as RankRow)).toEqual([3, 3, null, null]);
    expect(columns(rows.get('c') as RankRow)).toEqual([4, 1, null, 1]);
    expect(columns(rows.get('d') as RankRow)).toEqual([null, 4, null, 2]);
    expect(columns(rows.get('e') as RankRow)).toEqual([null, null, null, null]);
  });

  it('rankItems() computes the absolute and relative change', () => {
    const rows = byKey(rankItems(SMALL));
    expect(rows.get('a')).toMatchObject({ current: 10, previous: 8, changeAbs: 2, changePct: 25 });
    expect(rows.get('b')).toMatchObject({ changeAbs: 10, changePct: null });
    expect(rows.get('c')?.changeAbs).toBe(-4);
    expect(rows.get('c')?.changePct).toBeCloseTo(-44.444444, 5);
    expect(rows.get('d')).toMatchObject({ changeAbs: -3, changePct: -100 });
    expect(rows.get('e')).toMatchObject({ changeAbs: 0, changePct: null });
    expect(rows.get('f')).toMatchObject({ changeAbs: 0, changePct: 0 });
  });

  it('rankItems() orders ranked rows first, then absent ones by previous rank, whatever the input order', () => {
    const expected = ['a', 'b', 'f', 'c', 'd', 'e'];
    expect(rankItems(SMALL).map((r) => r.key)).toEqual(expected);
    expect(rankItems([...SMALL].reverse()).map((r) => r.key)).toEqual(expected);
    expect(rankItems([])).toEqual([]);
  });

  it('rankItems() breaks ties by key in code unit order, not locale order', () => {
    const rows = rankItems([
      { key: 'b', current: 1, previous: 2 },
      { key: 'B', current: 1, previous: 2 },
      { key: 'a', current: 1, previous: 2 },
    ]);
    expect(rows.map((r) => r.key)).toEqual(['B', 'a', 'b']);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.decreaseRank)).toEqual([1, 2, 3]);
  });

  it('rankItems() does not let float noise in a difference decide a tie', () => {
    // 0.28 − 0.27 = 0.010000000000000009 and 0.12 − 0.11 = 0.009999999999999995.
    const items = [
      { key: 'x', current: 0.28, previous: 0.27 },
      { key: 'a', current: 0.12, previous: 0.11 },
    ];
    const rounded = byKey(rankItems(items));
    expect(rounded.get('a')?.increaseRank).toBe(1);
    expect(rounded.get('x')?.increaseRank).toBe(2);
    expect(rounded.get('x')?.changeAbs).toBe(0.01);
    const exact = byKey(rankItems(items, { significantDigits: 17 }));
    expect(exact.get('x')?.increaseRank).toBe(1);
    // A value and itself plus rounding noise are neither a rise nor a fall.
    const same = rankItems([{ key: 'k', current: 0.3, previous: 0.1 + 0.2 }])[0];
    expect(same).toMatchObject({ changeAbs: 0, increaseRank: null, decreaseRank: null });
  });

  it('rankItems() rejects bad items with a RankingInputError naming key and field', () => {
    expect(() =>
      rankItems([
        { key: 'a', current: 1, previous: 1 },
        { key: 'a', current: 2, previous: 1 },
      ]),
    ).toThrowError(/"a": key appears more than once/);
    expect(() => rankItems([{ key: '445/TCP', current: -1, previous: 0 }])).toThrowError(/"445\/TCP": current -1/);
    expect(() => rankItems([{ key: 'k', current: 1, previous: Number.NaN }])).toThrowError(/previous NaN/);
    expect(() => rankItems([{ key: 'k', current: Number.POSITIVE_INFINITY, previous: 0 }])).toThrowError(
      RankingInputError,
    );
    expect(() => rankItems([{ key: '', current: 1, previous: 0 }])).toThrowError(RankingInputError);
    try {
      rankItems([{ key: 'k', current: 1, previous: -2 }]);
    } catch (error) {
      expect(error).toMatchObject({ code: 'TEITEN_RANKING_INPUT', key: 'k', field: 'previous' });
    }
    expect(() => rankItems(SMALL, { significantDigits: 0 })).toThrowError(RangeError);
    expect(() => rankItems(SMALL, { significantDigits: 18 })).toThrowError(RangeError);
  });
});

describe('selectTableRows()', () => {
  it('selectTableRows() takes the top rows plus the movers and blanks mover ranks beyond the limit', () => {
    const table = selectTableRows(rankItems(SMALL), { top: 2, movers: 1 });
    expect(table.map((r) => r.key)).toEqual(['a', 'b', 'c']);
    // a rose second most: shown for its rank, its increase rank blanked.
    expect(columns(table[0] as RankRow)).toEqual([1, 2, null, null]);
    expect(columns(table[1] as RankRow)).toEqual([2, null, 1, null]);
    expect(columns(table[2] as RankRow)).toEqual([4, 1, null, 1]);
  });

  it('selectTableRows() puts a row gone this period after the ranked ones', () => {
    const table = selectTableRows(rankItems(SMALL), { top: 1, movers: 2 });
    expect(table.map((r) => r.key)).toEqual(['a', 'b', 'c', 'd']);
    expect(columns(table[3] as RankRow)).toEqual([null, 4, null, 2]);
  });

  it('selectTableRows() returns copies and rejects bad limits', () => {
    const rows = rankItems(SMALL);
    selectTableRows(rows, { top: 0, movers: 1 });
    expect(pick(rows, 'a').increaseRank).toBe(2);
    expect(selectTableRows(rows, { top: 0, movers: 0 })).toEqual([]);
    expect(() => selectTableRows(rows, { top: -1, movers: 5 })).toThrowError(/top -1/);
    expect(() => selectTableRows(rows, { top: 5, movers: 1.5 })).toThrowError(/movers 1.5/);
  });
});

/** Seed row: key, this period's value, change; previous = current − change. */
type SeedRow = [key: string, current: number, change: number, columns: (number | null)[]];
const seedItems = (rows: readonly SeedRow[]): RankItem[] =>
  rows.map(([key, current, change]) => ({ key, current, previous: current - change }));
const filler = (prefix: string, values: readonly (readonly [number, number])[]): RankItem[] =>
  values.map(([current, previous], i) => ({ key: `${prefix}${String(i).padStart(2, '0')}`, current, previous }));

/** Checks the selected rows, their order and all four rank columns against a seed table. */
function expectSeedTable(seed: readonly SeedRow[], fillers: readonly RankItem[]): RankRow[] {
  const table = selectTableRows(rankItems([...fillers, ...seedItems(seed)]), { top: 5, movers: 5 });
  expect(table.map((r) => r.key)).toEqual(seed.map(([key]) => key));
  for (const [i, [, , change, cols]] of seed.entries()) {
    const row = table[i] as RankRow;
    expect(columns(row), row.key).toEqual(cols);
    expect(row.changeAbs).toBeCloseTo(change, 10);
  }
  return table;
}

describe('seed report tables', () => {
  it('selectTableRows() reproduces table 3-2 (signature detections by source country)', () => {
    // [key, current, change, [rank, previousRank, increaseRank, decreaseRank]] as printed.
    const seed: SeedRow[] = [
      ['中国', 4.22, -1.0, [1, 1, null, 1]],
      ['米国', 2.94, -0.42, [2, 2, null, 2]],
      ['台湾', 0.88, -0.05, [3, 4, null, null]],
      ['カナダ', 0.78, -0.24, [4, 3, null, null]],
      ['英国', 0.59, -0.25, [5, 5, null, 5]],
      ['韓国', 0.28, 0.01, [8, 18, 2, null]],
      ['ポルトガル', 0.15, -0.27, [19, 10, null, 3]],
      ['フランス', 0.14, -0.25, [20, 11, null, 4]],
      ['アルゼンチン', 0.12, 0.05, [23, 42, 1, null]],
      ['香港', 0.12, 0.01, [24, 31, 3, null]],
    ];
    // Unnamed countries filling the ranks between. Only three countries rose (the table
    // shows no 4th or 5th increase), so none of these rises, and none falls by 0.24 or more.
    const fillers = filler('filler-', [
      [0.5, 0.6],
      [0.45, 0.55], // ranks 6, 7 (previously 6, 7)
      [0.27, 0.5],
      [0.26, 0.45], // ranks 9, 10 (previously 8, 9)
      [0.25, 0.38],
      [0.24, 0.37],
      [0.23, 0.36],
      [0.22, 0.35],
      [0.21, 0.34],
      [0.2, 0.33], // 11–16 (12–17)
      [0.19, 0.26],
      [0.18, 0.25],
      [0.135, 0.24],
      [0.13, 0.23], // 17, 18, 21, 22 (19–22)
      [0.11, 0.22],
      [0.1, 0.21],
      [0.09, 0.2],
      [0.08, 0.19],
      [0.07, 0.18],
      [0.06, 0.17],
      [0.05, 0.16],
      [0.04, 0.15], // (23–30)
      [0.105, 0.105],
      [0.09, 0.1],
      [0.095, 0.095],
      [0.08, 0.09],
      [0.085, 0.085], // (32–36)
      [0.07, 0.08],
      [0.078, 0.078],
      [0.066, 0.076],
      [0.074, 0.074],
      [0.062, 0.072], // (37–41)
      [0, 0.05],
      [0.03, 0.03],
      [0, 0], // gone this period, unchanged, never seen
    ]);
    const table = expectSeedTable(seed, fillers);
    // Canada's −0.24 is the 6th largest fall, Taiwan's −0.05 lower still: both blanked.
    const full = byKey(rankItems([...fillers, ...seedItems(seed)]));
    expect(full.get('カナダ')?.decreaseRank).toBe(6);
    expect(full.get('台湾')?.decreaseRank).toBeGreaterThan(5);
    expect(table).toHaveLength(10);
  });

  it('selectTableRows() reproduces table 2-2 (sensor accesses by source country)', () => {
    const seed: SeedRow[] = [
      ['日本', 216.89, 133.1, [1, 2, 1, null]],
      ['中国', 92.14, -11.32, [2, 1, null, 1]],
      ['米国', 48.11, 9.27, [3, 3, 2, null]],
      ['ロシア', 16.68, -3.84, [4, 4, null, 3]],
      ['台湾', 16.33, -1.7, [5, 5, null, 4]],
      ['ブラジル', 10.07, -4.48, [6, 6, null, 2]],
      ['英国', 5.62, 0.66, [11, 14, 4, null]],
      ['オーストラリア', 3.06, -1.69, [18, 15, null, 5]],
      ['パキスタン', 1.74, 0.51, [31, 43, 5, null]],
      ['ペルー', 1.31, 0.91, [40, 68, 3, null]],
    ];
    // Fillers only fall, by less than Australia's 1.69 (the 5th largest fall).
    const range = (count: number, first: number, step: number, fall: number): [number, number][] =>
      Array.from({ length: count }, (_, i) => [first - step * i, first - step * i + fall]);
    const fillers = filler('filler-', [
      ...range(4, 9, 1, 0.5), // ranks 7–10 (previously 7–10)
      ...range(3, 5.3, 0.1, 0.2), // ranks 12–14 (previously 11–13)
      ...range(3, 4.5, 0.5, 0.1), // ranks 15–17 (previously 16–18)
      ...range(12, 3, 0.1, 0.3), // ranks 19–30
      ...range(8, 1.7, 0.05, 0.2), // ranks 32–39
      ...range(4, 1.2, 0.1, 0.8), // below Peru now, above Pakistan then
      ...range(24, 1.1, 0.03, 0.1), // previously 44–67
    ]);
    const table = expectSeedTable(seed, fillers);
    // The printed percentages of most large rows follow from the printed rates.
    // (Japan's 133.10 / 83.79 gives 158.8 against the printed 158.9: the source rounded first.)
    const pct = table.slice(1, 6).map((r) => Math.round((r.changePct ?? Number.NaN) * 10) / 10);
    expect(pct).toEqual([-10.9, 23.9, -18.7, -9.4, -30.8]);
  });

  it('selectTableRows() reproduces table 3-1 (signature detections by attack type)', () => {
    const seed: SeedRow[] = [
      ['Scan(P2P)', 7.64, -4.7, [1, 1, null, 1]],
      ['Worm', 4.04, -0.87, [2, 2, null, 2]],
      ['Scan', 3.12, -0.16, [3, 3, null, 3]],
    ];
    const table = expectSeedTable(seed, []);
    expect(table[0]?.changePct).toBeCloseTo(-38.1, 1);
  });
});

describe('topWithOther()', () => {
  it('topWithOther() keeps the top n and sums the rest into one other row', () => {
    const shares = topWithOther(rankItems(SMALL), 2);
    expect(shares.map((s) => [s.key, s.current, s.previous, s.other])).toEqual([
      ['a', 10, 8, false],
      ['b', 10, 0, false],
      [OTHER_KEY, 7 + 5, 7 + 9 + 3, true],
    ]);
    // Totals: current 32, previous 27.
    expect(shares.map((s) => s.currentPct)).toEqual([31.25, 31.25, 37.5]);
    expect(shares[0]?.previousPct).toBeCloseTo((8 / 27) * 100, 10);
    expect(shares[2]?.previousPct).toBeCloseTo((19 / 27) * 100, 10);
  });

  it('topWithOther() keeps an other row holding only last period and drops an empty one', () => {
    const rows = rankItems(SMALL);
    const four = topWithOther(rows, 4);
    expect(four.map((s) => s.key)).toEqual(['a', 'b', 'f', 'c', OTHER_KEY]);
    expect(four[4]).toMatchObject({ current: 0, previous: 3, currentPct: 0 });
    const withoutGone = rankItems(SMALL.filter((item) => item.key !== 'd'));
    expect(topWithOther(withoutGone, 4).map((s) => s.key)).toEqual(['a', 'b', 'f', 'c']);
    expect(topWithOther(rows, 0)).toEqual([
      { key: OTHER_KEY, current: 32, previous: 27, currentPct: 100, previousPct: 100, other: true },
    ]);
  });

  it('topWithOther() gives null percentages when a period has no traffic', () => {
    const shares = topWithOther(rankItems([{ key: 'k', current: 4, previous: 0 }]), 3);
    expect(shares).toEqual([{ key: 'k', current: 4, previous: 0, currentPct: 100, previousPct: null, other: false }]);
    expect(topWithOther([], 3)).toEqual([]);
    expect(() => topWithOther([], -1)).toThrowError(RangeError);
  });
});
