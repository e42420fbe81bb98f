import { describe, expect, it } from 'vitest';
import { PayloadMatcher, SEARCH_BUDGET } from './payload-match.js';
import { parseRule } from './rule-parser.js';
import type { PayloadMatch } from './rule-types.js';
import { RuleVariables } from './variables.js';

function payloadOf(options: string): readonly PayloadMatch[] {
  const parsed = parseRule(
    `alert udp any any -> any any (msg:"t"; ${options} sid:1;)`,
    { file: 't', line: 1 },
    { variables: new RuleVariables() },
  );
  if (parsed.kind !== 'rule') throw new Error(parsed.skipped.keyword);
  return parsed.rule.payload;
}

/** Matches `options` against `text` placed at offset 3 of a larger buffer (payloads never start at 0). */
function matches(options: string, text: string | number[]): boolean {
  const body = typeof text === 'string' ? Buffer.from(text, 'latin1') : Buffer.from(text);
  const data = new Uint8Array(body.length + 6);
  data.fill(0x5a);
  data.set(body, 3);
  const matcher = new PayloadMatcher();
  matcher.setPayload(data, 3, body.length);
  return matcher.matches(payloadOf(options));
}

describe('PayloadMatcher', () => {
  it('matches() counts within from the previous match plus distance, as Suricata does', () => {
    expect(matches('content:"AB"; content:"CD"; distance:2; within:2;', 'AB..CD')).toBe(true);
    expect(matches('content:"AB"; content:"CD"; distance:2; within:2;', 'AB...CD')).toBe(false);
    expect(matches('content:"AB"; content:"CD"; distance:-4; within:2;', 'CDAB')).toBe(true);
    expect(matches('content:"AB"; content:"CD"; within:2;', 'ABxCD')).toBe(false);
    expect(matches('content:"AB"; content:"CD"; within:3;', 'ABxCD')).toBe(true);
  });

  it('matches() never looks outside the payload', () => {
    expect(matches('content:"ZZ";', 'abc')).toBe(false); // the buffer around holds Z bytes
    expect(matches('content:"c"; isdataat:1,relative;', 'abc')).toBe(false);
    expect(matches('content:"b"; isdataat:1,relative;', 'abc')).toBe(true);
    expect(matches('isdataat:!3;', 'abc')).toBe(true);
    expect(matches('isdataat:2;', 'abc')).toBe(true);
  });

  it('matches() applies negated relative content and pcre at the cursor', () => {
    expect(matches('content:"id="; content:!"0"; within:1;', 'id=1')).toBe(true);
    expect(matches('content:"id="; content:!"0"; within:1;', 'id=0')).toBe(false);
    expect(matches('content:"id="; pcre:!"/^\\d/R";', 'id=x')).toBe(true);
    expect(matches('content:"id="; pcre:!"/^\\d/R";', 'id=7')).toBe(false);
    expect(matches('content:"a"; pcre:"/^b/R"; content:"c"; within:1;', 'abxabc')).toBe(true);
  });

  it('matches() reads byte_test and byte_jump with endianness, strings, bitmask, align and offsets', () => {
    expect(matches('byte_test:2,=,0x0102,0,little;', [0x02, 0x01])).toBe(true);
    expect(matches('byte_test:1,&,0x80,0;', [0x81])).toBe(true);
    expect(matches('byte_test:1,!&,0x80,0;', [0x01])).toBe(true);
    expect(matches('byte_test:1,=,3,0,bitmask 0x30;', [0x35])).toBe(true);
    expect(matches('byte_test:4,>,99,0,string,hex;', ' 7f!')).toBe(true);
    expect(matches('byte_jump:1,0,align; content:"X"; within:1;', [0x01, 0, 0, 0, 0, 0x58])).toBe(true);
    expect(matches('byte_jump:1,0,from_beginning,post_offset 1; content:"X"; within:1;', [0x02, 0, 0, 0x58])).toBe(
      true,
    );
    expect(matches('byte_jump:1,0; content:"X"; within:1;', [0x09, 0x58])).toBe(false); // jumps past the end
  });

  it('matches() gives up after its search budget instead of exploring every combination', () => {
    const text = 'a'.repeat(SEARCH_BUDGET);
    expect(matches('content:"a"; content:"a"; distance:0; content:"b"; distance:0;', text)).toBe(false);
    expect(matches('content:"a"; content:"b"; distance:0;', `${'a'.repeat(50)}b`)).toBe(true);
  });
});
