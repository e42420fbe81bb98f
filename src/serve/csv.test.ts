import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('toCsv()', () => {
  it('toCsv() quotes what needs quoting, defuses formula-looking text and leaves numbers and nulls plain', () => {
    const rows = [
      { name: 'plain', n: 1.5 },
      { name: 'a,"b"', n: -2 },
      { name: '=HYPERLINK("http://x")', n: null },
      { name: '-1+1', n: 0 },
      { name: 'line\nbreak', n: 3 },
    ];
    const csv = toCsv({
      columns: [
        { header: 'name', value: (r) => r.name },
        { header: 'n', value: (r) => r.n },
      ],
      rows,
    });
    expect(csv.split('\r\n')).toEqual([
      'name,n',
      'plain,1.5',
      '"a,""b""",-2',
      `"'=HYPERLINK(""http://x"")",`,
      "'-1+1,0",
      '"line\nbreak",3',
      '',
    ]);
  });
});
