import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../decode/batch.js';
import { foldChecksum, internetChecksum, onesComplementSum, pseudoHeaderSum } from './checksum.js';
import { CraftBuffer } from './craft-buffer.js';
import { buildPacket, writePacket } from './packet.js';
import type { PacketSpec } from './spec.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const UDP_V4: PacketSpec = {
  ip: { version: 4, src: '192.0.2.1', dst: '198.51.100.2', id: 0x1234 },
  l4: { kind: 'udp', srcPort: 1000, dstPort: 2000 },
  payload: 'hi',
};

/** Independent verifier: the transport checksum of a raw IPv4 packet sums to zero with its pseudo header. */
function l4SumsToZero(packet: Uint8Array): boolean {
  const ihl = (packet[0]! & 0x0f) * 4;
  const length = ((packet[2]! << 8) | packet[3]!) - ihl;
  const pseudo = pseudoHeaderSum(packet, {
    srcOffset: 12,
    dstOffset: 16,
    addressLength: 4,
    protocol: packet[9]!,
    length,
  });
  return foldChecksum(pseudo + onesComplementSum(packet, { start: ihl, end: ihl + length })) === 0;
}

describe('buildPacket', () => {
  it('buildPacket() lays out raw IPv4/UDP exactly, checksums included', () => {
    // Checksums computed by hand: IP 7c64, UDP 9f81 (pseudo header 192.0.2.1 > 198.51.100.2, length 10).
    expect(hex(buildPacket(UDP_V4))).toBe('4500001e1234000040117c64c0000201c6336402' + '03e807d0000a9f81' + '6869');
  });

  it('buildPacket() writes TCP flags including NS, data offset with options, and zero-pads options', () => {
    const packet = buildPacket({
      ip: { version: 4, src: 1, dst: 2 },
      l4: {
        kind: 'tcp',
        srcPort: 1,
        dstPort: 2,
        seq: 0xfffffffe,
        ack: 3,
        flags: TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR | TcpFlag.NS,
        window: 1024,
        options: Uint8Array.of(2, 4, 5, 0xb4, 1),
      },
    });
    const tcp = packet.subarray(20);
    expect(packet.length).toBe(20 + 28);
    expect(hex(tcp.subarray(4, 16))).toBe('fffffffe' + '00000003' + '71c2' + '0400');
    expect(hex(tcp.subarray(20))).toBe('020405b401000000');
    expect(l4SumsToZero(packet)).toBe(true);
    expect(internetChecksum(packet, { start: 0, end: 20 })).toBe(0);
  });

  it('buildPacket() sends a computed UDP checksum of 0 as 0xffff', () => {
    const probe = buildPacket({ ...UDP_V4, payload: Uint8Array.of(0, 0) });
    const zeroing = probe.subarray(26, 28); // with this payload word the computed checksum is 0
    const packet = buildPacket({ ...UDP_V4, payload: zeroing });
    expect(hex(packet.subarray(26, 28))).toBe('ffff');
  });

  it('buildPacket() keeps override values for decoder fixtures', () => {
    const packet = buildPacket({
      ...UDP_V4,
      ip: { version: 4, src: 1, dst: 2, totalLength: 99, checksum: 0xdead },
      l4: { kind: 'udp', srcPort: 1, dstPort: 2, length: 4, checksum: 0 },
    });
    expect(hex(packet.subarray(2, 4))).toBe('0063');
    expect(hex(packet.subarray(10, 12))).toBe('dead');
    expect(hex(packet.subarray(24, 28))).toBe('00040000');
  });

  it('buildPacket() writes IPv4 flags, fragment offset and padded options', () => {
    const packet = buildPacket({
      ip: {
        version: 4,
        src: 1,
        dst: 2,
        dontFragment: true,
        moreFragments: true,
        reservedFlag: true,
        fragmentOffset: 16,
        options: Uint8Array.of(1, 1, 1, 1, 7),
        protocol: 253,
      },
    });
    expect(packet[0]).toBe(0x47);
    expect(hex(packet.subarray(6, 8))).toBe('e002');
    expect(packet[9]).toBe(253);
    expect(hex(packet.subarray(20, 28))).toBe('0101010107000000');
    expect(internetChecksum(packet, { start: 0, end: 28 })).toBe(0);
  });

  it('buildPacket() quotes an ICMP error as IP header + 8 bytes by default', () => {
    const quote: PacketSpec = {
      ip: { version: 4, src: 2, dst: 1 },
      l4: { kind: 'tcp', srcPort: 80, dstPort: 1, flags: TcpFlag.SYN },
      payload: 'data',
    };
    const inner = buildPacket(quote);
    const packet = buildPacket({
      ip: { version: 4, src: 1, dst: 2 },
      l4: { kind: 'icmp', type: 3, code: 1, quote: { ...quote, ip: quote.ip! } },
    });
    expect(packet.length).toBe(20 + 8 + 28);
    expect(hex(packet.subarray(28))).toBe(hex(inner.subarray(0, 28)));
    expect(internetChecksum(packet, { start: 20, end: packet.length })).toBe(0);
  });

  it('buildPacket() honours quoteLength and rejects one past the quoted packet', () => {
    const quote = {
      ip: { version: 4 as const, src: 2, dst: 1 },
      l4: { kind: 'udp' as const, srcPort: 1, dstPort: 2 },
      payload: 'abcd',
    };
    const packet = buildPacket({
      ip: { version: 4, src: 1, dst: 2 },
      l4: { kind: 'icmp', type: 11, quote, quoteLength: 32 },
    });
    expect(hex(packet.subarray(28))).toBe(hex(buildPacket(quote)));
    expect(() =>
      buildPacket({ ip: { version: 4, src: 1, dst: 2 }, l4: { kind: 'icmp', type: 11, quote, quoteLength: 33 } }),
    ).toThrow(/quoteLength is 33 but the quoted packet has 32 bytes/);
  });

  it('buildPacket() caps a default ICMPv6 quote at the 1280-byte minimum MTU', () => {
    const packet = buildPacket({
      ip: { version: 6, src: '2001:db8::1', dst: '2001:db8::2' },
      l4: {
        kind: 'icmpv6',
        type: 2,
        rest: 1280,
        quote: {
          ip: { version: 6, src: '2001:db8::2', dst: '2001:db8::1' },
          l4: { kind: 'udp', srcPort: 1, dstPort: 2 },
          payload: new Uint8Array(1400),
        },
      },
    });
    expect(packet.length).toBe(1280);
    expect(hex(packet.subarray(4, 6))).toBe('04d8'); // payload length 1240
    expect(hex(packet.subarray(44, 48))).toBe('00000500');
  });

  it('buildPacket() frames a non-IP payload behind a link header', () => {
    const arp = Uint8Array.of(0, 1, 8, 0, 6, 4, 0, 1);
    const frame = buildPacket({ link: { kind: 'ethernet', etherType: 0x0806, minFrameLength: 60 }, payload: arp });
    expect(frame.length).toBe(60);
    expect(hex(frame.subarray(12, 22))).toBe('0806' + hex(arp));
    expect(frame.subarray(22).every((b) => b === 0)).toBe(true);
  });

  it('buildPacket() names the field of an out-of-range value', () => {
    const tcp = (srcPort: number): PacketSpec => ({
      ip: { version: 4, src: 1, dst: 2 },
      l4: { kind: 'tcp', srcPort, dstPort: 1 },
    });
    expect(() => buildPacket(tcp(70000))).toThrow(/tcp\.srcPort is 70000/);
    expect(() => buildPacket(tcp(1.5))).toThrow(RangeError);
    expect(() =>
      buildPacket({ ip: { version: 4, src: 1, dst: 2, ttl: 256 }, l4: { kind: 'udp', srcPort: 1, dstPort: 2 } }),
    ).toThrow(/ip\.ttl/);
    expect(() => buildPacket({ ip: { version: 4, src: 1, dst: 2, fragmentOffset: 12, protocol: 6 } })).toThrow(
      /multiple of 8/,
    );
    expect(() => buildPacket({ ip: { version: 4, src: '1.2.3', dst: 2, protocol: 6 } })).toThrow(SyntaxError);
  });

  it('buildPacket() rejects inconsistent specs', () => {
    const v4 = { version: 4 as const, src: 1, dst: 2 };
    expect(() => buildPacket({ ip: v4 })).toThrow(/ip\.protocol is required/);
    expect(() => buildPacket({ ip: v4, l4: { kind: 'icmpv6', type: 128 } })).toThrow(/icmpv6 needs an IPv6 header/);
    expect(() => buildPacket({ l4: { kind: 'udp', srcPort: 1, dstPort: 2 } })).toThrow(/l4 needs an ip header/);
    expect(() => buildPacket({ link: { kind: 'ethernet' }, payload: 'x' })).toThrow(/eth\.etherType is required/);
    expect(() =>
      buildPacket({ ip: v4, l4: { kind: 'tcp', srcPort: 1, dstPort: 2, options: new Uint8Array(41) } }),
    ).toThrow(/at most 40/);
    expect(() =>
      buildPacket({
        ip: v4,
        l4: { kind: 'icmp', type: 3, quote: { ip: v4, l4: { kind: 'udp', srcPort: 1, dstPort: 2 } } },
        payload: 'x',
      }),
    ).toThrow(/quote or payload/);
    expect(() => buildPacket({ ip: { version: 5 } as unknown as PacketSpec['ip'] })).toThrow(/ip\.version is 5/);
    expect(() =>
      buildPacket({
        link: { kind: 'fddi' } as unknown as PacketSpec['link'],
        ip: v4,
        l4: { kind: 'udp', srcPort: 1, dstPort: 2 },
      }),
    ).toThrow(/unknown kind "fddi"/);
    expect(() => buildPacket({ ip: v4, l4: { kind: 'sctp' } as unknown as PacketSpec['l4'] })).toThrow(
      /unknown kind "sctp"/,
    );
  });
});

describe('writePacket', () => {
  it('writePacket() writes at buf.offset inside a pooled Buffer and touches nothing else', () => {
    const pooled = Buffer.allocUnsafe(200).fill(0xee); // may share an ArrayBuffer at a non-zero byteOffset
    const buf = new CraftBuffer(pooled, 30);
    const length = writePacket(buf, UDP_V4);
    expect(length).toBe(30);
    expect(hex(pooled.subarray(30, 60))).toBe(hex(buildPacket(UDP_V4)));
    expect(pooled.subarray(0, 30).every((b) => b === 0xee)).toBe(true);
    expect(pooled.subarray(60).every((b) => b === 0xee)).toBe(true);
    expect(buf.offset).toBe(30);
  });

  it('writePacket() throws a RangeError when the packet does not fit', () => {
    const buf = new CraftBuffer(new Uint8Array(40), 20);
    expect(() => writePacket(buf, UDP_V4)).toThrow(
      /Cannot write UDP header: needs 8 bytes at offset 40 but the buffer holds 40/,
    );
    expect(() => new CraftBuffer(new Uint8Array(4), 5)).toThrow(RangeError);
  });

  it('writePacket() produces valid checksums for many random packets', () => {
    let seed = 12345;
    const rand = (max: number): number => (seed = (seed * 1103515245 + 12345) >>> 0) % (max + 1);
    const buf = new CraftBuffer(new Uint8Array(2048));
    for (let i = 0; i < 500; i++) {
      const payload = Uint8Array.from({ length: rand(300) }, () => rand(255));
      const kind = (['tcp', 'udp', 'icmp'] as const)[i % 3]!;
      const l4 =
        kind === 'icmp'
          ? { kind, type: rand(255), code: rand(255), rest: rand(0xffff) * 0x10000 + rand(0xffff) }
          : { kind, srcPort: rand(0xffff), dstPort: rand(0xffff) };
      const length = writePacket(buf, {
        ip: { version: 4, src: rand(0xffff) * 0x10000 + rand(0xffff), dst: rand(0xffffffff), ttl: rand(255) },
        l4,
        payload,
      });
      const packet = buf.bytes.subarray(0, length);
      expect(internetChecksum(packet, { start: 0, end: 20 })).toBe(0);
      if (kind === 'icmp') expect(internetChecksum(packet, { start: 20, end: length })).toBe(0);
      else expect(l4SumsToZero(packet)).toBe(true);
    }
  });
});
