import { describe, expect, it } from 'vitest';
import { ReportDocumentError } from './errors.js';
import { renderHtml } from './html.js';
import { sampleDocument } from './test-kit.js';

function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table class="data" id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => cell[1] ?? ''),
  );
}

describe('renderHtml()', () => {
  const html = renderHtml(sampleDocument('ja'));

  it('renderHtml() writes a self-contained document with a CSP and no scripts', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="ja">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|src=/i);
    expect(html).not.toMatch(/url\((?!#)/);
    expect(html).toContain('@page { size: A4;');
  });

  it('renderHtml() prints table 2-1 with the seven columns and the seed values', () => {
    const rows = tableRows(html, 't2-1');
    expect(rows[0]).toEqual([
      '今期順位',
      '前期順位',
      'ポート',
      '今期件数(一日・1IP当たり)',
      '前期比',
      '増加順位',
      '減少順位',
    ]);
    expect(rows[1]).toEqual(['1位', '1位', '445/TCP', '148.32 件', '-15.3% (-26.73 件)', '', '1位']);
    expect(rows[2]).toEqual(['2位', '8位', '11/ICMP', '22.73 件', '+37,783.3% (+22.67 件)', '1位', '']);
    expect(rows.map((r) => r[2])).toEqual([
      'ポート',
      '445/TCP',
      '11/ICMP',
      '1433/TCP',
      '135/TCP',
      '8/ICMP',
      '139/TCP',
      '9415/TCP',
      '23/TCP',
    ]);
    expect(html).toContain('<caption>表2-1 宛先ポート別検知件数</caption>');
  });

  it('renderHtml() prints sentences from the cells they cite', () => {
    expect(html).toContain('一日・1IP 当たり <span class="value" data-source="t1-1">533.7 件</span>');
    expect(html).toContain('<span class="value" data-source="t1-1">101.4 件 (23.4%) 増加</span>した');
    expect(html).toContain('(<a class="xref" href="#t1-1">表1-1</a>)');
    expect(html).toContain(
      '<li>445/TCP へのアクセスは <span class="value" data-source="t2-1">26.7 件 (15.3%) 減少</span></li>',
    );
  });

  it('renderHtml() inlines every chart as SVG in a captioned figure', () => {
    const figures = [
      ...html.matchAll(
        /<figure class="chart chart-([a-z-]+)(?: half)?" id="([^"]+)">\n<svg [^>]*width="(\d+)" height="(\d+)"/g,
      ),
    ];
    expect(figures.map((f) => [f[2], f[1]])).toEqual([
      ['f2-1', 'pie'],
      ['f2-2', 'hbar'],
      ['f2-5', 'line'],
      ['f2-12', 'stacked-bar'],
      ['f1-1', 'bar'],
    ]);
    expect(html).toContain('<figcaption>図2-1 世界の宛先ポート比率</figcaption>');
    expect(html).toContain('<figure class="chart chart-pie half" id="f2-1">');
  });

  it('renderHtml() numbers headings by depth and prints the header and source details', () => {
    expect(html).toContain('<h2><span class="number">1</span>第1四半期における状況</h2>');
    expect(html).toContain('<h3><span class="number">2-1</span>宛先ポート別</h3>');
    expect(html).toContain('<p class="issued">2010年7月30日</p>');
    expect(html).toContain('<p class="subtitle">(平成22年度第1四半期)</p>');
    expect(html).toContain('<dt>集計元</dt><dd>duckdb: sample.duckdb (センサー 10 台)</dd>');
    expect(html).not.toContain('作成日時');
  });

  it('renderHtml() gives byte-identical output for the same document, in both languages', () => {
    expect(renderHtml(sampleDocument('ja'))).toBe(html);
    const en = renderHtml(sampleDocument('en'));
    expect(renderHtml(sampleDocument('en'))).toBe(en);
    expect(en).toContain('<caption>Table 2-1: Accesses by destination port</caption>');
    expect(en).toContain('which <span class="value" data-source="t1-1">increased by 101.4 (23.4 %)</span> on');
  });

  it('renderHtml() refuses a document whose sentence cites a missing cell', () => {
    const doc = sampleDocument('ja');
    doc.headlines.push([{ kind: 'value', ref: { table: 't2-1', row: '3389/TCP', column: 'current' } }]);
    expect(() => renderHtml(doc)).toThrow(ReportDocumentError);
    expect(() => renderHtml(doc)).toThrow(
      'Invalid report document at headlines[2][0]: table t2-1 has no row "3389/TCP"',
    );
  });
});
