import { describe, expect, it } from 'vitest';
import { cleanText, escapeHtml, escapeMarkdown, markdownCode, safeHref } from './escape.js';

describe('escapeHtml()', () => {
  it('escapeHtml() escapes markup and both quote kinds', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;',
    );
    expect(escapeHtml('"><img src=x onerror=alert(1)>')).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('cleanText() replaces controls and bidi overrides, and joins lines', () => {
    expect(cleanText('a\u0000b\u001bc\u007f')).toBe('a\ufffdb\ufffdc\ufffd');
    expect(cleanText('evil\u202Emoc.elgoog')).toBe('evil\ufffdmoc.elgoog');
    expect(cleanText('line1\r\nline2\nline3\u2028x')).toBe('line1 line2 line3 x');
    expect(cleanText('tab\tkept')).toBe('tab\tkept');
  });
});

describe('escapeMarkdown()', () => {
  it('escapeMarkdown() neutralises links, images, emphasis, code, HTML and pipes', () => {
    expect(escapeMarkdown('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
    expect(escapeMarkdown('![x](http://evil/x.png)')).toBe('!\\[x\\](http://evil/x.png)');
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeMarkdown('a|b *c* _d_ `e` ~~f~~ \\g')).toBe('a\\|b \\*c\\* \\_d\\_ \\`e\\` \\~\\~f\\~\\~ \\\\g');
    expect(escapeMarkdown('&lt;')).toBe('&amp;lt;');
  });

  it('escapeMarkdown() escapes block markers at the start of a line only', () => {
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('> quote')).toBe('&gt; quote');
    expect(escapeMarkdown('1. first')).toBe('1\\. first');
    expect(escapeMarkdown('---')).toBe('\\---');
    expect(escapeMarkdown('- - -')).toBe('\\- - -');
    expect(escapeMarkdown('=====')).toBe('\\=====');
    expect(escapeMarkdown('445/TCP (23.4%) 2-1')).toBe('445/TCP (23.4%) 2-1');
    expect(escapeMarkdown('-15.3% (-26.73 件)')).toBe('-15.3% (-26.73 件)');
    expect(escapeMarkdown('533.7 件')).toBe('533.7 件');
    expect(escapeMarkdown('#hashtag')).toBe('#hashtag');
  });

  it('markdownCode() fences with more backticks than the text holds and escapes pipes in tables', () => {
    expect(markdownCode('GET /', false)).toBe('`GET /`');
    expect(markdownCode('a``b', false)).toBe('```a``b```');
    expect(markdownCode('`x', false)).toBe('`` `x ``');
    expect(markdownCode('a|b', true)).toBe('`a\\|b`');
    expect(markdownCode('a\nb', false)).toBe('`a b`');
  });
});

describe('safeHref()', () => {
  it('safeHref() accepts plain http(s) URLs only', () => {
    expect(safeHref('https://www.npa.go.jp/cyberpolice/')).toBe('https://www.npa.go.jp/cyberpolice/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>')).toBeNull();
    expect(safeHref('http://x/"onmouseover="alert(1)')).toBeNull();
    expect(safeHref('http://x/\u202Egpj.exe')).toBeNull();
    expect(safeHref('//evil.example/')).toBeNull();
  });
});
