/**
 * @module
 * Link-layer decoders, one per supported link type, and the table that picks
 * one for a record's link type. Each finds the network header and hands it to
 * the IPv4 or IPv6 decoder; a frame that carries no IP is NON_IP.
 *
 * - EN10MB: Ethernet II, any number of 802.1Q / 802.1ad / 0x9100 VLAN tags;
 *   802.3 length frames and every ethertype other than IPv4/IPv6 are NON_IP.
 * - RAW (101, 12, 14): no header; the IP version nibble decides. An empty
 *   frame is BAD_IP_VERSION (there is no version to read).
 * - LINUX_SLL (16-byte header, protocol at 14) and LINUX_SLL2 (20 bytes,
 *   protocol at 0): the protocol is an ethertype, VLAN tags included.
 * - NULL: 4-byte address family in the capturing host's byte order, read
 *   little-endian first and swapped when that gives more than 16 bits
 *   (as Wireshark does). LOOP: the same in network byte order.
 */
import { LinkType } from '../capture/index.js';
import { DecodeStatus } from './batch.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { cutStatus, type LayerDecoder } from './layer.js';

const ETHERNET_HEADER = 14;
const ETHERTYPE_OFFSET = 12;
const VLAN_TAG = 4;
const SLL_HEADER = 16;
const SLL_PROTOCOL_OFFSET = 14;
const SLL2_HEADER = 20;
const SLL2_PROTOCOL_OFFSET = 0;
const NULL_HEADER = 4;
const MAX_AF_16BIT = 0xffff;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_8021Q = 0x8100;
const ETHERTYPE_8021AD = 0x88a8;
const ETHERTYPE_QINQ_9100 = 0x9100;

const AF_INET = 2;
/** AF_INET6 as NetBSD/OpenBSD, FreeBSD and Darwin number it. */
const AF_INET6_BSD = 24;
const AF_INET6_FREEBSD = 28;
const AF_INET6_DARWIN = 30;
const AF_TABLE_SIZE = 256;

/** Marks a VLAN tag protocol identifier in `ETHERTYPE_KIND`. */
const KIND_VLAN = 1;
const KIND_IPV4 = 4;
const KIND_IPV6 = 6;

/** Ethertype → KIND_IPV4, KIND_IPV6, KIND_VLAN, or 0 for everything else. */
const ETHERTYPE_KIND = new Uint8Array(0x10000);
ETHERTYPE_KIND[ETHERTYPE_IPV4] = KIND_IPV4;
ETHERTYPE_KIND[ETHERTYPE_IPV6] = KIND_IPV6;
ETHERTYPE_KIND[ETHERTYPE_8021Q] = KIND_VLAN;
ETHERTYPE_KIND[ETHERTYPE_8021AD] = KIND_VLAN;
ETHERTYPE_KIND[ETHERTYPE_QINQ_9100] = KIND_VLAN;

/** BSD address family → KIND_IPV4 or KIND_IPV6, 0 for everything else. */
const AF_KIND = new Uint8Array(AF_TABLE_SIZE);
AF_KIND[AF_INET] = KIND_IPV4;
AF_KIND[AF_INET6_BSD] = KIND_IPV6;
AF_KIND[AF_INET6_FREEBSD] = KIND_IPV6;
AF_KIND[AF_INET6_DARWIN] = KIND_IPV6;

function decodeByKind(slot: number, view: DataView, off: number, end: number, kind: number): number {
  if (kind === KIND_IPV4) return decodeIpv4(slot, view, off, end);
  if (kind === KIND_IPV6) return decodeIpv6(slot, view, off, end);
  return DecodeStatus.NON_IP;
}

/** Skips VLAN tags from `type`/`off`, then decodes what the final ethertype names. */
function decodeEthertype(slot: number, view: DataView, type: number, off: number, end: number): number {
  let kind = ETHERTYPE_KIND[type]!;
  while (kind === KIND_VLAN) {
    if (off + VLAN_TAG > end) return cutStatus(slot, off + VLAN_TAG, DecodeStatus.BAD_LINK);
    kind = ETHERTYPE_KIND[view.getUint16(off + 2)]!;
    off += VLAN_TAG;
  }
  return decodeByKind(slot, view, off, end, kind);
}

/** LINKTYPE_ETHERNET (1). */
export function decodeEthernet(slot: number, view: DataView, off: number, end: number): number {
  if (off + ETHERNET_HEADER > end) return cutStatus(slot, off + ETHERNET_HEADER, DecodeStatus.BAD_LINK);
  return decodeEthertype(slot, view, view.getUint16(off + ETHERTYPE_OFFSET), off + ETHERNET_HEADER, end);
}

/** LINKTYPE_RAW (101) and the DLT_RAW values 12 and 14. */
export function decodeRaw(slot: number, view: DataView, off: number, end: number): number {
  if (off >= end) return cutStatus(slot, off + 1, DecodeStatus.BAD_IP_VERSION);
  const version = view.getUint8(off) >>> 4;
  if (version === KIND_IPV4 || version === KIND_IPV6) return decodeByKind(slot, view, off, end, version);
  return DecodeStatus.BAD_IP_VERSION;
}

/** LINKTYPE_LINUX_SLL (113). */
export function decodeLinuxSll(slot: number, view: DataView, off: number, end: number): number {
  if (off + SLL_HEADER > end) return cutStatus(slot, off + SLL_HEADER, DecodeStatus.BAD_LINK);
  return decodeEthertype(slot, view, view.getUint16(off + SLL_PROTOCOL_OFFSET), off + SLL_HEADER, end);
}

/** LINKTYPE_LINUX_SLL2 (276). */
export function decodeLinuxSll2(slot: number, view: DataView, off: number, end: number): number {
  if (off + SLL2_HEADER > end) return cutStatus(slot, off + SLL2_HEADER, DecodeStatus.BAD_LINK);
  return decodeEthertype(slot, view, view.getUint16(off + SLL2_PROTOCOL_OFFSET), off + SLL2_HEADER, end);
}

/** LINKTYPE_NULL (0): address family in the capturing host's byte order. */
export function decodeNull(slot: number, view: DataView, off: number, end: number): number {
  if (off + NULL_HEADER > end) return cutStatus(slot, off + NULL_HEADER, DecodeStatus.BAD_LINK);
  let af = view.getUint32(off, true);
  if (af > MAX_AF_16BIT) af = view.getUint32(off, false);
  return decodeFamily(slot, view, af, off + NULL_HEADER, end);
}

/** LINKTYPE_LOOP (108): address family in network byte order. */
export function decodeLoop(slot: number, view: DataView, off: number, end: number): number {
  if (off + NULL_HEADER > end) return cutStatus(slot, off + NULL_HEADER, DecodeStatus.BAD_LINK);
  return decodeFamily(slot, view, view.getUint32(off, false), off + NULL_HEADER, end);
}

function decodeFamily(slot: number, view: DataView, af: number, off: number, end: number): number {
  const kind = af < AF_TABLE_SIZE ? AF_KIND[af]! : 0;
  return decodeByKind(slot, view, off, end, kind);
}

const LINK_DECODERS = new Map<number, LayerDecoder>([
  [LinkType.EN10MB, decodeEthernet],
  [LinkType.RAW, decodeRaw],
  [LinkType.RAW_DLT12, decodeRaw],
  [LinkType.RAW_DLT14, decodeRaw],
  [LinkType.LINUX_SLL, decodeLinuxSll],
  [LinkType.LINUX_SLL2, decodeLinuxSll2],
  [LinkType.NULL, decodeNull],
  [LinkType.LOOP, decodeLoop],
]);

/** The decoder for a link type, or undefined when the link type is not supported. */
export function linkDecoder(linkType: number): LayerDecoder | undefined {
  return LINK_DECODERS.get(linkType);
}
