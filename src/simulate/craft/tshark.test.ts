/**
 * Cross-checks crafted frames against tshark: every frame kind is written to a
 * classic pcap (one file per link type), decoded by tshark with checksum
 * validation on, and each crafted field, checksum status and expert item is
 * compared. Skipped, with the reason printed, when tshark is not installed.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TcpFlag } from '../../decode/batch.js';
import { CraftBuffer } from './craft-buffer.js';
import { buildLinkHeader, linkTypeOf } from './link.js';
import { buildPacket } from './packet.js';
import { ipv4IcmpFields, ipv4TcpFields, ipv4UdpFields, writeIpv4Icmp, writeIpv4Tcp, writeIpv4Udp } from './fast.js';
import type { EthernetLink, LinkSpec, PacketSpec } from './spec.js';
import { linuxSynOptions, tcpOptions } from './tcp-options.js';

interface Case {
  name: string;
  linkType: number;
  frame: Uint8Array;
  expect: Record<string, string>;
  /** Expert items of warning or error severity that this frame is meant to raise. */
  allow?: RegExp;
}

const SEVERITY_WARN = 0x00600000;
const STATUS_FIELDS = ['ip', 'tcp', 'udp', 'icmp', 'icmpv6'].map((p) => `${p}.checksum.status`);
const EXPERT_FIELDS = ['_ws.expert.severity', '_ws.expert.message', '_ws.malformed'];
const GOOD = '1';
const UNVERIFIED = '2';

function tsharkVersion(): string | undefined {
  try {
    return execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(
      '\n',
    )[0];
  } catch {
    return undefined;
  }
}

/** Minimal classic pcap: 24-byte global header, then 16-byte record headers (microseconds, little-endian). */
function classicPcap(linkType: number, frames: readonly Uint8Array[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262144, 16);
  header.writeUInt32LE(linkType, 20);
  const parts = [header];
  frames.forEach((frame, i) => {
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_700_000_000 + i, 0);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    parts.push(record, Buffer.from(frame));
  });
  return Buffer.concat(parts);
}

const frame = (name: string, spec: PacketSpec, expect: Record<string, string>, allow?: RegExp): Case => ({
  name,
  linkType: linkTypeOf(spec.link),
  frame: buildPacket(spec),
  expect,
  ...(allow === undefined ? {} : { allow }),
});
const good = (...protocols: string[]): Record<string, string> =>
  Object.fromEntries(protocols.map((p) => [`${p}.checksum.status`, GOOD]));

const A4 = '192.0.2.10';
const B4 = '198.51.100.20';
const A6 = '2001:db8::a';
const B6 = '2001:db8:1::b';
const ETH: EthernetLink = { kind: 'ethernet', src: '00:11:22:33:44:55', dst: '66:77:88:99:aa:bb' };
const SYN_OPTIONS = linuxSynOptions({ mss: 1400, timestamp: 123456, windowShift: 7 });

function ethernetCases(): Case[] {
  return [
    frame(
      'IPv4 TCP SYN with options',
      {
        link: ETH,
        ip: { version: 4, src: A4, dst: B4, ttl: 52, id: 54321, dontFragment: true },
        l4: {
          kind: 'tcp',
          srcPort: 40000,
          dstPort: 23,
          seq: 0x89abcdef,
          flags: TcpFlag.SYN,
          window: 29200,
          options: SYN_OPTIONS,
        },
      },
      {
        'eth.src': '00:11:22:33:44:55',
        'eth.dst': '66:77:88:99:aa:bb',
        'ip.src': A4,
        'ip.dst': B4,
        'ip.ttl': '52',
        'ip.id': '0xd431',
        'ip.flags.df': '1',
        'tcp.srcport': '40000',
        'tcp.dstport': '23',
        'tcp.seq_raw': String(0x89abcdef),
        'tcp.flags': '0x0002',
        'tcp.window_size_value': '29200',
        'tcp.options.mss_val': '1400',
        'tcp.options.wscale.shift': '7',
        'tcp.options.timestamp.tsval': '123456',
        'tcp.option_kind': '2|4|8|1|3',
        ...good('ip', 'tcp'),
      },
    ),
    frame(
      '802.1Q IPv4 TCP SYN-ACK with ECE, CWR, NS and payload',
      {
        link: { ...ETH, vlans: [{ id: 100, priority: 5 }] },
        ip: { version: 4, src: B4, dst: A4 },
        l4: {
          kind: 'tcp',
          srcPort: 443,
          dstPort: 40000,
          seq: 1,
          ack: 0x89abcdf0,
          flags: TcpFlag.SYN | TcpFlag.ACK | TcpFlag.ECE | TcpFlag.CWR | TcpFlag.NS,
        },
        payload: 'backscatter',
      },
      {
        'vlan.id': '100',
        'vlan.priority': '5',
        'tcp.flags': '0x01d2',
        'tcp.ack_raw': String(0x89abcdf0),
        'tcp.len': '11',
        ...good('ip', 'tcp'),
      },
    ),
    frame(
      '802.1ad+802.1Q IPv4 UDP',
      {
        link: {
          ...ETH,
          vlans: [
            { id: 300, tpid: 0x88a8 },
            { id: 42, dropEligible: true },
          ],
        },
        ip: { version: 4, src: A4, dst: B4, tos: 0xb8 },
        l4: { kind: 'udp', srcPort: 50000, dstPort: 40001 },
        payload: Uint8Array.of(1, 2, 3, 4, 5),
      },
      {
        'ieee8021ad.id': '300',
        'vlan.id': '42',
        'vlan.dei': '1',
        'ip.dsfield': '0xb8',
        'udp.srcport': '50000',
        'udp.dstport': '40001',
        'udp.length': '13',
        ...good('ip', 'udp'),
      },
    ),
    frame(
      'IPv4 with router-alert option, ICMP echo request',
      {
        link: ETH,
        ip: { version: 4, src: A4, dst: B4, options: Uint8Array.of(0x94, 0x04, 0x00, 0x00) },
        l4: { kind: 'icmp', type: 8, id: 0x1234, seq: 7 },
        payload: 'abcdefgh',
      },
      {
        'ip.opt.type': '148',
        'icmp.type': '8',
        'icmp.code': '0',
        'icmp.ident': '4660',
        'icmp.seq': '7',
        ...good('ip', 'icmp'),
      },
    ),
    frame(
      'ICMP port unreachable quoting IPv4+UDP (header + 8 bytes)',
      {
        link: ETH,
        ip: { version: 4, src: B4, dst: A4 },
        l4: {
          kind: 'icmp',
          type: 3,
          code: 3,
          quote: {
            ip: { version: 4, src: A4, dst: B4 },
            l4: { kind: 'udp', srcPort: 5353, dstPort: 161 },
            payload: 'community',
          },
        },
      },
      {
        'ip.src': `${B4}|${A4}`,
        'icmp.type': '3',
        'icmp.code': '3',
        'udp.srcport': '5353',
        'udp.dstport': '161',
        'udp.length': '17',
        'ip.checksum.status': `${GOOD}|${GOOD}`,
        'icmp.checksum.status': GOOD,
        'udp.checksum.status': UNVERIFIED,
      },
    ),
    frame(
      'ICMP time exceeded quoting a whole IPv4+TCP SYN',
      {
        link: ETH,
        ip: { version: 4, src: B4, dst: A4 },
        l4: {
          kind: 'icmp',
          type: 11,
          quoteLength: 60,
          quote: {
            ip: { version: 4, src: A4, dst: B4, ttl: 1 },
            l4: { kind: 'tcp', srcPort: 5000, dstPort: 80, flags: TcpFlag.SYN, options: SYN_OPTIONS },
          },
        },
      },
      {
        'icmp.type': '11',
        'ip.ttl': '64|1',
        'tcp.srcport': '5000',
        'tcp.dstport': '80',
        'ip.checksum.status': `${GOOD}|${GOOD}`,
        'icmp.checksum.status': GOOD,
        'tcp.checksum.status': GOOD,
      },
      /only 1/,
    ),
    frame(
      'IPv4 first fragment and padded RST',
      {
        link: { ...ETH, minFrameLength: 60 },
        ip: { version: 4, src: A4, dst: B4, id: 9, moreFragments: true },
        l4: { kind: 'tcp', srcPort: 80, dstPort: 1, flags: TcpFlag.RST },
      },
      { 'ip.flags.mf': '1', 'ip.frag_offset': '0', 'frame.len': '60', 'eth.padding': '000000000000', ...good('ip') },
    ),
    frame(
      'IPv4 non-first fragment with reserved flag',
      {
        link: ETH,
        ip: { version: 4, src: A4, dst: B4, id: 9, fragmentOffset: 1480, reservedFlag: true, protocol: 6 },
        payload: new Uint8Array(16),
      },
      { 'ip.flags.rb': '1', 'ip.flags.mf': '0', 'ip.frag_offset': '185', 'ip.proto': '6', ...good('ip') },
    ),
    frame(
      'IPv6 TCP through hop-by-hop, destination, routing and atomic fragment headers',
      {
        link: ETH,
        ip: {
          version: 6,
          src: A6,
          dst: B6,
          hopLimit: 33,
          flowLabel: 0xabcde,
          extensions: [
            { kind: 'hop-by-hop', options: Uint8Array.of(0x05, 0x02, 0x00, 0x00) },
            { kind: 'destination' },
            { kind: 'routing', routingType: 0, segmentsLeft: 1, addresses: ['2001:db8:2::c'] },
            { kind: 'fragment', id: 0x01020304 },
          ],
        },
        l4: {
          kind: 'tcp',
          srcPort: 2222,
          dstPort: 40022,
          flags: TcpFlag.SYN,
          options: tcpOptions([{ kind: 'mss', value: 1220 }]),
        },
        payload: 'xyz',
      },
      {
        'ipv6.src': A6,
        'ipv6.dst': B6,
        'ipv6.hlim': '33',
        'ipv6.flow': '0x0abcde',
        'ipv6.hopopts.nxt': '60',
        'ipv6.dstopts.nxt': '43',
        'ipv6.routing.nxt': '44',
        'ipv6.routing.segleft': '1',
        'ipv6.fraghdr.ident': '0x01020304',
        'tcp.dstport': '40022',
        'tcp.options.mss_val': '1220',
        ...good('tcp'),
      },
      /Routing header type is deprecated/,
    ),
    frame(
      'IPv6 UDP',
      {
        link: ETH,
        ip: { version: 6, src: A6, dst: B6, trafficClass: 0x20 },
        l4: { kind: 'udp', srcPort: 40002, dstPort: 40003 },
        payload: 'hello',
      },
      { 'ipv6.tclass': '0x00000020', 'ipv6.plen': '13', 'udp.dstport': '40003', ...good('udp') },
    ),
    frame(
      'IPv6 non-first fragment',
      {
        link: ETH,
        ip: {
          version: 6,
          src: A6,
          dst: B6,
          protocol: 17,
          extensions: [{ kind: 'fragment', id: 0xdeadbeef, offset: 1232, more: true }],
        },
        payload: 'zz',
      },
      {
        'ipv6.fraghdr.offset': '154',
        'ipv6.fraghdr.more': '1',
        'ipv6.fraghdr.ident': '0xdeadbeef',
        'ipv6.fraghdr.nxt': '17',
      },
    ),
    frame(
      'ICMPv6 echo request',
      {
        link: ETH,
        ip: { version: 6, src: A6, dst: B6 },
        l4: { kind: 'icmpv6', type: 128, id: 99, seq: 3 },
        payload: 'ping',
      },
      {
        'icmpv6.type': '128',
        'icmpv6.echo.identifier': '0x0063',
        'icmpv6.echo.sequence_number': '3',
        ...good('icmpv6'),
      },
    ),
    frame(
      'ICMPv6 packet too big quoting a whole IPv6+TCP',
      {
        link: ETH,
        ip: { version: 6, src: B6, dst: A6 },
        l4: {
          kind: 'icmpv6',
          type: 2,
          rest: 1280,
          quote: {
            ip: { version: 6, src: A6, dst: B6 },
            l4: { kind: 'tcp', srcPort: 7, dstPort: 8, flags: TcpFlag.ACK },
            payload: new Uint8Array(1000),
          },
        },
      },
      {
        'icmpv6.type': '2',
        'icmpv6.mtu': '1280',
        'ipv6.src': `${B6}|${A6}`,
        'tcp.srcport': '7',
        ...good('icmpv6', 'tcp'),
      },
    ),
    ...fastCases(),
  ];
}

function fastCases(): Case[] {
  const buf = new CraftBuffer(new Uint8Array(2048), 100);
  const linkHeader = buildLinkHeader(ETH, 4);
  const take = (n: number): Uint8Array => buf.bytes.slice(buf.offset, buf.offset + n);
  const tcp = take(
    writeIpv4Tcp(
      buf,
      ipv4TcpFields({
        linkHeader,
        src: 0xc000020a,
        dst: 0xc6336414,
        srcPort: 61000,
        dstPort: 445,
        seq: 7,
        flags: TcpFlag.SYN,
        ttl: 240,
        ipId: 1,
      }),
    ),
  );
  const udp = take(
    writeIpv4Udp(
      buf,
      ipv4UdpFields({ linkHeader, src: 1, dst: 2, srcPort: 40004, dstPort: 40005, payload: Uint8Array.of(9, 9, 9) }),
    ),
  );
  const icmp = take(
    writeIpv4Icmp(
      buf,
      ipv4IcmpFields({ linkHeader, src: 3, dst: 4, type: 8, id: 1, seq: 2, payload: new Uint8Array(56) }),
    ),
  );
  const linkType = linkTypeOf(ETH);
  return [
    {
      name: 'writeIpv4Tcp() SYN',
      linkType,
      frame: tcp,
      expect: { 'ip.src': A4, 'ip.ttl': '240', 'tcp.dstport': '445', 'tcp.flags': '0x0002', ...good('ip', 'tcp') },
    },
    {
      name: 'writeIpv4Udp()',
      linkType,
      frame: udp,
      expect: { 'ip.dst': '0.0.0.2', 'udp.length': '11', ...good('ip', 'udp') },
    },
    {
      name: 'writeIpv4Icmp() echo',
      linkType,
      frame: icmp,
      expect: { 'icmp.type': '8', 'icmp.seq': '2', ...good('ip', 'icmp') },
    },
  ];
}

function otherLinkCases(): Case[] {
  const links: [LinkSpec, Record<string, string>][] = [
    [
      { kind: 'sll', packetType: 4, address: '00:11:22:33:44:55' },
      { 'sll.pkttype': '4', 'sll.hatype': '1', 'sll.src.eth': '00:11:22:33:44:55' },
    ],
    [
      { kind: 'sll2', interfaceIndex: 7 },
      { 'sll.ifindex': '7', 'sll.pkttype': '0' },
    ],
    [{ kind: 'null' }, {}],
    [{ kind: 'null', byteOrder: 'big' }, {}],
    [{ kind: 'loop' }, {}],
    [{ kind: 'raw' }, {}],
  ];
  return links.flatMap(([link, fields]) => [
    frame(
      `${link.kind} IPv4 TCP`,
      {
        link,
        ip: { version: 4, src: A4, dst: B4 },
        l4: { kind: 'tcp', srcPort: 1234, dstPort: 8080, flags: TcpFlag.SYN },
      },
      {
        ...fields,
        'ip.src': A4,
        'tcp.dstport': '8080',
        ...(link.kind === 'null' || link.kind === 'loop' ? { 'null.family': '2' } : {}),
        ...good('ip', 'tcp'),
      },
    ),
    frame(
      `${link.kind} IPv6 UDP`,
      { link, ip: { version: 6, src: A6, dst: B6 }, l4: { kind: 'udp', srcPort: 1234, dstPort: 40006 }, payload: 'v6' },
      {
        ...fields,
        'ipv6.dst': B6,
        'udp.dstport': '40006',
        ...(link.kind === 'null' || link.kind === 'loop' ? { 'null.family': '24' } : {}),
        ...good('udp'),
      },
    ),
  ]);
}

const version = tsharkVersion();
const dir = mkdtempSync(join(tmpdir(), 'teiten-craft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (version === undefined) console.warn('Skipping tshark cross-check: tshark is not installed');

describe.skipIf(version === undefined)(`craft cross-checked with ${version ?? 'tshark'}`, () => {
  const cases = [...ethernetCases(), ...otherLinkCases()];
  const byLink = new Map<number, Case[]>();
  for (const c of cases) byLink.set(c.linkType, [...(byLink.get(c.linkType) ?? []), c]);
  for (const [linkType, group] of byLink) {
    it(`buildPacket() frames of link type ${linkType} decode as crafted with good checksums`, () => {
      const file = join(dir, `link-${linkType}.pcap`);
      writeFileSync(
        file,
        classicPcap(
          linkType,
          group.map((c) => c.frame),
        ),
      );
      const fields = [...new Set([...group.flatMap((c) => Object.keys(c.expect)), ...STATUS_FIELDS, ...EXPERT_FIELDS])];
      const output = execFileSync(
        'tshark',
        [
          '-r',
          file,
          '-n',
          '-T',
          'fields',
          '-E',
          'separator=/t',
          '-E',
          'aggregator=|',
          '-o',
          'ip.check_checksum:TRUE',
          '-o',
          'tcp.check_checksum:TRUE',
          '-o',
          'udp.check_checksum:TRUE',
          ...fields.flatMap((f) => ['-e', f]),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const rows = output
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => new Map(line.split('\t').map((v, i) => [fields[i]!, v])));
      expect(rows).toHaveLength(group.length);
      group.forEach((c, i) => {
        const row = rows[i]!;
        for (const [field, want] of Object.entries(c.expect)) expect(row.get(field), `${c.name}: ${field}`).toBe(want);
        for (const status of STATUS_FIELDS)
          expect(row.get(status), `${c.name}: ${status}`).not.toMatch(/(^|\|)0(\||$)/);
        expect(row.get('_ws.malformed'), `${c.name}: malformed`).toBe('');
        const severities = (row.get('_ws.expert.severity') ?? '').split('|');
        const messages = (row.get('_ws.expert.message') ?? '').split('|');
        severities.forEach((s, j) => {
          if (Number(s) >= SEVERITY_WARN) expect(messages[j], `${c.name}: expert item`).toMatch(c.allow ?? /^$/);
        });
      });
    });
  }
});
