import { describe, expect, it } from 'vitest';
import { RuleSyntaxError } from './errors.js';
import { parseRuleText } from './load-rules.js';
import { parseRule } from './rule-parser.js';
import { Compare, FlagMode, PacketField, type ContentMatch, type SignatureRule } from './rule-types.js';
import { RuleVariables } from './variables.js';

const ORIGIN = { file: 'x.rules', line: 7 };

function rule(text: string, variables: Record<string, string> = {}): SignatureRule {
  const parsed = parseRule(text, ORIGIN, { variables: new RuleVariables(variables) });
  if (parsed.kind !== 'rule') throw new Error(`skipped: ${parsed.skipped.keyword}`);
  return parsed.rule;
}

function content(r: SignatureRule, k: number): ContentMatch {
  const m = r.payload[k];
  if (m?.kind !== 'content') throw new Error(`payload ${k} is not a content`);
  return m;
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

describe('parseRule()', () => {
  it('parseRule() reads msg with escaped semicolons and quotes, sid, rev, gid, classtype, priority, references and metadata', () => {
    const r = rule(
      'alert tcp any any -> any 80 (msg:"a\\; b \\"q\\" c\\\\"; reference:url,example.org/a;b; reference:cve,2002-0649; classtype:attempted-recon; priority:2; metadata:created_at 2010_07_30, tag Scan; gid:3; sid:1001; rev:4;)'.replace(
        'example.org/a;b',
        'example.org/a\\;b',
      ),
    );
    expect(r).toMatchObject({
      msg: 'a; b "q" c\\',
      sid: 1001,
      rev: 4,
      gid: 3,
      classtype: 'attempted-recon',
      priority: 2,
      references: ['url,example.org/a\\;b', 'cve,2002-0649'],
      metadata: ['created_at 2010_07_30', 'tag Scan'],
      origin: ORIGIN,
      protocol: 'tcp',
      bidirectional: false,
    });
  });

  it('parseRule() decodes hex runs, escapes, nocase and negation in content', () => {
    const r = rule(
      'alert udp any any -> any any (msg:"c"; content:"A|3b 3A|\\"B|00|"; nocase; content:! "x\\|y"; sid:1;)',
    );
    expect(text(content(r, 0).bytes)).toBe('a;:"b\u0000');
    expect(content(r, 0).nocase).toBe(true);
    expect(content(r, 1)).toMatchObject({ negated: true, nocase: false });
    expect(text(content(r, 1).bytes)).toBe('x|y');
  });

  it('parseRule() keeps content modifiers: offset/depth, distance/within, startswith, endswith, fast_pattern chunks', () => {
    const r = rule(
      'alert udp any any -> any any (msg:"m"; content:"ab"; offset:2; depth:4; content:"cd"; distance:-1; within:5; content:"ef"; startswith; content:"gh"; endswith; fast_pattern:1,1; sid:1;)',
    );
    expect(content(r, 0)).toMatchObject({ offset: 2, depth: 4, relative: false });
    expect(content(r, 1)).toMatchObject({ relative: true, distance: -1, within: 5 });
    expect(content(r, 2)).toMatchObject({ offset: 0, depth: 2, relative: false });
    expect(content(r, 3)).toMatchObject({ endsWith: true, fastPattern: true, fastChunk: [1, 1] });
  });

  it('parseRule() expands variables, lists, negations, ranges and CIDRs in the header', () => {
    const r = rule('alert tcp [$HOME_NET,!10.1.0.0/16] ![80,443] <> $EXTERNAL_NET [1024:,!8080] (msg:"h"; sid:1;)', {
      HOME_NET: '10.0.0.0/8',
      EXTERNAL_NET: '!$HOME_NET',
    });
    expect(r.bidirectional).toBe(true);
    expect(r.src?.has4(0x0a020304)).toBe(true); // 10.2.3.4
    expect(r.src?.has4(0x0a010304)).toBe(false); // 10.1.3.4
    expect(r.dst?.has4(0x0a020304)).toBe(false);
    expect(r.dst?.has4(0xc0000201)).toBe(true);
    expect(r.sport?.has(80)).toBe(false);
    expect(r.sport?.has(81)).toBe(true);
    expect(r.dport?.ranges).toEqual([
      [1024, 8079],
      [8081, 65535],
    ]);
  });

  it('parseRule() reads numeric and flag keywords into packet tests', () => {
    const r = rule(
      'alert tcp any any -> any any (msg:"t"; flags:+SA,CE; ttl:<5; id:54321; dsize:10<>20; window:!1024; seq:0; ack:!0; sid:1;)',
    );
    expect(r.tests).toEqual([
      { field: PacketField.TCP_FLAGS, op: FlagMode.ALL, a: 0x12, b: 0x3f },
      { field: PacketField.TTL, op: Compare.LT, a: 5, b: 0 },
      { field: PacketField.IP_ID, op: Compare.EQ, a: 54321, b: 0 },
      { field: PacketField.DSIZE, op: Compare.BETWEEN, a: 10, b: 20 },
      { field: PacketField.TCP_WINDOW, op: Compare.NE, a: 1024, b: 0 },
      { field: PacketField.TCP_SEQ, op: Compare.EQ, a: 0, b: 0 },
      { field: PacketField.TCP_ACK, op: Compare.NE, a: 0, b: 0 },
    ]);
    expect(rule('alert ip any any -> any any (msg:"p"; ip_proto:!tcp; sid:1;)').tests).toEqual([
      { field: PacketField.IP_PROTO, op: Compare.NE, a: 6, b: 0 },
    ]);
  });

  it('parseRule() reads threshold and detection_filter in any field order', () => {
    expect(
      rule('alert tcp any any -> any any (msg:"t"; threshold: seconds 60, count 5, type limit, track by_dst; sid:1;)')
        .threshold,
    ).toEqual({ type: 'limit', track: 'by_dst', count: 5, seconds: 60 });
    expect(
      rule('alert tcp any any -> any any (msg:"t"; detection_filter:track by_src, count 0, seconds 1; sid:1;)')
        .threshold,
    ).toEqual({ type: 'detection_filter', track: 'by_src', count: 0, seconds: 1 });
  });

  it('parseRule() accepts flow to_server and stateless, and skips established naming keyword and sid', () => {
    expect(rule('alert tcp any any -> any any (msg:"f"; flow:to_server, stateless; sid:1;)').notes).toEqual([]);
    const skipped = parseRule('alert tcp any any -> any any (msg:"est"; flow:established,to_server; sid:77;)', ORIGIN, {
      variables: new RuleVariables(),
    });
    expect(skipped).toEqual({
      kind: 'skipped',
      skipped: {
        file: 'x.rules',
        line: 7,
        sid: 77,
        msg: 'est',
        keyword: 'flow:established',
        reason: 'a stateless darknet sensor sees no established connections',
      },
    });
    const assumed = parseRule('alert tcp any any -> any any (msg:"est"; flow:established,to_server; sid:77;)', ORIGIN, {
      variables: new RuleVariables(),
      assumeEstablished: true,
    });
    expect(assumed.kind === 'rule' && assumed.rule.notes[0]).toMatch(/established assumed/);
  });

  it('parseRule() skips rules with sticky buffers, flowbits, app-layer protocols and unknown keywords', () => {
    const keyword = (t: string): string => {
      const p = parseRule(t, ORIGIN, { variables: new RuleVariables() });
      return p.kind === 'skipped' ? p.skipped.keyword : 'loaded';
    };
    expect(keyword('alert tcp any any -> any any (msg:"u"; content:"a"; http.uri; sid:1;)')).toBe('http.uri');
    expect(keyword('alert tcp any any -> any any (msg:"u"; content:"a"; http_uri; sid:1;)')).toBe('http_uri');
    expect(keyword('alert tcp any any -> any any (msg:"u"; flowbits:set,x; sid:1;)')).toBe('flowbits');
    expect(keyword('alert http any any -> any any (msg:"u"; sid:1;)')).toBe('protocol http');
    expect(keyword('alert tcp any any -> any any (msg:"u"; frobnicate:3; sid:1;)')).toBe('frobnicate');
    expect(keyword('pass tcp any any -> any any (msg:"u"; sid:1;)')).toBe('action pass');
    expect(keyword('alert udp any any -> any any (msg:"u"; pcre:"/a/U"; sid:1;)')).toBe('pcre /U');
  });

  it('parseRuleText() reports syntax errors with file and line and carries on', () => {
    const load = parseRuleText(
      [
        '# comment',
        'alert tcp any any -> any any (msg:"ok"; sid:1;)',
        '',
        'alert tcp any any -> any any (msg:"no sid";)',
        'alert tcp any any -> any any (msg:"bad hex"; content:"|4G|"; sid:3;)',
        'alert tcp any any -> any any (msg:"unterminated; sid:4;)',
        'alert tcp any any -> any any (msg:"dup"; sid:1;)',
        'alert tcp any any -> $NOPE any (msg:"var"; sid:6;)',
        'alert tcp any any -> any any (msg:"continued"; \\',
        '  content:"x"; sid:7;)',
      ].join('\n'),
      'fixture.rules',
    );
    expect(load.rules.map((r) => [r.sid, r.origin.line])).toEqual([
      [1, 2],
      [7, 9],
    ]);
    expect(load.errors.every((e) => e instanceof RuleSyntaxError && e.file === 'fixture.rules')).toBe(true);
    expect(load.errors.map((e) => [e.line, e.message.replace(/^fixture\.rules:\d+: /, '')])).toEqual([
      [4, 'Rule has no sid'],
      [5, "content has bad hex '4G' at character 2 (sid 3)"],
      [6, 'Cannot parse rule options: unterminated quoted string'],
      [7, 'Duplicate sid 1 (first at fixture.rules:2)'],
      [8, 'Variable $NOPE is not defined (sid 6)'],
    ]);
  });

  it('parseRule() rejects contradictory modifiers as Suricata does', () => {
    const error = (t: string): string => {
      try {
        rule(t);
        return 'parsed';
      } catch (caught: unknown) {
        return caught instanceof RuleSyntaxError ? caught.message : String(caught);
      }
    };
    expect(error('alert udp any any -> any any (msg:"m"; content:"abc"; depth:2; sid:1;)')).toMatch(
      /depth 2 is shorter than the content/,
    );
    expect(error('alert udp any any -> any any (msg:"m"; content:"a"; distance:1; offset:2; sid:1;)')).toMatch(
      /cannot be mixed/,
    );
    expect(error('alert udp any any -> any any (msg:"m"; nocase; sid:1;)')).toMatch(/needs a preceding content/);
    expect(error('alert icmp any 80 -> any any (msg:"m"; sid:1;)')).toMatch(/Ports are given for protocol icmp/);
    expect(
      error('alert udp any any -> any any (msg:"m"; threshold:type limit, track by_src, count 1; sid:1;)'),
    ).toMatch(/seconds/);
  });
});
