/**
 * `linkReasonText()` and `campaignSummaryText()`: every reason kind in
 * both languages with the values it carries, written out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { LinkReason } from '../detect/index.js';
import { campaignSummaryText, linkReasonText } from './campaign-words.js';

const REASONS: Array<[LinkReason, string, string]> = [
  [
    { kind: 'port-set', jaccard: 1, ports: ['22/TCP', '23/TCP', '80/TCP', '443/TCP', '8080/TCP'] },
    'identical 5-port set (22/TCP 23/TCP 80/TCP 443/TCP …)',
    '同一の 5 ポートの組 (22/TCP 23/TCP 80/TCP 443/TCP …)',
  ],
  [{ kind: 'port-set', jaccard: 0.8333, ports: ['23/TCP'] }, 'port sets 83 % alike', 'ポートの組が 83% 一致'],
  [{ kind: 'same-prefix', prefix: '11.0.0.0/24' }, 'same /24 (11.0.0.0/24)', '同じ /24 (11.0.0.0/24)'],
  [
    { kind: 'together', startGapSec: 4, stopGapSec: 17 },
    'started within 4 s and stopped within 17 s of each other',
    '開始の差 4 秒、終了の差 17 秒で同時に活動',
  ],
  [
    { kind: 'rotation', early: '11.0.0.1', late: '12.0.0.1', gapSec: 30 },
    '12.0.0.1 started 30 s after 11.0.0.1 stopped (rotation)',
    '11.0.0.1 の終了の 30 秒後に 12.0.0.1 が開始 (発信元の交代)',
  ],
  [
    { kind: 'rotation', early: '11.0.0.1', late: '12.0.0.1', gapSec: -12 },
    '12.0.0.1 started 12 s before 11.0.0.1 stopped (rotation)',
    '11.0.0.1 の終了の 12 秒前に 12.0.0.1 が開始 (発信元の交代)',
  ],
  [
    { kind: 'same-tool', tools: ['masscan', 'zmap'] },
    'same tool fingerprint (masscan, zmap)',
    '同じツールの特徴 (masscan, zmap)',
  ],
  [{ kind: 'same-ttl', ttl: 243 }, 'same TTL 243', '同じ TTL 243'],
  [{ kind: 'same-ip-id', ipId: 0 }, 'same constant IP ID 0', '同じ固定の IP ID 0'],
  [{ kind: 'same-window', window: 1024 }, 'same TCP window 1024', '同じ TCP ウィンドウ 1024'],
  [{ kind: 'same-source-port', port: 61000 }, 'same fixed source port 61000', '同じ固定の発信元ポート 61000'],
  [
    { kind: 'stepping-source-ports' },
    'source ports step by one per probe in both (hping3 default)',
    '両方とも発信元ポートがプローブごとに 1 ずつ増加 (hping3 の既定)',
  ],
  [
    { kind: 'masscan-seed', seed: 1234, seedKind: 'number' },
    "same Masscan seed 1234: every probe's TCP sequence number is its SYN cookie under that key, IP ID = dst ⊕ dport ⊕ seq",
    '同じ Masscan のシード 1234: 各プローブの TCP シーケンス番号がその鍵による SYN クッキーに一致し、IP ID = 宛先 ⊕ 宛先ポート ⊕ シーケンス番号',
  ],
  [
    { kind: 'masscan-seed', seed: 1_717_376_400, seedKind: 'time' },
    "same Masscan seed 1717376400 (--seed time: started 2024-06-03T01:00:00.000Z): every probe's TCP sequence number is its SYN cookie under that key, IP ID = dst ⊕ dport ⊕ seq",
    '同じ Masscan のシード 1717376400 (--seed time: 2024-06-03T01:00:00.000Z に開始): 各プローブの TCP シーケンス番号がその鍵による SYN クッキーに一致し、IP ID = 宛先 ⊕ 宛先ポート ⊕ シーケンス番号',
  ],
];

describe('linkReasonText()', () => {
  it.each(REASONS)('linkReasonText() words %j in English and Japanese', (reason, en, ja) => {
    expect(linkReasonText(reason, 'en')).toBe(en);
    expect(linkReasonText(reason, 'ja')).toBe(ja);
  });
});

describe('campaignSummaryText()', () => {
  it('campaignSummaryText() says who, what and when in both languages', () => {
    const c = {
      sources: ['11.0.0.1', '12.0.0.1', '13.0.0.1'],
      services: ['23/TCP', '2323/TCP'],
      tools: ['mirai'],
      start: 1_717_372_800,
      end: 1_717_376_400.5,
      links: [
        { a: '11.0.0.1', b: '12.0.0.1', score: 3, reasons: [] },
        { a: '12.0.0.1', b: '13.0.0.1', score: 3, reasons: [] },
      ],
    };
    expect(campaignSummaryText(c, 'en')).toBe(
      '3 sources with mirai fingerprints probing 23/TCP 2323/TCP from 2024-06-03T00:00:00.000Z to 2024-06-03T01:00:00.000Z, joined by 2 link(s)',
    );
    expect(campaignSummaryText(c, 'ja')).toBe(
      '3 の発信元 (mirai の特徴)が 23/TCP 2323/TCP を探索 (2024-06-03T00:00:00.000Z – 2024-06-03T01:00:00.000Z、リンク 2 本)',
    );
    expect(campaignSummaryText({ ...c, services: [], tools: [] }, 'en')).toMatch(
      /^3 sources probing overlapping ports /,
    );
  });
});
