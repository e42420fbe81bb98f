import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../decode/batch.js';
import { CraftBuffer } from './craft-buffer.js';
import { ipv4IcmpFields, ipv4TcpFields, ipv4UdpFields, writeIpv4Icmp, writeIpv4Tcp, writeIpv4Udp } from './fast.js';
import { buildLinkHeader } from './link.js';
import { buildPacket } from './packet.js';
import type { LinkSpec } from './spec.js';
import { linuxSynOptions } from './tcp-options.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const ETH: LinkSpec = { kind: 'ethernet', vlans: [{ id: 7 }] };

let seed = 99;
const rand = (max: number): number => (seed = (seed * 1103515245 + 12345) >>> 0) % (max + 1);
const randBytes = (max: number): Uint8Array => Uint8Array.from({ length: rand(max) }, () => rand(255));
const rand32 = (): number => rand(0xffff) * 0x10000 + rand(0xffff);

describe('fast writers', () => {
  const buf = new CraftBuffer(new Uint8Array(4096), 17);
  const written = (length: number): string => hex(buf.bytes.subarray(buf.offset, buf.offset + length));

  it('writeIpv4Tcp() matches writePacket byte for byte', () => {
    const f = ipv4TcpFields({ linkHeader: buildLinkHeader(ETH, 4) });
    for (let i = 0; i < 300; i++) {
      Object.assign(f, {
        src: rand32(),
        dst: rand32(),
        ttl: rand(255),
        ipId: rand(0xffff),
        tos: rand(255),
        dontFragment: i % 2 === 0,
        srcPort: rand(0xffff),
        dstPort: rand(0xffff),
        seq: rand32(),
        ack: rand32(),
        flags: rand(0x1ff),
        window: rand(0xffff),
        options: i % 3 === 0 ? null : linuxSynOptions({ timestamp: rand32() }),
        payload: i % 4 === 0 ? null : randBytes(200),
      });
      const expected = buildPacket({
        link: ETH,
        ip: { version: 4, src: f.src, dst: f.dst, ttl: f.ttl, id: f.ipId, tos: f.tos, dontFragment: f.dontFragment },
        l4: {
          kind: 'tcp',
          srcPort: f.srcPort,
          dstPort: f.dstPort,
          seq: f.seq,
          ack: f.ack,
          flags: f.flags,
          window: f.window,
          ...(f.options ? { options: f.options } : {}),
        },
        ...(f.payload ? { payload: f.payload } : {}),
      });
      expect(written(writeIpv4Tcp(buf, f))).toBe(hex(expected));
    }
  });

  it('writeIpv4Udp() matches writePacket byte for byte', () => {
    const f = ipv4UdpFields();
    for (let i = 0; i < 300; i++) {
      Object.assign(f, {
        src: rand32(),
        dst: rand32(),
        ttl: rand(255),
        ipId: rand(0xffff),
        srcPort: rand(0xffff),
        dstPort: rand(0xffff),
        payload: randBytes(300),
      });
      const expected = buildPacket({
        ip: { version: 4, src: f.src, dst: f.dst, ttl: f.ttl, id: f.ipId },
        l4: { kind: 'udp', srcPort: f.srcPort, dstPort: f.dstPort },
        payload: f.payload!,
      });
      expect(written(writeIpv4Udp(buf, f))).toBe(hex(expected));
    }
  });

  it('writeIpv4Icmp() matches writePacket byte for byte', () => {
    const f = ipv4IcmpFields({ linkHeader: buildLinkHeader({ kind: 'sll2' }, 4) });
    for (let i = 0; i < 300; i++) {
      Object.assign(f, {
        src: rand32(),
        dst: rand32(),
        type: rand(255),
        code: rand(255),
        id: rand(0xffff),
        seq: rand(0xffff),
        payload: randBytes(100),
      });
      const expected = buildPacket({
        link: { kind: 'sll2' },
        ip: { version: 4, src: f.src, dst: f.dst },
        l4: { kind: 'icmp', type: f.type, code: f.code, id: f.id, seq: f.seq },
        payload: f.payload!,
      });
      expect(written(writeIpv4Icmp(buf, f))).toBe(hex(expected));
    }
  });

  it('writeIpv4Tcp() rejects options that are not a multiple of 4 and out-of-range fields', () => {
    expect(() => writeIpv4Tcp(buf, ipv4TcpFields({ options: new Uint8Array(3) }))).toThrow(/multiple of 4/);
    expect(() => writeIpv4Tcp(buf, ipv4TcpFields({ dstPort: 65536 }))).toThrow(/tcp\.dstPort is 65536/);
    expect(() => writeIpv4Tcp(buf, ipv4TcpFields({ src: -1 }))).toThrow(/ip\.src/);
    expect(() => writeIpv4Tcp(buf, ipv4TcpFields({ flags: 0x200 }))).toThrow(/tcp\.flags/);
  });

  it('writeIpv4Udp() throws a RangeError instead of writing past the buffer', () => {
    const small = new CraftBuffer(new Uint8Array(40), 10);
    expect(() => writeIpv4Udp(small, ipv4UdpFields({ payload: new Uint8Array(3) }))).toThrow(
      /needs 31 bytes at offset 10/,
    );
    expect(writeIpv4Udp(small, ipv4UdpFields({ payload: new Uint8Array(2) }))).toBe(30);
  });

  it('ipv4TcpFields() initialises every field whatever the overrides', () => {
    const keys = Object.keys(ipv4TcpFields()).sort();
    expect(Object.keys(ipv4TcpFields({ flags: TcpFlag.SYN, payload: new Uint8Array(1) })).sort()).toEqual(keys);
    expect(keys).toContain('linkHeader');
    expect(ipv4TcpFields({ options: undefined }).options).toBeNull();
    expect(ipv4TcpFields().window).toBe(65535);
  });
});
