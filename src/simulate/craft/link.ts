/**
 * @module
 * Link-layer headers: Ethernet II with VLAN tags, Linux SLL and SLL2, BSD
 * NULL/LOOP, and raw (none). The protocol field (EtherType or AF) follows the
 * IP version of the packet unless the spec sets it.
 */

import { LinkType } from '../../capture/index.js';
import { macToBytes } from './address.js';
import { uint16, uint32, uint8, uintMax } from './check.js';
import { CraftBuffer } from './craft-buffer.js';
import {
  AddressFamily,
  EtherType,
  type EthernetLink,
  type LinkSpec,
  type PacketSpec,
  type Sll2Link,
  type SllLink,
  type VlanTag,
} from './spec.js';

const MAC_LENGTH = 6;
const ETHERNET_HEADER = 14;
const VLAN_TAG = 4;
const SLL_HEADER = 16;
const SLL2_HEADER = 20;
const SLL_ADDRESS_FIELD = 8;
const NULL_HEADER = 4;
const ARPHRD_ETHER = 1;
const PACKET_HOST = 0;
const DEFAULT_IFINDEX = 1;
const VLAN_ID = { field: 'vlan.id', max: 0xfff };
const VLAN_PRIORITY = { field: 'vlan.priority', max: 7 };
const DEFAULT_SRC_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x01);
const DEFAULT_DST_MAC = Uint8Array.of(0x02, 0, 0, 0, 0, 0x02);
const NO_TAGS: readonly VlanTag[] = [];

/** The pcap LINKTYPE_* value for frames built with `link` (raw without one). */
export function linkTypeOf(link: LinkSpec | undefined): number {
  switch (link?.kind ?? 'raw') {
    case 'ethernet':
      return LinkType.EN10MB;
    case 'sll':
      return LinkType.LINUX_SLL;
    case 'sll2':
      return LinkType.LINUX_SLL2;
    case 'null':
      return LinkType.NULL;
    case 'loop':
      return LinkType.LOOP;
    case 'raw':
      return LinkType.RAW;
  }
  throw new TypeError(`Cannot craft link header: unknown kind "${String((link as { kind: unknown }).kind)}"`);
}

/** Writes the link header of `spec` at `buf.pos` and advances past it. */
export function writeLinkHeader(buf: CraftBuffer, spec: PacketSpec): void {
  if (spec.link !== undefined) writeLink(buf, spec.link, spec.ip?.version);
}

function writeLink(buf: CraftBuffer, link: LinkSpec, version: 4 | 6 | undefined): void {
  switch (link.kind) {
    case 'ethernet':
      writeEthernet(buf, link, version);
      return;
    case 'sll':
      writeSll(buf, link, version);
      return;
    case 'sll2':
      writeSll2(buf, link, version);
      return;
    case 'null':
    case 'loop': {
      const family = link.family ?? familyOf(version);
      const little = (link.byteOrder ?? (link.kind === 'null' ? 'little' : 'big')) === 'little';
      buf.need(NULL_HEADER, 'NULL/LOOP header');
      buf.view.setUint32(buf.pos, uint32(family, 'link.family'), little);
      buf.pos += NULL_HEADER;
      return;
    }
    case 'raw':
      return;
  }
  linkTypeOf(link); // throws for an unknown kind
}

function writeEthernet(buf: CraftBuffer, link: EthernetLink, version?: 4 | 6): void {
  const tags = link.vlans ?? NO_TAGS;
  buf.need(ETHERNET_HEADER + VLAN_TAG * tags.length, 'Ethernet header');
  buf.bytes.set(link.dst === undefined ? DEFAULT_DST_MAC : macToBytes(link.dst, 'eth.dst'), buf.pos);
  buf.bytes.set(link.src === undefined ? DEFAULT_SRC_MAC : macToBytes(link.src, 'eth.src'), buf.pos + MAC_LENGTH);
  let p = buf.pos + 2 * MAC_LENGTH;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    const tpid = tag.tpid ?? EtherType.VLAN;
    if (tpid !== EtherType.VLAN && tpid !== EtherType.QINQ) {
      throw new RangeError(
        `Cannot craft VLAN tag ${i}: tpid is 0x${Number(tpid).toString(16)} (must be 0x8100 or 0x88a8)`,
      );
    }
    const tci =
      (uintMax(tag.priority ?? 0, VLAN_PRIORITY) << 13) |
      (tag.dropEligible === true ? 0x1000 : 0) |
      uintMax(tag.id, VLAN_ID);
    buf.view.setUint16(p, tpid);
    buf.view.setUint16(p + 2, tci);
    p += VLAN_TAG;
  }
  buf.view.setUint16(p, uint16(link.etherType ?? etherTypeOf(version, 'eth.etherType'), 'eth.etherType'));
  buf.pos = p + 2;
}

function writeSll(buf: CraftBuffer, link: SllLink, version?: 4 | 6): void {
  buf.need(SLL_HEADER, 'SLL header');
  const v = buf.view;
  const at = buf.pos;
  v.setUint16(at, uint16(link.packetType ?? PACKET_HOST, 'sll.packetType'));
  v.setUint16(at + 2, uint16(link.hardwareType ?? ARPHRD_ETHER, 'sll.hardwareType'));
  v.setUint16(at + 4, writeSllAddress(buf, link, at + 6));
  v.setUint16(at + 14, uint16(link.protocol ?? etherTypeOf(version, 'sll.protocol'), 'sll.protocol'));
  buf.pos = at + SLL_HEADER;
}

function writeSll2(buf: CraftBuffer, link: Sll2Link, version?: 4 | 6): void {
  buf.need(SLL2_HEADER, 'SLL2 header');
  const v = buf.view;
  const at = buf.pos;
  v.setUint16(at, uint16(link.protocol ?? etherTypeOf(version, 'sll2.protocol'), 'sll2.protocol'));
  v.setUint16(at + 2, 0);
  v.setUint32(at + 4, uint32(link.interfaceIndex ?? DEFAULT_IFINDEX, 'sll2.interfaceIndex'));
  v.setUint16(at + 8, uint16(link.hardwareType ?? ARPHRD_ETHER, 'sll2.hardwareType'));
  v.setUint8(at + 10, uint8(link.packetType ?? PACKET_HOST, 'sll2.packetType'));
  v.setUint8(at + 11, writeSllAddress(buf, link, at + 12));
  buf.pos = at + SLL2_HEADER;
}

/** Fills the 8-byte address field and returns the address length. */
function writeSllAddress(buf: CraftBuffer, link: SllLink | Sll2Link, at: number): number {
  const address =
    link.address === undefined
      ? DEFAULT_SRC_MAC
      : link.address instanceof Uint8Array
        ? link.address
        : macToBytes(link.address, 'sll.address');
  if (address.length > SLL_ADDRESS_FIELD) {
    throw new RangeError(`Cannot craft SLL header: address has ${address.length} bytes (at most 8)`);
  }
  buf.zero(at, at + SLL_ADDRESS_FIELD);
  buf.bytes.set(address, at);
  return address.length;
}

function etherTypeOf(version: 4 | 6 | undefined, field: string): number {
  if (version === 4) return EtherType.IPV4;
  if (version === 6) return EtherType.IPV6;
  throw new TypeError(`Cannot craft link header: ${field} is required when the packet has no IP header`);
}

function familyOf(version: 4 | 6 | undefined): number {
  if (version === 4) return AddressFamily.INET;
  if (version === 6) return AddressFamily.INET6_BSD;
  throw new TypeError('Cannot craft link header: family is required when the packet has no IP header');
}

/**
 * The link header alone, as bytes, for a packet of IP `version`: build it once
 * and hand it to the fast writers as their `linkHeader`.
 */
export function buildLinkHeader(link: LinkSpec, version: 4 | 6): Uint8Array {
  const tags = link.kind === 'ethernet' ? (link.vlans?.length ?? 0) : 0;
  const buf = new CraftBuffer(new Uint8Array(SLL2_HEADER + VLAN_TAG * tags));
  writeLink(buf, link, version);
  return buf.bytes.slice(0, buf.pos);
}
