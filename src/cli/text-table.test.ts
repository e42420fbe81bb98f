import { describe, expect, it } from 'vitest';
import { displayWidth, renderTable } from './text-table.js';

describe('text-table', () => {
  it('displayWidth() counts CJK characters as two columns', () => {
    expect(displayWidth('445/TCP')).toBe(7);
    expect(displayWidth('中国')).toBe(4);
    expect(displayWidth('ロシア')).toBe(6);
    // Hangul, fullwidth forms and a CJK Extension B ideograph (outside the BMP) are wide too.
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('𠮷')).toBe(2);
    // Halfwidth katakana is narrow.
    expect(displayWidth('ｱｲ')).toBe(2);
  });

  it('renderTable() aligns mixed-width cells left and right', () => {
    const text = renderTable(
      [
        { header: 'Country', align: 'left' },
        { header: 'Value', align: 'right' },
      ],
      [
        ['中国', '92.14'],
        ['US', '148.32'],
      ],
    );
    expect(text.split('\n')).toEqual(['Country   Value', '-------  ------', '中国      92.14', 'US       148.32']);
  });
});
