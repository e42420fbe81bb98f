import { describe, expect, it } from 'vitest';
import { FindingInputError } from './change-point.js';
import {
  findFindings,
  selectHeadlines,
  withContributors,
  type Finding,
  type FindingsInput,
  type SeriesInput,
} from './findings.js';
import { parsePeriod, previousPeriod } from '../util/period.js';
import { rankItems, type RankItem } from './ranking.js';
import { SEED_PORTS } from './testdata/seed-ports.js';
import { uniform } from '../util/random.js';

const PERIOD = parsePeriod('FY2010Q1', { timeZone: 'Asia/Tokyo' });
const PREVIOUS = previousPeriod(PERIOD);
const day = (month: number, date: number): number =>
  PERIOD.startDay + (Date.UTC(2010, month - 1, date) - Date.UTC(2010, 3, 1)) / 86_400_000;

/** Two quarters of daily values from `level(day)`, with ±10 % noise. */
function series(seed: number, init: Omit<SeriesInput, 'days' | 'values'>, level: (day: number) => number): SeriesInput {
  const random = uniform(seed);
  const days: number[] = [];
  for (let d = PREVIOUS.startDay; d < PERIOD.endDay; d += 1) days.push(d);
  return { ...init, days, values: days.map((d) => level(d) * (0.9 + 0.2 * random())) };
}

const label = (text: string) => ({ ja: text, en: text });

/**
 * The seed quarter's ports (table 2-1) among fillers placed so that 9415/TCP
 * was 28th, 23/TCP 20th and 11/ICMP 155th in the previous quarter.
 */
function serviceItems(): RankItem[] {
  const items: RankItem[] = [
    ...SEED_PORTS,
    { key: 'f01/TCP', current: 13.7, previous: 14 },
    { key: 'f02/TCP', current: 6, previous: 10 },
  ];
  const filler = (index: number, previous: number) =>
    items.push({ key: `f${String(index).padStart(2, '0')}/TCP`, current: previous * 0.98, previous });
  for (let i = 3; i <= 14; i += 1) filler(i, 4.9 - (i - 3) * 0.3); // previous 4.9 .. 1.6
  for (let i = 15; i <= 21; i += 1) filler(i, 1.4 - (i - 15) * 0.06); // 1.4 .. 1.04
  for (let i = 0; i < 126; i += 1)
    items.push({ key: `l${i}/UDP`, current: 0.9 - i * 0.0066, previous: 0.93 - i * 0.0068 });
  return items;
}

function scenario(): FindingsInput {
  const june1 = day(6, 1);
  return {
    period: PERIOD,
    previousPeriod: PREVIOUS,
    totals: { service: 533.7, country: 533.7, 'source-port': 533.7, category: 15.2 },
    series: [
      series(
        1,
        {
          dimension: 'source-port',
          key: '53/UDP',
          label: { ja: '送信元ポート 53/UDP', en: 'Source port 53/UDP' },
          contributors: {
            countries: [
              { code: 'JP', sharePct: 98.5 },
              { code: 'US', sharePct: 1.5 },
            ],
          },
        },
        (d) => (d >= june1 ? 60 : 0.01),
      ),
      series(
        2,
        {
          dimension: 'service',
          key: '11/ICMP',
          label: label('11/ICMP'),
          contributors: {
            countries: [
              { code: 'JP', sharePct: 74.6 },
              { code: 'US', sharePct: 20.1 },
            ],
          },
        },
        (d) => (d === day(5, 13) ? 3.5 : d >= june1 ? 22 : 0.05),
      ),
      series(3, { dimension: 'service', key: '445/TCP', label: label('445/TCP') }, () => 150),
      series(4, { dimension: 'category', key: 'Scan(P2P)', label: label('Scan(P2P)') }, (d) =>
        d >= day(5, 5) ? 2.4 : 12,
      ),
    ],
    rankings: [
      {
        dimension: 'service',
        rows: rankItems(serviceItems()),
        contributors: {
          '9415/TCP': {
            countries: [{ code: 'cn', sharePct: 90.2 }],
            sourcePorts: [
              { key: '6000/TCP', sharePct: 88.1 },
              { key: '6001/TCP', sharePct: 3 },
            ],
            sources: [{ addr: '198.51.100.9', sharePct: 2 }],
          },
        },
      },
      {
        dimension: 'country',
        labels: { JP: { ja: '日本', en: 'Japan' }, PE: { ja: 'ペルー', en: 'Peru' } },
        rows: rankItems([
          { key: 'JP', current: 216.89, previous: 83.79 },
          { key: 'CN', current: 92.14, previous: 103.46 },
          { key: 'US', current: 48.11, previous: 38.84 },
          { key: 'RU', current: 16.68, previous: 20.52 },
          { key: 'TW', current: 16.33, previous: 18.03 },
          { key: 'PE', current: 1.31, previous: 0.4 },
        ]),
        contributors: {
          JP: { countries: [{ code: 'JP', sharePct: 100 }], services: [{ key: '11/ICMP', sharePct: 10.1 }] },
        },
      },
    ],
  };
}

const summary = (f: Finding) => `${f.kind} ${f.dimension} ${f.key} ${f.fromDay - PERIOD.startDay}`;

describe('findFindings()', () => {
  const findings = findFindings(scenario());

  it('findFindings() finds the planted changes and ranking moves, and nothing on the steady port', () => {
    expect(findings.map(summary).sort()).toEqual(
      [
        `new-entry source-port 53/UDP ${day(6, 1) - PERIOD.startDay}`,
        `new-entry service 11/ICMP ${day(6, 1) - PERIOD.startDay}`,
        `spike service 11/ICMP ${day(5, 13) - PERIOD.startDay}`,
        `drop category Scan(P2P) ${day(5, 5) - PERIOD.startDay}`,
        'rank-jump service 11/ICMP 0',
        'rank-jump service 9415/TCP 0',
        'rank-jump service 23/TCP 0',
        'rise country JP 0',
        'rise country PE 0',
      ].sort(),
    );
  });

  it('findFindings() carries ranks, levels and spans in the data', () => {
    const jump = findings.find((f) => f.kind === 'rank-jump' && f.key === '11/ICMP');
    expect(jump).toMatchObject({
      id: `rank-jump:service:11/ICMP:2010-04-01`,
      rank: 2,
      previousRank: 155,
      topN: 10,
      fromDay: PERIOD.startDay,
      toDay: PERIOD.endDay - 1,
      before: { fromDay: PREVIOUS.startDay, toDay: PREVIOUS.endDay - 1, level: 0.06 },
      after: { level: 22.73 },
      score: null,
    });
    expect(jump?.changePct).toBeCloseTo(37783.3, 1);
    const entry = findings.find((f) => f.kind === 'new-entry' && f.key === '53/UDP');
    expect(entry?.ongoing).toBe(true);
    expect(entry?.toDay).toBe(PERIOD.endDay - 1);
    // 60 × (0.9 + 0.2u) a day: over the quarter's 91 days the mean is 60 give or
    // take 3 standard errors (60 × 0.2 / √12 / √91 = 0.36 each).
    expect(Math.abs(entry!.after.level - 60)).toBeLessThan(1.1);
    expect(entry?.score).toBeGreaterThan(10);
  });

  it('findFindings() names contributors above the share floor, never its own dimension', () => {
    const port = findings.find((f) => f.key === '9415/TCP');
    expect(port?.contributors).toEqual([
      { kind: 'country', key: 'CN', sharePct: 90.2 },
      { kind: 'source-port', key: '6000/TCP', sharePct: 88.1 },
    ]);
    const japan = findings.find((f) => f.key === 'JP');
    expect(japan?.contributors).toEqual([]);
    expect(japan).toMatchObject({ kind: 'rise', comparison: 'quarter' });
  });

  it('findFindings() orders by significance and is deterministic', () => {
    const again = findFindings(scenario());
    expect(JSON.stringify(again)).toBe(JSON.stringify(findings));
    for (let i = 1; i < findings.length; i += 1) {
      expect((findings[i - 1] as Finding).significance).toBeGreaterThanOrEqual((findings[i] as Finding).significance);
    }
  });

  it('findFindings() names the series or row of bad input', () => {
    const bad = scenario();
    bad.series = [{ ...(bad.series?.[0] as SeriesInput), values: [1, -1] }];
    expect(() => findFindings(bad)).toThrow(FindingInputError);
    bad.series = [
      { ...(scenario().series?.[0] as SeriesInput), contributors: { countries: [{ code: 'CHN', sharePct: 5 }] } },
    ];
    expect(() => findFindings(bad)).toThrow(/source-port series "53\/UDP": contributors.countries\[0\] key "CHN"/);
    expect(() => findFindings({ ...scenario(), previousPeriod: undefined })).toThrow(/previousPeriod/);
    // Checked whether or not the series makes a finding.
    const steady = {
      ...(scenario().series?.[2] as SeriesInput),
      contributors: { sourcePorts: [{ key: '80/TCP', sharePct: 101 }] },
    };
    expect(() => findFindings({ ...scenario(), series: [steady] })).toThrow(
      /445\/TCP.*sourcePorts\[0\] sharePct 101 is not 0..100/,
    );
    const twice = scenario().series?.[2] as SeriesInput;
    expect(() => findFindings({ ...scenario(), series: [twice, twice] })).toThrow(/appears more than once/);
  });
});

describe('withContributors()', () => {
  it('withContributors() swaps the contributors and keeps the rest', () => {
    const spike = findFindings(scenario()).find((f) => f.kind === 'spike');
    expect(spike?.contributors).toContainEqual({ kind: 'country', key: 'JP', sharePct: 74.6 });
    const updated = withContributors(spike as Finding, {
      countries: [{ code: 'US', sharePct: 99.1 }],
      services: [{ key: '80/TCP', sharePct: 100 }],
      sources: [{ addr: '192.0.2.80', sharePct: 100 }],
    });
    expect(updated.contributors.map((c) => c.kind)).toEqual(['country', 'source']);
    expect(updated.contributors).toEqual([
      { kind: 'country', key: 'US', sharePct: 99.1 },
      { kind: 'source', key: '192.0.2.80', sharePct: 100 },
    ]);
    expect({ ...updated, contributors: spike?.contributors }).toEqual(spike);
  });
});

describe('findFindings() series', () => {
  it('findFindings() neither reports nor judges by days after the period', () => {
    const input = scenario();
    // A rise on the last three days of the period that lasts into the next: too short to judge within the period.
    const rising = (d: number) => (d >= PERIOD.endDay - 3 ? 90 : 10);
    const late = series(9, { dimension: 'service', key: '80/TCP', label: label('80/TCP') }, rising);
    const after = [0, 1, 2, 3, 4].map((i) => PERIOD.endDay + i);
    const longer = { ...late, days: [...late.days, ...after], values: [...late.values, ...after.map(rising)] };
    expect(findFindings({ ...input, rankings: [], series: [longer] })).toEqual([]);
    // The same series judged with the days after would show it.
    const unclipped = findFindings({
      ...input,
      period: { ...PERIOD, endDay: PERIOD.endDay + 5 },
      rankings: [],
      series: [longer],
    });
    expect(unclipped.map((f) => [f.kind, f.fromDay])).toEqual([['surge', PERIOD.endDay - 3]]);
  });
});

describe('selectHeadlines()', () => {
  it('selectHeadlines() takes the most significant, one per series', () => {
    const findings = findFindings(scenario());
    const headlines = selectHeadlines(findings);
    expect(headlines.map(summary)).toEqual([
      `drop category Scan(P2P) ${day(5, 5) - PERIOD.startDay}`,
      `new-entry source-port 53/UDP ${day(6, 1) - PERIOD.startDay}`,
      'rise country JP 0',
    ]);
    const five = selectHeadlines(findings, { count: 6 });
    const series = five.map((f) => `${f.dimension} ${f.key}`);
    expect(new Set(series).size).toBe(series.length);
    // The 53/UDP-sourced surge and the 11/ICMP rise it causes are separate series: both are listed.
    expect(series).toContain('source-port 53/UDP');
    expect(series.filter((s) => s === 'service 11/ICMP')).toHaveLength(1);
    expect(selectHeadlines(findings, { count: 0 })).toEqual([]);
  });

  it('selectHeadlines() prefers changes lasting a week over a more significant short burst', () => {
    const [lasting, other] = findFindings(scenario());
    const burst: Finding = {
      ...lasting!,
      id: 'burst',
      key: '6532/TCP',
      fromDay: lasting!.fromDay,
      toDay: lasting!.fromDay + 3,
      significance: lasting!.significance * 10,
    };
    const long: Finding = {
      ...other!,
      id: 'long',
      key: '9415/TCP',
      fromDay: other!.fromDay,
      toDay: other!.fromDay + 6,
    };
    expect(selectHeadlines([burst, long], { count: 1 }).map((f) => f.id)).toEqual(['long']);
    expect(selectHeadlines([burst, long], { count: 2 }).map((f) => f.id)).toEqual(['long', 'burst']);
  });
});

describe('findFindings() rankings', () => {
  const period = { ...PERIOD };
  const rows = (items: RankItem[]) => [{ dimension: 'service' as const, rows: rankItems(items) }];
  const base: RankItem[] = Array.from({ length: 12 }, (_, i) => ({
    key: `${100 + i}/TCP`,
    current: 50 - i * 3,
    previous: 50 - i * 3,
  }));

  it('findFindings() reports an entry into the top N that is not a rank jump', () => {
    const items = [...base, { key: '9999/TCP', current: 30, previous: 16 }];
    const found = findFindings({ period, previousPeriod: PREVIOUS, rankings: rows(items) });
    expect(found.map((f) => [f.kind, f.key, f.previousRank, f.rank])).toEqual([['top-entry', '9999/TCP', 13, 8]]);
    const fresh = findFindings({
      period,
      previousPeriod: PREVIOUS,
      rankings: rows([...base, { key: '7/UDP', current: 30, previous: 0 }]),
    });
    expect(fresh.map((f) => [f.kind, f.previousRank, f.changePct])).toEqual([['top-entry', null, null]]);
  });

  it('findFindings() ignores changes below the floor and small movers outside the top', () => {
    const items = [
      ...base,
      { key: '1/UDP', current: 0.09, previous: 0.01 },
      { key: '2/UDP', current: 1.6, previous: 1.0 },
    ];
    expect(findFindings({ period, previousPeriod: PREVIOUS, rankings: rows(items) })).toEqual([]);
  });

  it('findFindings() reports a rise or fall only when its test claims it, and says when a rank change is not significant', () => {
    const items = [
      ...base,
      { key: '9999/TCP', current: 30, previous: 16 },
      { key: '100/TCP', current: 120, previous: 50 },
    ];
    const withClaims = (claims: Record<string, 'increase' | 'decrease' | 'none'>) =>
      findFindings({
        period,
        previousPeriod: PREVIOUS,
        rankings: [
          { dimension: 'service', rows: rankItems(items.filter((x, i) => i > 0 || x.key !== '100/TCP')), claims },
        ],
      });
    const untested = withClaims({});
    expect(untested.map((f) => [f.kind, f.key, f.changeClaim])).toEqual([
      ['rise', '100/TCP', null],
      ['top-entry', '9999/TCP', null],
    ]);
    const noise = withClaims({ '100/TCP': 'none', '9999/TCP': 'none' });
    expect(noise.map((f) => [f.kind, f.key])).toEqual([['top-entry', '9999/TCP']]);
    const real = withClaims({ '100/TCP': 'increase', '9999/TCP': 'increase' });
    expect(real.map((f) => [f.kind, f.key, f.changeClaim])).toEqual([
      ['rise', '100/TCP', 'increase'],
      ['top-entry', '9999/TCP', 'increase'],
    ]);
    expect(real[1]!.changePct).toBeCloseTo(87.5, 1);
    // A test pointing the other way does not allow the claim either.
    expect(withClaims({ '100/TCP': 'decrease' }).map((f) => f.kind)).toEqual(['top-entry']);
  });

  it('findFindings() respects the ranking options', () => {
    const items = [...base, { key: '9999/TCP', current: 30, previous: 16 }];
    const found = findFindings(
      { period, previousPeriod: PREVIOUS, rankings: rows(items) },
      { ranking: { minRankJump: 4 } },
    );
    expect(found.map((f) => f.kind)).toEqual(['rank-jump']);
  });
});
