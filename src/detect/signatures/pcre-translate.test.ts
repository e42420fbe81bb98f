import { describe, expect, it } from 'vitest';
import { UnsupportedRuleError } from './errors.js';
import { parsePcre } from './pcre-translate.js';

const latin1 = (bytes: number[]): string => Buffer.from(bytes).toString('latin1');
const test = (pcre: string, text: string): boolean => {
  const { regex } = parsePcre(pcre);
  regex.lastIndex = 0;
  return regex.exec(text) !== null;
};
const refusal = (pcre: string): string => {
  try {
    parsePcre(pcre);
    return 'translated';
  } catch (error: unknown) {
    return error instanceof UnsupportedRuleError ? `${error.keyword}: ${error.reason}` : String(error);
  }
};

describe('parsePcre()', () => {
  it('parsePcre() reads negation, relative and anchored flags', () => {
    expect(parsePcre('!"/abc/R"')).toMatchObject({ negated: true, relative: true });
    expect(parsePcre('"/abc/A"').regex.sticky).toBe(true);
    expect(parsePcre('"/a\\;b\\"c/"').regex.source).toBe('a\\;b\\"c');
  });

  it('parsePcre() keeps PCRE meanings that JavaScript spells differently', () => {
    expect(test('"/^a.b$/"', 'a\rb')).toBe(true); // . excludes only \n
    expect(test('"/^a.b$/"', 'a\nb')).toBe(false);
    expect(test('"/^a.b$/s"', 'a\nb')).toBe(true);
    expect(test('"/ab$/"', 'ab\n')).toBe(true); // $ before a final newline
    expect(test('"/ab$/E"', 'ab\n')).toBe(false);
    expect(test('"/^b/m"', 'a\nb')).toBe(true);
    expect(test('"/^b/m"', 'a\rb')).toBe(false); // PCRE lines end at \n only
    expect(test('"/a\\sb/"', latin1([0x61, 0xa0, 0x62]))).toBe(false); // \s is ASCII only
    expect(test('"/a\\sb/"', 'a\u000bb')).toBe(true);
    expect(test('"/\\Aab\\z/"', 'ab')).toBe(true);
    expect(test('"/ab\\Z/"', 'ab\n')).toBe(true);
    expect(test('"/[]a]+/"', ']a]')).toBe(true);
    expect(test('"/[[:digit:][:upper:]]{3}/"', 'x1A2')).toBe(true);
    expect(test('"/(?P<n>ab)(?P=n)/"', 'abab')).toBe(true);
    expect(test('"/(?i)ABC/"', 'abc')).toBe(true);
    expect(test('"/a b # comment\n c/x"', 'abc')).toBe(true);
    expect(test('"/^\\x41\\x{42}\\e\\012$/"', 'AB\u001b\n')).toBe(true);
  });

  it('parsePcre() matches latin1 bytes by \\x escapes, case-insensitively for ASCII', () => {
    expect(test('"/\\xe9t\\xe9/"', latin1([0xe9, 0x74, 0xe9]))).toBe(true);
    expect(test('"/GET \\/x/i"', 'get /X')).toBe(true);
  });

  it('parsePcre() refuses what it cannot translate exactly, naming pcre', () => {
    expect(refusal('"/a++/"')).toMatch(/^pcre: a possessive quantifier/);
    expect(refusal('"/(?>a)/"')).toMatch(/^pcre: the group/);
    expect(refusal('"/a(?i)b/"')).toMatch(/^pcre: the group/);
    expect(refusal('"/\\Qa\\E/"')).toMatch(/escape \\Q/);
    expect(refusal('"/\\xe9/i"')).toMatch(/non-ASCII letter/);
    expect(refusal('"/[\\S]/"')).toMatch(/\\S inside a class/);
    expect(refusal('"/\\101/"')).toMatch(/back reference/);
    expect(refusal('"/a/G"')).toMatch(/^pcre \/G: ungreedy/);
    expect(refusal('"/a/H"')).toMatch(/^pcre \/H: selects an HTTP/);
  });
});
