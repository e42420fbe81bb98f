import { describe, expect, it } from 'vitest';
import { ruleLines, splitCommas, splitOptions, splitRule, unquote } from './rule-text.js';
import { RuleVariables, parseVariableAssignment } from './variables.js';

describe('rule text', () => {
  it('ruleLines() skips comments and blank lines and joins continued lines', () => {
    expect(ruleLines('# c\n\nalert a \\\n  b\r\n#alert disabled\nalert c\n')).toEqual([
      { line: 3, text: 'alert a b' },
      { line: 6, text: 'alert c' },
    ]);
  });

  it('splitOptions() keeps quoted and escaped semicolons inside values', () => {
    expect(splitOptions('msg:"a;b"; content:"x\\;y"; nocase; pcre:"/;/";')).toEqual([
      { keyword: 'msg', value: '"a;b"' },
      { keyword: 'content', value: '"x\\;y"' },
      { keyword: 'nocase', value: null },
      { keyword: 'pcre', value: '"/;/"' },
    ]);
    expect(() => splitOptions('msg:"a; sid:1;')).toThrow(/unterminated quoted string/);
    expect(() => splitOptions('msg:"a"; sid:1')).toThrow(/is not ended with ;/);
  });

  it('splitRule() separates the header from the options', () => {
    expect(splitRule('alert ip any any -> any any (sid:1;)')).toEqual({
      header: 'alert ip any any -> any any',
      options: [{ keyword: 'sid', value: '1' }],
    });
    expect(() => splitRule('alert ip any any -> any any sid:1;')).toThrow(/no option list/);
    expect(() => splitRule('alert ip any any -> any any (sid:1;) x')).toThrow(/not closed/);
  });

  it('unquote() and splitCommas() handle escapes and quoted commas', () => {
    expect(unquote('"a\\"b\\\\"', 'msg')).toBe('a"b\\');
    expect(splitCommas('type both, track by_src ,count 5')).toEqual(['type both', 'track by_src', 'count 5']);
    expect(splitCommas('"a,b",c')).toEqual(['"a,b"', 'c']);
  });

  it('RuleVariables expands nested variables and brackets list values for negation', () => {
    const vars = new RuleVariables({ HOME_NET: '10.0.0.0/8,192.0.2.0/24', $EXTERNAL_NET: '!$HOME_NET' });
    expect(vars.expand('$EXTERNAL_NET')).toBe('![10.0.0.0/8,192.0.2.0/24]');
    expect(vars.expand('[$HTTP_PORTS,8080]')).toBe('[80,8080]');
    expect(() => vars.expand('$MISSING')).toThrow(/\$MISSING is not defined/);
    expect(() => new RuleVariables({ 'BAD NAME': '1' })).toThrow(RangeError);
    expect(parseVariableAssignment('HOME_NET=[192.0.2.0/24]')).toEqual(['HOME_NET', '[192.0.2.0/24]']);
  });
});
