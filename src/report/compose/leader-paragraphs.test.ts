import { describe, expect, it } from 'vitest';
import {
  parsePeriod,
  previousPeriod,
  rankItems,
  selectTableRows,
  type RankingTable,
  type RankingUncertainty,
} from '../../analyse/index.js';
import type { Block } from '../document.js';
import { composeContext } from './context.js';
import { leaderParagraphs } from './port-section.js';

const period = parsePeriod('FY2010Q1', { timeZone: 'Asia/Tokyo' });
const ctx = (lang: 'ja' | 'en') => composeContext({ lang, period, previous: previousPeriod(period), unit: 'quarter' });
const rows = selectTableRows(
  rankItems([
    { key: '445/TCP', current: 12, previous: 10 },
    { key: '23/TCP', current: 8, previous: 2 },
    { key: '8/ICMP', current: 1, previous: 6 },
  ]),
  { top: 3, movers: 1 },
);
const tested = (direction: Record<string, 'increase' | 'decrease' | 'none'>): RankingUncertainty => ({
  level: 0.95,
  falseDiscoveryRate: 0.05,
  compared: 3,
  rows: Object.entries(direction).map(([key, d]) => ({
    key,
    level: 0.95,
    current: null,
    previous: null,
    change: { ratio: 1, low: 1, high: 1, pValue: 0.5, qValue: 0.5, df: null, direction: d },
  })),
});
// leaderParagraphs reads the table rows and the uncertainty only.
const ranking = (uncertainty: RankingUncertainty | null) => ({ table: rows, uncertainty }) as unknown as RankingTable;
const words = (blocks: Block[]): string =>
  blocks
    .map((b) => (b.kind === 'paragraph' ? b.content.filter((x) => typeof x === 'string').join('|') : ''))
    .join('\n');

describe('leaderParagraphs()', () => {
  it('leaderParagraphs() calls a change a rise or fall only when its test passed', () => {
    const claimed = words(
      leaderParagraphs(ctx('ja'), {
        ranking: ranking(tested({ '445/TCP': 'increase', '23/TCP': 'increase', '8/ICMP': 'decrease' })),
        tableId: 't',
        ascii: true,
      }),
    );
    expect(claimed).toContain('最も増加したのは');
    expect(claimed).not.toContain('有意な変化なし');
    const noise = tested({ '445/TCP': 'none', '23/TCP': 'none', '8/ICMP': 'decrease' });
    const ja = words(leaderParagraphs(ctx('ja'), { ranking: ranking(noise), tableId: 't', ascii: true }));
    expect(ja).toContain('で、前期と比較して有意な変化なし。');
    expect(ja).toContain('前期と比べて増加幅が最も大きかったのは | であるが、有意な変化なし。');
    expect(ja).toContain('また、最も減少したのは');
    const en = words(leaderParagraphs(ctx('en'), { ranking: ranking(noise), tableId: 't', ascii: true }));
    expect(en).toContain('; no significant change from the previous quarter.');
    expect(en).toContain(', a change within day-to-day noise (no significant change).');
    // Untested (no uncertainty): the published wording.
    expect(words(leaderParagraphs(ctx('ja'), { ranking: ranking(null), tableId: 't', ascii: true }))).not.toContain(
      '有意',
    );
  });
});
