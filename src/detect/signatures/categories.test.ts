import { describe, expect, it } from 'vitest';
import { CategoryMap } from './categories.js';
import { CategoryMapError } from './errors.js';
import { DEFAULT_CATEGORIES_PATH } from './load-rules.js';

const ruleOf = (sid: number, msg = '', classtype: string | null = null) => ({ sid, msg, classtype });

describe('CategoryMap', () => {
  it('decide() prefers sid, then the longest msg prefix, then classtype, then the default', () => {
    const map = CategoryMap.parse(
      [
        'default = DNS',
        'classtype network-scan = Scan',
        'msg-prefix "ET" = Others',
        'msg-prefix "ET P2P" = Scan(P2P)',
        'sid 100-200 = Worm',
        'sid 150 = UDP spam',
      ].join('\n'),
      'm.map',
    );
    expect(map.decide(ruleOf(150, 'ET P2P x', 'network-scan'))).toEqual({ category: 'UDP spam', reason: 'sid 150' });
    expect(map.decide(ruleOf(120, 'ET P2P x'))).toEqual({ category: 'Worm', reason: 'sid 100-200' });
    expect(map.decide(ruleOf(1, 'ET P2P x', 'network-scan'))).toEqual({
      category: 'Scan(P2P)',
      reason: 'msg-prefix "ET P2P"',
    });
    expect(map.decide(ruleOf(1, 'ET SCAN', 'network-scan'))).toEqual({ category: 'Others', reason: 'msg-prefix "ET"' });
    expect(map.decide(ruleOf(1, 'x', 'network-scan'))).toEqual({ category: 'Scan', reason: 'classtype network-scan' });
    expect(map.decide(ruleOf(1, 'x'))).toEqual({ category: 'DNS', reason: 'default' });
  });

  it('add() lets a later file override the default mapping entry by entry', async () => {
    const map = await CategoryMap.load([DEFAULT_CATEGORIES_PATH]);
    expect(map.decide(ruleOf(9000001)).category).toBe('Worm');
    expect(map.decide(ruleOf(2008581, 'ET P2P BitTorrent DHT ping request', 'policy-violation')).category).toBe(
      'Scan(P2P)',
    );
    map.add('sid 9000001 = Others\nclasstype policy-violation = DoS', 'user.map');
    expect(map.decide(ruleOf(9000001)).category).toBe('Others');
    expect(map.decide(ruleOf(9000002)).category).toBe('Worm');
    expect(map.decide(ruleOf(1, 'x', 'policy-violation')).category).toBe('DoS');
  });

  it('parse() names the file and line of a bad entry or unknown category', () => {
    expect(() => CategoryMap.parse('\n\nsid 5 = Spam', 'bad.map')).toThrow(
      new CategoryMapError("Category 'Spam' is not one of Worm, Scan, Scan(P2P), UDP spam, DoS, DNS, Others", {
        file: 'bad.map',
        line: 3,
      }),
    );
    expect(() => CategoryMap.parse('classtype = Scan', 'bad.map')).toThrow(/bad\.map:1: Cannot read category entry/);
    expect(() => CategoryMap.parse('sid 9-3 = Scan', 'bad.map')).toThrow(/runs backwards/);
  });
});
