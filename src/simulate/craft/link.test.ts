import { describe, expect, it } from 'vitest';
import { LinkType } from '../../capture/record.js';
import { buildLinkHeader, linkTypeOf } from './link.js';
import { buildPacket } from './packet.js';
import type { IpSpec, LinkSpec } from './spec.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const V4: IpSpec = { version: 4, src: 1, dst: 2, protocol: 253 };
const V6: IpSpec = { version: 6, src: '::1', dst: '::2' };
const header = (link: LinkSpec, ip: IpSpec = V4): string => {
  const frame = buildPacket({ link, ip });
  return hex(frame.subarray(0, frame.length - (ip.version === 4 ? 20 : 40)));
};

describe('link', () => {
  it('linkTypeOf() maps each link kind to its LINKTYPE value', () => {
    expect(linkTypeOf(undefined)).toBe(LinkType.RAW);
    expect(linkTypeOf({ kind: 'ethernet' })).toBe(LinkType.EN10MB);
    expect(linkTypeOf({ kind: 'sll' })).toBe(LinkType.LINUX_SLL);
    expect(linkTypeOf({ kind: 'sll2' })).toBe(LinkType.LINUX_SLL2);
    expect(linkTypeOf({ kind: 'null' })).toBe(LinkType.NULL);
    expect(linkTypeOf({ kind: 'loop' })).toBe(LinkType.LOOP);
    expect(() => linkTypeOf({ kind: 'ppp' } as unknown as LinkSpec)).toThrow(/unknown kind "ppp"/);
  });

  it('writeLinkHeader() writes Ethernet II with default MACs and the IP EtherType', () => {
    expect(header({ kind: 'ethernet' })).toBe('020000000002' + '020000000001' + '0800');
    expect(header({ kind: 'ethernet', src: 'aa:bb:cc:dd:ee:ff', dst: Uint8Array.of(1, 2, 3, 4, 5, 6) }, V6)).toBe(
      '010203040506' + 'aabbccddeeff' + '86dd',
    );
  });

  it('writeLinkHeader() writes VLAN tags outermost first with priority, DEI and TPID', () => {
    const link: LinkSpec = {
      kind: 'ethernet',
      vlans: [
        { id: 300, tpid: 0x88a8 },
        { id: 100, priority: 5, dropEligible: true },
      ],
    };
    expect(header(link).slice(24)).toBe('88a8012c' + '8100b064' + '0800');
  });

  it('writeLinkHeader() rejects a bad VLAN id or TPID', () => {
    expect(() => header({ kind: 'ethernet', vlans: [{ id: 4096 }] })).toThrow(/vlan\.id is 4096/);
    expect(() => header({ kind: 'ethernet', vlans: [{ id: 1, tpid: 0x9100 as 0x8100 }] })).toThrow(/tpid is 0x9100/);
  });

  it('writeLinkHeader() writes a Linux SLL header', () => {
    expect(header({ kind: 'sll', packetType: 4, address: '00:11:22:33:44:55' })).toBe(
      '0004' + '0001' + '0006' + '0011223344550000' + '0800',
    );
    expect(header({ kind: 'sll', hardwareType: 772, address: new Uint8Array(0) }, V6)).toBe(
      '0000' + '0304' + '0000' + '0'.repeat(16) + '86dd',
    );
    expect(() => header({ kind: 'sll', address: new Uint8Array(9) })).toThrow(/address has 9 bytes/);
  });

  it('writeLinkHeader() writes a Linux SLL2 header', () => {
    expect(header({ kind: 'sll2', interfaceIndex: 7, packetType: 1 }, V6)).toBe(
      '86dd' + '0000' + '00000007' + '0001' + '01' + '06' + '0200000000010000',
    );
  });

  it('writeLinkHeader() writes the AF in host order for NULL and network order for LOOP', () => {
    expect(header({ kind: 'null' })).toBe('02000000');
    expect(header({ kind: 'null' }, V6)).toBe('18000000');
    expect(header({ kind: 'null', byteOrder: 'big', family: 30 }, V6)).toBe('0000001e');
    expect(header({ kind: 'loop' }, V6)).toBe('00000018');
    expect(header({ kind: 'loop', byteOrder: 'little' })).toBe('02000000');
    expect(() => buildPacket({ link: { kind: 'null' }, payload: 'x' })).toThrow(/family is required/);
  });

  it('writeLinkHeader() writes nothing for raw', () => {
    expect(header({ kind: 'raw' })).toBe('');
  });

  it('buildLinkHeader() returns the same bytes that prefix a built frame', () => {
    const links: LinkSpec[] = [
      { kind: 'ethernet', vlans: [{ id: 5 }] },
      { kind: 'sll' },
      { kind: 'sll2' },
      { kind: 'null' },
      { kind: 'raw' },
    ];
    for (const link of links) expect(hex(buildLinkHeader(link, 6)), link.kind).toBe(header(link, V6));
  });
});
