import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { hostileDocument } from './test-kit.js';

/** Names of the attributes of every tag, read with HTML's quoting rules (values are double-quoted). */
function attributeNames(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const attr of (tag[2] ?? '').matchAll(/\s+([^\s=/>]+)(?:="[^"]*")?/g))
      names.push((attr[1] ?? '').toLowerCase());
  }
  return names;
}

/** Markdown with its code spans removed (their content is literal text, never markup). */
function withoutCodeSpans(md: string): string {
  return md.replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, '');
}

describe('escaping of attacker-controlled strings', () => {
  const html = renderHtml(hostileDocument('ja'));
  const md = renderMarkdown(hostileDocument('en'));

  it('renderHtml() leaves no live markup from planted strings', () => {
    expect(html).not.toMatch(/<script|<img|<svg onload|<a href="http:\/\/evil|<a href="javascript/i);
    const attributes = attributeNames(html);
    expect(attributes.length).toBeGreaterThan(100);
    expect(attributes.filter((name) => name.startsWith('on') || name === 'src')).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('&amp;lt;script&amp;gt;');
    expect(html).toContain('evil\ufffdgnp.exe');
    expect(html).not.toContain('\u202E');
  });

  it('renderHtml() keeps the planted table cells inside their cells', () => {
    const table = /<table class="data" id="hostile-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
    const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)];
    expect(rows).toHaveLength(13);
    for (const row of rows) expect([...(row[1] ?? '').matchAll(/<t[hd][ >]/g)]).toHaveLength(3);
    expect(table).toContain(
      '<td class="k-code"><code>&lt;/code&gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(5)&lt;/script&gt;</code></td>',
    );
  });

  it('renderHtml() links only http(s) targets and prints other targets as text', () => {
    const links = [...html.matchAll(/<a class="link" href="([^"]*)"/g)].map((m) => m[1]);
    expect(links).toEqual(['https://www.npa.go.jp/cyberpolice/']);
    expect(html).toContain('(javascript:alert(6))');
  });

  it('renderHtml() escapes planted strings in chart labels and captions', () => {
    const figure = /<figure class="chart chart-bar" id="hostile-chart">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    expect(figure).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(figure).not.toMatch(/<script|<img/);
    expect(figure).toMatch(/<figcaption>図9-1 &lt;script&gt;/);
  });

  it('renderMarkdown() leaves no raw HTML, links or images from planted strings', () => {
    const withoutOwnLinks = withoutCodeSpans(md).replace(/\]\(<https:\/\/www\.npa\.go\.jp\/cyberpolice\/>\)/g, '');
    expect(withoutOwnLinks).not.toContain('<');
    expect(withoutOwnLinks).not.toContain('`');
    expect(withoutOwnLinks).not.toMatch(/(?<!\\)\[(?:click|img)\\?\]\(/);
    expect(withoutOwnLinks).not.toMatch(/(?<!\\)\]\((?:javascript|http:\/\/evil)/);
    expect(md).not.toContain('\u202E');
    expect(md).not.toMatch(/^# heading/m);
    expect(md).not.toMatch(/^- item/m);
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('\\[click\\](javascript:alert(4))');
  });

  it('renderMarkdown() keeps the planted table cells inside their cells', () => {
    const start = md.indexOf('| &lt;script&gt;alert(1)&lt;/script&gt; |');
    const lines = md
      .slice(start)
      .split('\n')
      .filter((l, i, a) => l.startsWith('|') && a.slice(0, i).every((p) => p.startsWith('|')));
    expect(lines).toHaveLength(14);
    for (const line of lines) expect(line.split(/(?<!\\)\|/)).toHaveLength(5);
    expect(md).toContain('| `` `code` **bold** _em_ `` |');
  });
});
