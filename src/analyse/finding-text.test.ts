import { describe, expect, it } from 'vitest';
import { dayFromCivil } from '../util/tz.js';
import { describeFinding, FINDING_TEMPLATES, selectContributors } from './finding-text.js';
import {
  dateEn,
  dateJa,
  formatDecimal,
  formatInteger,
  formatSignedDecimal,
  joinJa,
  ordinalEn,
  type FindingTextContext,
} from './finding-text-format.js';
import type { FindingFacts } from './finding-types.js';

const APRIL_1 = dayFromCivil(2010, 4, 1);
const JUNE_30 = dayFromCivil(2010, 6, 30);
const JANUARY_1 = dayFromCivil(2010, 1, 1);
const MARCH_31 = dayFromCivil(2010, 3, 31);
const QUARTER: FindingTextContext = { comparison: 'quarter' };

/** A ranking finding of FY2010Q1 against FY2009Q4, with what the case sets. */
function facts(overrides: Partial<FindingFacts>): FindingFacts {
  return {
    kind: 'rise',
    dimension: 'service',
    key: 'x',
    label: { ja: 'x', en: 'x' },
    fromDay: APRIL_1,
    toDay: JUNE_30,
    before: { fromDay: JANUARY_1, toDay: MARCH_31, level: 0 },
    after: { fromDay: APRIL_1, toDay: JUNE_30, level: 0 },
    changeAbs: 0,
    changePct: null,
    ratio: null,
    rank: null,
    previousRank: null,
    topN: 10,
    ongoing: false,
    score: null,
    changeClaim: null,
    contributors: [],
    ...overrides,
  };
}

const level = (fromDay: number, toDay: number, value: number) => ({ fromDay, toDay, level: value });

describe('finding-text-format', () => {
  it('formatDecimal() rounds to one decimal with comma groups and no sign', () => {
    expect(formatDecimal(37011.25)).toBe('37,011.3');
    expect(formatDecimal(12161.8)).toBe('12,161.8');
    expect(formatDecimal(-15.34)).toBe('15.3');
    expect(formatDecimal(0)).toBe('0.0');
    expect(formatDecimal(999.96)).toBe('1,000.0');
    expect(() => formatDecimal(Number.NaN)).toThrow(RangeError);
  });

  it('formatSignedDecimal() signs what does not round to zero', () => {
    expect(formatSignedDecimal(467.7)).toBe('+467.7');
    expect(formatSignedDecimal(-15.3)).toBe('-15.3');
    expect(formatSignedDecimal(-0.04)).toBe('0.0');
  });

  it('ordinalEn() and formatInteger() write ranks', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 155].map(ordinalEn)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
      '155th',
    ]);
    expect(formatInteger(3035)).toBe('3,035');
  });

  it('dateJa() and dateEn() give month and day without the year', () => {
    expect(dateJa(dayFromCivil(2010, 6, 1))).toBe('6月1日');
    expect(dateEn(dayFromCivil(2010, 5, 13))).toBe('13 May');
  });

  it('joinJa() spaces half-width text from Japanese only', () => {
    expect(joinJa('9415/TCP', 'は')).toBe('9415/TCP は');
    expect(joinJa('Scan(P2P)', 'は')).toBe('Scan(P2P) は');
    expect(joinJa('日本', 'は')).toBe('日本は');
  });
});

describe('describeFinding()', () => {
  it('describeFinding() writes a rise with its contributors', () => {
    const text = describeFinding(
      facts({
        kind: 'rise',
        key: '9415/TCP',
        label: { ja: '9415/TCP', en: '9415/TCP' },
        before: level(JANUARY_1, MARCH_31, 0.94),
        after: level(APRIL_1, JUNE_30, 5.38),
        changeAbs: 4.44,
        changePct: 467.7,
        rank: 9,
        previousRank: 28,
        contributors: [
          { kind: 'country', key: 'CN', sharePct: 90 },
          { kind: 'source-port', key: '6000/TCP', sharePct: 88.04 },
        ],
      }),
      QUARTER,
    );
    expect(text.ja).toBe(
      '9415/TCP は前期比 467.7% 増加し、一日・1IP 当たり 0.9 件から 5.4 件になりました。' +
        'そのうち、中国からのアクセスが 90.0%、送信元ポート 6000/TCP が 88.0% を占めました。',
    );
    expect(text.en).toBe(
      '9415/TCP rose 467.7 % against the previous quarter, from 0.9 to 5.4 per day per address. ' +
        'Of these accesses, 90.0 % came from China and 88.0 % used source port 6000/TCP.',
    );
  });

  it('describeFinding() writes a fall against the previous month', () => {
    const text = describeFinding(
      facts({
        kind: 'fall',
        label: { ja: '139/TCP', en: '139/TCP' },
        before: level(JANUARY_1, MARCH_31, 15.44),
        after: level(APRIL_1, JUNE_30, 8.46),
        changeAbs: -6.98,
        changePct: -45.2,
      }),
      { comparison: 'month' },
    );
    expect(text.ja).toBe('139/TCP は前月比 45.2% 減少し、一日・1IP 当たり 15.4 件から 8.5 件になりました。');
    expect(text.en).toBe('139/TCP fell 45.2 % against the previous month, from 15.4 to 8.5 per day per address.');
  });

  it('describeFinding() writes a rank jump with ordinals', () => {
    const text = describeFinding(
      facts({
        kind: 'rank-jump',
        label: { ja: '11/ICMP', en: '11/ICMP' },
        before: level(JANUARY_1, MARCH_31, 0.06),
        after: level(APRIL_1, JUNE_30, 22.73),
        changeAbs: 22.67,
        changePct: 37011.3,
        rank: 2,
        previousRank: 155,
      }),
      QUARTER,
    );
    expect(text.ja).toBe(
      '11/ICMP は前期 155 位から今期 2 位に上昇し、一日・1IP 当たり 22.7 件 (前期比 +37,011.3%)でした。',
    );
    expect(text.en).toBe(
      '11/ICMP climbed from 155th to 2nd place with 22.7 per day per address ' +
        '(+37,011.3 % against the previous quarter).',
    );
  });

  it('describeFinding() writes entries into the top N with and without a previous rank', () => {
    const climbed = describeFinding(
      facts({
        kind: 'top-entry',
        label: { ja: '23/TCP', en: '23/TCP' },
        before: level(JANUARY_1, MARCH_31, 1.43),
        after: level(APRIL_1, JUNE_30, 4.9),
        changePct: 241.9,
        rank: 10,
        previousRank: 20,
      }),
      QUARTER,
    );
    expect(climbed.ja).toBe(
      '23/TCP は前期 20 位から今期 10 位となり、上位 10 に入りました (一日・1IP 当たり 4.9 件、前期比 +241.9%)。',
    );
    expect(climbed.en).toBe(
      '23/TCP entered the top 10, from 20th to 10th place, with 4.9 per day per address ' +
        '(+241.9 % against the previous quarter).',
    );
    const fresh = describeFinding(
      facts({ kind: 'top-entry', label: { ja: 'ペルー', en: 'Peru' }, after: level(APRIL_1, JUNE_30, 3.21), rank: 7 }),
      { comparison: 'month' },
    );
    expect(fresh.ja).toBe('ペルーは前月には観測されず、今月は 7 位 (一日・1IP 当たり 3.2 件) で上位 10 に入りました。');
    expect(fresh.en).toBe(
      'Peru entered the top 10 at 7th place with 3.2 per day per address; it was not seen in the previous month.',
    );
  });

  it('describeFinding() writes surges and drops with their days', () => {
    const june1 = dayFromCivil(2010, 6, 1);
    const surge = describeFinding(
      facts({
        kind: 'surge',
        label: { ja: '23/TCP', en: '23/TCP' },
        fromDay: june1,
        toDay: JUNE_30,
        before: level(APRIL_1, june1 - 1, 1.43),
        after: level(june1, JUNE_30, 9.87),
        changePct: 590.2,
        ongoing: true,
        topN: null,
      }),
      QUARTER,
    );
    expect(surge.ja).toBe('23/TCP は6月1日以降、一日・1IP 当たり 1.4 件から 9.9 件に増加しました (+590.2%)。');
    expect(surge.en).toBe('23/TCP rose from 1.4 to 9.9 per day per address (+590.2 %) since 1 June.');

    const may1 = dayFromCivil(2010, 5, 1);
    const june10 = dayFromCivil(2010, 6, 10);
    const drop = describeFinding(
      facts({
        kind: 'drop',
        dimension: 'category',
        label: { ja: 'Scan(P2P)', en: 'Scan(P2P)' },
        fromDay: may1,
        toDay: june10,
        before: level(APRIL_1, may1 - 1, 12.3),
        after: level(may1, june10, 2.4),
        changePct: -80.5,
        topN: null,
      }),
      QUARTER,
    );
    expect(drop.ja).toBe(
      'Scan(P2P) は5月1日から6月10日まで、一日・1IP 当たり 12.3 件から 2.4 件に減少しました (-80.5%)。',
    );
    expect(drop.en).toBe('Scan(P2P) fell from 12.3 to 2.4 per day per address (-80.5 %) from 1 May to 10 June.');
  });

  it('describeFinding() writes a new entry without the level it came from', () => {
    const june1 = dayFromCivil(2010, 6, 1);
    const text = describeFinding(
      facts({
        kind: 'new-entry',
        dimension: 'source-port',
        label: { ja: '送信元ポート 53/UDP', en: 'Source port 53/UDP' },
        fromDay: june1,
        before: level(JANUARY_1, june1 - 1, 0.002),
        after: level(june1, JUNE_30, 60.04),
        changePct: 3_001_900,
        ongoing: true,
        topN: null,
        contributors: [{ kind: 'country', key: 'JP', sharePct: 98.5 }],
      }),
      QUARTER,
    );
    expect(text.ja).toBe(
      '送信元ポート 53/UDP は6月1日以降新たに観測され、一日・1IP 当たり平均 60.0 件でした。' +
        'そのうち、日本からのアクセスが 98.5% を占めました。',
    );
    expect(text.en).toBe(
      'Source port 53/UDP newly appeared on 1 June, averaging 60.0 per day per address since then. ' +
        'Of these accesses, 98.5 % came from Japan.',
    );
  });

  it('describeFinding() writes a spike against its usual level, with "the" where English needs it', () => {
    const may13 = dayFromCivil(2010, 5, 13);
    const text = describeFinding(
      facts({
        kind: 'spike',
        label: { ja: '11/ICMP', en: '11/ICMP' },
        fromDay: may13,
        toDay: may13,
        before: level(may13 - 28, may13 - 1, 2.9),
        after: level(may13, may13, 35.2),
        ratio: 35.2 / 2.9,
        topN: null,
        contributors: [
          { kind: 'country', key: 'US', sharePct: 97 },
          { kind: 'service', key: '80/TCP', sharePct: 51.25 },
          { kind: 'source', key: '192.0.2.7', sharePct: 94.9 },
        ],
      }),
      QUARTER,
    );
    expect(text.ja).toBe(
      '11/ICMP は5月13日に一時的に増加し、一日・1IP 当たり 35.2 件 (通常の 2.9 件の 12.1 倍) に達しました。' +
        'そのうち、米国からのアクセスが 97.0%、宛先ポート 80/TCP が 51.3%、単一の発信元 IP アドレスが 94.9% を占めました。',
    );
    expect(text.en).toBe(
      '11/ICMP spiked on 13 May to 35.2 per day per address, 12.1 times its usual 2.9. ' +
        'Of these accesses, 97.0 % came from the United States, 51.3 % targeted 80/TCP ' +
        'and 94.9 % came from a single source address.',
    );
    expect(text.en).not.toContain('192.0.2.7');
  });

  it('describeFinding() writes a multi-day spike from a usual level of 0', () => {
    const may13 = dayFromCivil(2010, 5, 13);
    const text = describeFinding(
      facts({
        kind: 'spike',
        label: { ja: '6532/TCP', en: '6532/TCP' },
        fromDay: may13,
        toDay: may13 + 2,
        before: level(may13 - 28, may13 - 1, 0),
        after: level(may13, may13 + 2, 4.25),
        topN: null,
      }),
      QUARTER,
    );
    expect(text.ja).toBe(
      '6532/TCP は5月13日から5月15日にかけて一時的に増加し、一日・1IP 当たり 4.3 件 (通常は 0.0 件) に達しました。',
    );
    expect(text.en).toBe(
      '6532/TCP spiked from 13 May to 15 May, peaking at 4.3 per day per address, from a usual 0.0.',
    );
  });

  it('FINDING_TEMPLATES lists each language once', () => {
    expect(Object.keys(FINDING_TEMPLATES).sort()).toEqual(['en', 'ja']);
  });
});

describe('selectContributors()', () => {
  const contributors = {
    countries: [
      { code: 'us', sharePct: 30 },
      { code: 'CN', sharePct: 45 },
      { code: 'KR', sharePct: 21 },
    ],
    services: [{ key: '80/TCP', sharePct: 60 }],
    sourcePorts: [{ key: '6000/TCP', sharePct: 19.9 }],
    sources: [
      { addr: '192.0.2.1', sharePct: 25 },
      { addr: '192.0.2.2', sharePct: 24 },
    ],
  };

  it('selectContributors() names the largest of each kind above the floor, one source, countries in upper case', () => {
    expect(selectContributors(contributors, { dimension: 'category', subject: 'x' })).toEqual([
      { kind: 'country', key: 'CN', sharePct: 45 },
      { kind: 'country', key: 'US', sharePct: 30 },
      { kind: 'service', key: '80/TCP', sharePct: 60 },
      { kind: 'source', key: '192.0.2.1', sharePct: 25 },
    ]);
    const loose = selectContributors(contributors, { dimension: 'category', subject: 'x', minPct: 10, maxPerKind: 3 });
    expect(loose.map((c) => c.key)).toEqual(['CN', 'US', 'KR', '80/TCP', '6000/TCP', '192.0.2.1']);
  });

  it("selectContributors() does not name the finding's own dimension", () => {
    expect(selectContributors(contributors, { dimension: 'country', subject: 'x' }).map((c) => c.kind)).toEqual([
      'service',
      'source',
    ]);
    expect(selectContributors(contributors, { dimension: 'service', subject: 'x' }).map((c) => c.kind)).toEqual([
      'country',
      'country',
      'source',
    ]);
    expect(selectContributors(undefined, { dimension: 'service', subject: 'x' })).toEqual([]);
  });
});
