import { describe, expect, it } from 'vitest';
import { parsePeriod, type Finding } from '../../analyse/index.js';
import { dayFromCivil } from '../../util/tz.js';
import { findingText, findingTexts } from './finding-text.js';

const APRIL_1 = dayFromCivil(2010, 4, 1);
const JUNE_30 = dayFromCivil(2010, 6, 30);
const JANUARY_1 = dayFromCivil(2010, 1, 1);
const MARCH_31 = dayFromCivil(2010, 3, 31);
const QUARTER = parsePeriod('FY2010Q1', { timeZone: 'Asia/Tokyo' });
const MONTH = parsePeriod('2010-06', { timeZone: 'Asia/Tokyo' });

/** A ranking finding of FY2010Q1 against FY2009Q4, with what the case sets. */
function finding(overrides: Partial<Finding>): Finding {
  return {
    id: 'x',
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
    significance: 1,
    contributors: [],
    comparison: 'quarter',
    ...overrides,
  };
}

const level = (fromDay: number, toDay: number, value: number) => ({ fromDay, toDay, level: value });

const RISE = finding({
  kind: 'rise',
  key: '9415/TCP',
  label: { ja: '9415/TCP', en: '9415/TCP' },
  before: level(JANUARY_1, MARCH_31, 0.94),
  after: level(APRIL_1, JUNE_30, 5.38),
  changeAbs: 4.44,
  changePct: 472.3,
  rank: 9,
  previousRank: 28,
  contributors: [
    { kind: 'country', key: 'CN', sharePct: 90 },
    { kind: 'source-port', key: '6000/TCP', sharePct: 88.04 },
  ],
});

describe('findingText()', () => {
  it('findingText() writes a rise against the previous quarter with its contributors', () => {
    expect(findingTexts(RISE, QUARTER)).toEqual({
      ja:
        '9415/TCP に対するアクセスは一日・1IP 当たり 5.38 件で、前期と比較して 4.44 件 (472.3%) 増加した。' +
        'そのうち、中国からのアクセスが 90.0%、発信元ポート 6000/TCP が 88.0%を占めた。',
      en:
        'Accesses to 9415/TCP were 5.38 per day per address and increased by 4.44 (472.3 %) against the previous quarter. ' +
        'Of these, 90.0 % came from China and 88.0 % came from source port 6000/TCP.',
    });
  });

  it('findingText() says "the previous period" for a period that is neither a quarter nor a month', () => {
    const days = parsePeriod('2010-04-01..2010-06-30', { timeZone: 'Asia/Tokyo' });
    expect(findingText({ ...RISE, comparison: 'period', contributors: [] }, { lang: 'en', period: days })).toBe(
      'Accesses to 9415/TCP were 5.38 per day per address and increased by 4.44 (472.3 %) against the previous period.',
    );
  });

  it('findingText() writes a rank jump and an entry into the top ranks', () => {
    const jump = finding({
      kind: 'rank-jump',
      label: { ja: '11/ICMP', en: '11/ICMP' },
      before: level(JANUARY_1, MARCH_31, 0.06),
      after: level(APRIL_1, JUNE_30, 22.73),
      changeAbs: 22.67,
      changePct: 37783.3,
      rank: 2,
      previousRank: 155,
    });
    expect(findingTexts(jump, QUARTER)).toEqual({
      ja:
        '11/ICMP に対するアクセスは、前期 155位から今期 2位に順位を上げた。' +
        '一日・1IP 当たり 22.73 件で、前期と比較して 22.67 件 (37,783.3%) 増加した。',
      en:
        'Accesses to 11/ICMP climbed from rank 155 to 2, at 22.73 per day per address; ' +
        'against the previous quarter they increased by 22.67 (37,783.3 %).',
    });
    const entry = finding({
      kind: 'top-entry',
      label: { ja: '7/UDP', en: '7/UDP' },
      after: level(APRIL_1, JUNE_30, 30),
      changeAbs: 30,
      rank: 8,
    });
    expect(findingTexts(entry, QUARTER)).toEqual({
      ja: '7/UDP に対するアクセスは前期には観測されていなかったが、今期は 8位となった (一日・1IP 当たり 30.00 件)。',
      en: 'Accesses to 7/UDP were not seen in the previous quarter and ranked 8 this quarter (30.00 per day per address).',
    });
  });

  it('findingText() writes a lasting surge from its first day, a country with "the"', () => {
    const surge = finding({
      kind: 'surge',
      dimension: 'country',
      key: 'US',
      label: { ja: '米国', en: 'United States' },
      fromDay: dayFromCivil(2010, 5, 10),
      ongoing: true,
      before: level(APRIL_1, dayFromCivil(2010, 5, 9), 10),
      after: level(dayFromCivil(2010, 5, 10), JUNE_30, 25),
      changeAbs: 15,
      changePct: 150,
      ratio: 2.5,
      score: 12,
      contributors: [{ kind: 'service', key: '445/TCP', sharePct: 61.25 }],
    });
    expect(findingTexts(surge, QUARTER)).toEqual({
      ja:
        '米国からのアクセスは2010年5月10日以降、一日・1IP 当たり 10.00 件から 25.00 件へ 15.00 件 (150.0%) 増加した。' +
        'そのうち、宛先ポート 445/TCP が 61.3%を占めた。',
      en:
        'Accesses from the United States rose to 25.00 per day per address (since 10 May 2010), up from 10.00 (+150.0 %). ' +
        'Of these, 61.3 % went to 445/TCP.',
    });
  });

  it('findingText() writes a one-day spike against its usual level', () => {
    const spike = finding({
      kind: 'spike',
      label: { ja: '23/TCP', en: '23/TCP' },
      fromDay: dayFromCivil(2010, 6, 13),
      toDay: dayFromCivil(2010, 6, 13),
      before: level(dayFromCivil(2010, 6, 1), dayFromCivil(2010, 6, 12), 2),
      after: level(dayFromCivil(2010, 6, 13), dayFromCivil(2010, 6, 13), 31.5),
      changeAbs: 29.5,
      changePct: 1475,
      ratio: 15.75,
      score: 20,
      comparison: 'month',
      contributors: [{ kind: 'source', key: '192.0.2.1', sharePct: 100 }],
    });
    expect(findingTexts(spike, MONTH)).toEqual({
      ja:
        '23/TCP に対するアクセスは2010年6月13日に一時的に増加し、一日・1IP 当たり 31.50 件 (通常は 2.00 件)に達した。' +
        'そのうち、単一の発信元 IP アドレスが 100.0%を占めた。',
      en:
        'Accesses to 23/TCP spiked to 31.50 per day per address (13 June 2010), against a usual 2.00. ' +
        'Of these, 100.0 % came from a single source address.',
    });
  });
});
