import { describe, expect, it } from 'vitest';
import { foldChecksum, onesComplementSum, pseudoHeaderSum } from './checksum.js';
import { buildPacket } from './packet.js';
import type { Ipv6Extension, Ipv6Spec } from './spec.js';
import { parseIpv6 } from '../../util/ip-address.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const SRC = '2001:db8::1';
const DST = '2001:db8::2';
const withExtensions = (extensions: Ipv6Extension[], protocol?: number): Uint8Array =>
  buildPacket({ ip: { version: 6, src: SRC, dst: DST, extensions, ...(protocol === undefined ? {} : { protocol }) } });

describe('ipv6', () => {
  it('writeIpv6Header() packs version, traffic class, flow label, lengths and addresses', () => {
    const packet = buildPacket({
      ip: { version: 6, src: SRC, dst: DST, trafficClass: 0x20, flowLabel: 0xabcde, hopLimit: 9 },
      l4: { kind: 'udp', srcPort: 1, dstPort: 2 },
      payload: 'abc',
    });
    expect(hex(packet.subarray(0, 8))).toBe('620abcde' + '000b' + '11' + '09');
    expect(hex(packet.subarray(8, 24))).toBe(hex(parseIpv6(SRC)));
    expect(hex(packet.subarray(24, 40))).toBe(hex(parseIpv6(DST)));
    expect(packet.length).toBe(40 + 8 + 3);
  });

  it('writeIpv6Header() defaults to no next header (59) without l4', () => {
    expect(buildPacket({ ip: { version: 6, src: SRC, dst: DST } })[6]).toBe(59);
  });

  it('writeIpv6Header() pads option headers with Pad1 or PadN to 8 bytes', () => {
    expect(hex(withExtensions([{ kind: 'hop-by-hop' }]).subarray(40))).toBe('3b00' + '010400000000');
    expect(hex(withExtensions([{ kind: 'destination', options: Uint8Array.of(5, 2, 0, 0, 0xc2) }]).subarray(40))).toBe(
      '3b00' + '05020000c2' + '00',
    );
    expect(hex(withExtensions([{ kind: 'hop-by-hop', options: Uint8Array.of(0x1e, 1, 0xaa) }]).subarray(40))).toBe(
      '3b00' + '1e01aa' + '010100',
    );
    expect(
      hex(withExtensions([{ kind: 'hop-by-hop', options: Uint8Array.of(0x1e, 4, 1, 2, 3, 4) }]).subarray(40)),
    ).toBe('3b00' + '1e0401020304');
    expect(
      hex(withExtensions([{ kind: 'hop-by-hop', options: Uint8Array.of(0x1e, 7, 1, 2, 3, 4, 5, 6, 7) }]).subarray(40)),
    ).toBe('3b01' + '1e0701020304050607' + '0103' + '000000');
  });

  it('writeIpv6Header() chains next-header values through the extensions', () => {
    const packet = withExtensions(
      [
        { kind: 'hop-by-hop' },
        { kind: 'routing', data: Uint8Array.of(0, 0, 0, 0) },
        { kind: 'fragment', id: 1 },
        { kind: 'destination' },
      ],
      17,
    );
    expect(packet[6]).toBe(0);
    expect([packet[40], packet[48], packet[56], packet[64]]).toEqual([43, 44, 60, 17]);
    expect(hex(packet.subarray(4, 6))).toBe('0020');
  });

  it('writeIpv6Header() writes a fragment header with offset, M bit and id', () => {
    const packet = withExtensions([{ kind: 'fragment', id: 0xdeadbeef, offset: 1232, more: true }], 6);
    expect(hex(packet.subarray(40))).toBe('06' + '00' + '04d1' + 'deadbeef');
    expect(() => withExtensions([{ kind: 'fragment', id: 1, offset: 4 }])).toThrow(/fragment\.offset is 4/);
  });

  it('writeIpv6Header() writes routing addresses and checksums against the final destination', () => {
    const final = '2001:db8::99';
    const ip: Ipv6Spec = {
      version: 6,
      src: SRC,
      dst: DST,
      extensions: [{ kind: 'routing', routingType: 0, segmentsLeft: 1, addresses: [final] }],
    };
    const packet = buildPacket({ ip, l4: { kind: 'udp', srcPort: 1, dstPort: 2 }, payload: 'x' });
    expect(hex(packet.subarray(40, 48))).toBe('1102' + '0001' + '00000000');
    expect(hex(packet.subarray(48, 64))).toBe(hex(parseIpv6(final)));
    const pseudo = pseudoHeaderSum(packet, { srcOffset: 8, dstOffset: 48, addressLength: 16, protocol: 17, length: 9 });
    expect(foldChecksum(pseudo + onesComplementSum(packet, { start: 64, end: 73 }))).toBe(0);
    // With no segments left the header's destination is final.
    const done = buildPacket({
      ip: { ...ip, extensions: [{ kind: 'routing', addresses: [final] }] },
      l4: { kind: 'udp', srcPort: 1, dstPort: 2 },
      payload: 'x',
    });
    const pseudo2 = pseudoHeaderSum(done, { srcOffset: 8, dstOffset: 24, addressLength: 16, protocol: 17, length: 9 });
    expect(foldChecksum(pseudo2 + onesComplementSum(done, { start: 64, end: 73 }))).toBe(0);
  });

  it('writeIpv6Header() rejects bad extension and header fields', () => {
    expect(() => withExtensions([{ kind: 'routing', addresses: [], data: new Uint8Array(4) }])).toThrow(
      /addresses or data/,
    );
    expect(() => withExtensions([{ kind: 'mobility' } as unknown as Ipv6Extension])).toThrow(/unknown kind "mobility"/);
    expect(() => buildPacket({ ip: { version: 6, src: SRC, dst: DST, flowLabel: 0x100000 } })).toThrow(/ip\.flowLabel/);
    expect(() => buildPacket({ ip: { version: 6, src: new Uint8Array(4), dst: DST } })).toThrow(/4 bytes given/);
  });
});
