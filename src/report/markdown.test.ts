import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';
import { sampleDates, sampleDocument } from './test-kit.js';

function pipeTableAfter(md: string, caption: string): string[][] {
  const start = md.indexOf(`**${caption}**`);
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = md.slice(start).split('\n').slice(2);
  const rows: string[][] = [];
  for (const line of lines) {
    if (!line.startsWith('|')) break;
    rows.push(line.slice(2, -2).split(' | '));
  }
  return rows;
}

describe('renderMarkdown()', () => {
  const md = renderMarkdown(sampleDocument('ja'));

  it('renderMarkdown() writes the title, headlines and numbered headings', () => {
    expect(md.startsWith('2010年7月30日\n\n# インターネット観測結果等\n\n(平成22年度第1四半期)\n\n- **53/UDP')).toBe(
      true,
    );
    expect(md).toContain('\n## 1 第1四半期における状況\n');
    expect(md).toContain('\n### 2-1 宛先ポート別\n');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('renderMarkdown() writes table 2-1 as a pipe table with the seven columns', () => {
    const rows = pipeTableAfter(md, '表2-1 宛先ポート別検知件数');
    expect(rows[0]).toEqual([
      '今期順位',
      '前期順位',
      'ポート',
      '今期件数(一日・1IP当たり)',
      '前期比',
      '増加順位',
      '減少順位',
    ]);
    expect(rows[1]).toEqual(['---', '---', '---', '---:', '---:', '---', '---']);
    expect(rows[2]).toEqual(['1位', '1位', '445/TCP', '148.32 件', '-15.3% (-26.73 件)', '', '1位']);
    expect(rows).toHaveLength(10);
  });

  it('renderMarkdown() prints sentences from the cells they cite', () => {
    expect(md).toContain('一日・1IP 当たり 533.7 件で、前期と比較して 101.4 件 (23.4%) 増加した。(表1-1)');
  });

  it('renderMarkdown() writes each chart as its caption and data table', () => {
    const pie = pipeTableAfter(md, '図2-1 世界の宛先ポート比率');
    expect(pie[0]).toEqual(['項目', '値', '比率']);
    expect(pie[2]).toEqual(['445/TCP', '148.32', '28.3%']);
    const daily = pipeTableAfter(md, '図2-12 日本からのアクセスの推移');
    expect(daily[0]).toEqual(['', '445/TCP', '11/ICMP', 'その他']);
    expect(daily).toHaveLength(2 + sampleDates().length);
    expect(daily[2]?.[0]).toBe('2010-04-01');
    const months = pipeTableAfter(md, '図1.1 1観測点での1日あたりのアクセス数および発信元数');
    expect(months[2]).toEqual(['2010年1月', '913.00', '277.00']);
  });

  it('renderMarkdown() is deterministic', () => {
    expect(renderMarkdown(sampleDocument('ja'))).toBe(md);
    expect(renderMarkdown(sampleDocument('en'))).toContain(
      '| Rank | Previous rank | Port | Count (per day per address) | Change | Rise rank | Fall rank |',
    );
  });
});
