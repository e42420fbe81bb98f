import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../decode/batch.js';
import { SignatureAlerts } from './alerts.js';
import { CategoryMap } from './categories.js';
import { alertPairs, craftBatch, engineFor, icmp, sidsPerPacket, tcp, udp } from './testdata/craft-batch.js';

const SYN = TcpFlag.SYN;
const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

describe('SignatureEngine', () => {
  it('match() alerts every rule a packet matches, in rule order, and only those', () => {
    const engine = engineFor(`
alert udp any any -> any 53 (msg:"b"; content:"abc"; sid:2;)
alert udp any any -> any any (msg:"a"; content:"abc"; sid:1;)
alert udp any any -> any 54 (msg:"c"; content:"abc"; sid:3;)
`);
    const batch = craftBatch([udp(53, 'xxabcxx'), udp(54, 'abc'), udp(53, 'ab c')]);
    expect(sidsPerPacket(engine, batch)).toEqual([[2, 1], [1, 3], []]);
  });

  it('match() dispatches by source port group as well as destination port', () => {
    const engine = engineFor(
      'alert udp any 53 -> any any (msg:"from 53"; content:"|00 01|"; sid:1;)\nalert tcp any any -> any any (msg:"t"; flags:S; sid:2;)',
    );
    const batch = craftBatch([
      udp(9999, Uint8Array.of(0, 1), { srcPort: 53 }),
      udp(53, Uint8Array.of(0, 1)),
      tcp(80, SYN),
    ]);
    expect(sidsPerPacket(engine, batch)).toEqual([[1], [], [2]]);
  });

  it('match() checks addresses, negations and bidirectional rules', () => {
    const engine = engineFor(`
alert tcp 198.51.100.0/24 any -> !192.0.2.10 any (msg:"x"; flags:S; sid:1;)
alert tcp 192.0.2.10 80 <> 198.51.100.7 any (msg:"bi"; sid:2;)
`);
    const batch = craftBatch([
      tcp(80, SYN, { dst: '192.0.2.11' }),
      tcp(80, SYN, { dst: '192.0.2.10' }),
      tcp(80, SYN, { src: '203.0.113.1', dst: '192.0.2.11' }),
      tcp(4000, TcpFlag.ACK, { src: '192.0.2.10', srcPort: 80, dst: '198.51.100.7' }),
    ]);
    expect(sidsPerPacket(engine, batch)).toEqual([[1], [2], [], [2]]);
  });

  it('match() follows distance/within and retries an earlier content at its next occurrence', () => {
    const engine = engineFor(
      'alert udp any any -> any any (msg:"rel"; content:"A"; content:"B"; distance:1; within:1; sid:1;)',
    );
    // The first A is followed by "AB", so only the second A (followed by "xB") satisfies distance 1, within 1.
    const batch = craftBatch([udp(1, 'AABxB'), udp(1, 'AAB'), udp(1, 'AxB')]);
    expect(sidsPerPacket(engine, batch)).toEqual([[1], [1], [1]]);
    const strict = engineFor(
      'alert udp any any -> any any (msg:"rel"; content:"A"; content:"B"; distance:2; within:1; sid:1;)',
    );
    expect(sidsPerPacket(strict, craftBatch([udp(1, 'AxxB'), udp(1, 'AxB'), udp(1, 'AB')]))).toEqual([[1], [], []]);
  });

  it('match() honours offset, depth, nocase, negated content and endswith', () => {
    const engine = engineFor(`
alert udp any any -> any any (msg:"od"; content:"GET"; offset:2; depth:3; sid:1;)
alert udp any any -> any any (msg:"nc"; content:"hello"; nocase; content:!"world"; sid:2;)
alert udp any any -> any any (msg:"end"; content:"xyz"; endswith; sid:3;)
`);
    const batch = craftBatch([
      udp(1, '..GET'),
      udp(1, '...GET'),
      udp(1, 'HeLLo there'),
      udp(1, 'hello world'),
      udp(1, 'xyzxyz'),
      udp(1, 'xyz.'),
    ]);
    expect(sidsPerPacket(engine, batch)).toEqual([[1], [], [2], [], [3], []]);
  });

  it('match() evaluates pcre on latin1 text, relative to the previous match with /R', () => {
    const engine = engineFor(`
alert udp any any -> any any (msg:"p"; content:"id="; pcre:"/^\\d{3}[^\\d]/R"; sid:1;)
alert udp any any -> any any (msg:"hi"; pcre:"/\\xe9t\\xe9/"; sid:2;)
`);
    const batch = craftBatch([udp(1, 'x id=123;'), udp(1, 'x id=1234'), udp(1, latin1('un \u00e9t\u00e9'))]);
    expect(sidsPerPacket(engine, batch)).toEqual([[1], [], [2]]);
  });

  it('match() applies byte_test, byte_jump and isdataat', () => {
    const engine = engineFor(`
alert udp any any -> any any (msg:"bt"; byte_test:2,>,1000,0; byte_test:2,<,2000,0; sid:1;)
alert udp any any -> any any (msg:"bj"; byte_jump:1,0; content:"Z"; within:1; sid:2;)
alert udp any any -> any any (msg:"ida"; content:"K"; isdataat:3,relative; sid:3;)
alert udp any any -> any any (msg:"str"; byte_test:3,=,123,1,string,dec; sid:4;)
`);
    const batch = craftBatch([
      udp(1, Uint8Array.of(0x03, 0xe9)),
      udp(1, Uint8Array.of(0x02, 0x41, 0x41, 0x5a)),
      udp(1, 'K123'),
      udp(1, 'K12'),
      udp(1, 'x123'),
    ]);
    expect(sidsPerPacket(engine, batch)).toEqual([[1], [2], [3, 4], [], [4]]);
  });

  it('match() tests flags with modifiers, ttl, id, window, itype and dsize', () => {
    const engine = engineFor(`
alert tcp any any -> any any (msg:"syn only"; flags:S,12; sid:1;)
alert tcp any any -> any any (msg:"any of FPU"; flags:*FPU; sid:2;)
alert tcp any any -> any any (msg:"null"; flags:0; sid:3;)
alert ip any any -> any any (msg:"ttl"; ttl:<3; sid:4;)
alert tcp any any -> any any (msg:"id"; id:54321; sid:5;)
alert tcp any any -> any any (msg:"win"; window:!1024; sid:6;)
alert icmp any any -> any any (msg:"echo"; itype:8; dsize:10<>20; sid:7;)
`);
    const batch = craftBatch([
      tcp(1, SYN | TcpFlag.ECE | TcpFlag.CWR),
      tcp(1, TcpFlag.FIN | TcpFlag.PSH | TcpFlag.URG),
      tcp(1, 0),
      tcp(1, TcpFlag.ACK, { ttl: 2 }),
      tcp(1, TcpFlag.ACK, { id: 54321, window: 512 }),
      icmp(8, 0, 'x'.repeat(15)),
      icmp(8, 0, 'x'.repeat(20)),
    ]);
    expect(sidsPerPacket(engine, batch)).toEqual([[1], [2], [3], [4], [5, 6], [7], []]);
  });

  it('match() keeps threshold state across batches in packet time', () => {
    const engine = engineFor(
      'alert tcp any any -> any any (msg:"scan"; flags:S; threshold:type both, track by_src, count 3, seconds 60; sid:1;)',
    );
    const first = craftBatch([
      { packet: tcp(1, SYN), at: 0 },
      { packet: tcp(2, SYN), at: 1 },
    ]);
    const second = craftBatch([
      { packet: tcp(3, SYN), at: 2 },
      { packet: tcp(4, SYN), at: 3 },
      { packet: tcp(5, SYN), at: 70 },
    ]);
    expect(alertPairs(engine, first)).toEqual([]);
    expect(alertPairs(engine, second)).toEqual([[0, 1]]);
    engine.resetState();
    expect(alertPairs(engine, second)).toEqual([]);
  });

  it('match() treats later fragments as portless: only ip rules without ports apply', () => {
    const engine = engineFor(
      'alert ip any any -> any any (msg:"ip"; content:"frag"; sid:1;)\nalert udp any any -> any any (msg:"udp"; content:"frag"; sid:2;)',
    );
    const batch = craftBatch([
      { ip: { version: 4, src: '198.51.100.1', dst: '192.0.2.1', fragmentOffset: 8, protocol: 17 }, payload: 'frag' },
      udp(7, 'frag'),
    ]);
    expect(sidsPerPacket(engine, batch)).toEqual([[1], [1, 2]]);
  });

  it('match() ignores packets the decoder could not decode and clears earlier alerts', () => {
    const engine = engineFor('alert ip any any -> any any (msg:"all"; sid:1;)');
    const batch = craftBatch([udp(1), tcp(2, SYN)]);
    batch.status[1] = 2;
    const alerts = new SignatureAlerts(1);
    alerts.push(9, 9);
    expect(engine.match(batch, alerts)).toBe(1);
    expect([alerts.packet[0], alerts.rule[0], alerts.length]).toEqual([0, 0, 1]);
  });

  it('categoryOf() reports the category and why', () => {
    const categories = CategoryMap.parse(
      'default = Others\nclasstype attempted-dos = DoS\nsid 5-6 = Worm\nmsg-prefix "ET P2P" = Scan(P2P)',
      'c.map',
    );
    const engine = engineFor(
      `
alert udp any any -> any any (msg:"x"; classtype:attempted-dos; sid:1;)
alert udp any any -> any any (msg:"ET P2P y"; classtype:attempted-dos; sid:2;)
alert udp any any -> any any (msg:"z"; classtype:attempted-dos; sid:5;)
alert udp any any -> any any (msg:"w"; sid:9;)
`,
      { categories },
    );
    expect(engine.categories).toEqual([
      { category: 'DoS', reason: 'classtype attempted-dos' },
      { category: 'Scan(P2P)', reason: 'msg-prefix "ET P2P"' },
      { category: 'Worm', reason: 'sid 5-6' },
      { category: 'Others', reason: 'default' },
    ]);
  });
});
