/**
 * @module
 * The project's own fixture captures for the decode acceptance suites: the
 * packet catalogue (`fixture-packets.ts`) framed with every supported link
 * type and written with `PcapWriter`/`PcapngWriter` in every format variant
 * (pcap µs/ns in both byte orders, pcapng with several sections, interfaces
 * and packet block kinds, gzip), plus snaplen-cut and non-IP frames.
 */
import { gzipSync } from 'node:zlib';
import { LinkType, PcapWriter, PcapngWriter, type ByteOrder, type PacketBlockKind } from '../../src/capture/index.js';
import {
  EtherType,
  buildLinkHeader,
  buildPacket,
  type EthernetLink,
  type LinkSpec,
} from '../../src/simulate/craft/index.js';
import { SNAP_CUTS, fixturePackets, type NamedPacket } from './fixture-packets.js';

export interface FixtureFrame {
  name: string;
  linkType: number;
  /** The whole frame; `capLen` of it is written, the wire length stays the frame's. */
  bytes: Uint8Array;
  capLen: number;
}

export interface FixtureCapture {
  /** File name, with an extension that tells tshark nothing it does not read from the magic. */
  name: string;
  bytes: Buffer;
  /** Frames in file order. */
  frames: FixtureFrame[];
}

export interface FixtureOptions {
  /** All 512 TCP flag combinations in the Ethernet captures (tshark suite) or a sample (fuzz). */
  allTcpFlags: boolean;
  /** At most this many frames per capture (every n-th catalogue entry is kept). */
  maxFrames?: number;
}

const BASE_SEC = 1_700_000_000;
const NS_STEP = 1_237_001;
const NS_PER_SEC = 1_000_000_000;
const ETHERNET_MIN_FRAME = 60;
const ARP_BODY = 28;
const SHORT_FRAME = 10;
const PCAP_SNAPLEN_SMALL = 96;
const PCAPNG_SNAPLEN_SMALL = 80;

const ETH: EthernetLink = { kind: 'ethernet', src: '00:11:22:33:44:55', dst: '66:77:88:99:aa:bb' };
/** Ethernet variants cycled per packet: untagged, 802.1Q, and 802.1ad over 802.1Q. */
const ETHERNET_LINKS: LinkSpec[] = [
  ETH,
  { ...ETH, vlans: [{ id: 100, priority: 5 }] },
  {
    ...ETH,
    vlans: [
      { id: 300, tpid: 0x88a8 },
      { id: 42, dropEligible: true },
    ],
    minFrameLength: ETHERNET_MIN_FRAME,
  },
];
const LINKS: Record<string, { linkType: number; link?: LinkSpec }> = {
  raw: { linkType: LinkType.RAW },
  raw12: { linkType: LinkType.RAW_DLT12 },
  raw14: { linkType: LinkType.RAW_DLT14 },
  sll: { linkType: LinkType.LINUX_SLL, link: { kind: 'sll', packetType: 4, address: '00:11:22:33:44:55' } },
  sll2: { linkType: LinkType.LINUX_SLL2, link: { kind: 'sll2', interfaceIndex: 7 } },
  nullLe: { linkType: LinkType.NULL, link: { kind: 'null', byteOrder: 'little' } },
  nullBe: { linkType: LinkType.NULL, link: { kind: 'null', byteOrder: 'big' } },
  loop: { linkType: LinkType.LOOP, link: { kind: 'loop' } },
};

function sample<T>(items: T[], max: number | undefined): T[] {
  if (max === undefined || items.length <= max) return items;
  const stride = items.length / max;
  return Array.from({ length: max }, (_, k) => items[Math.floor(k * stride)]!);
}

function whole(name: string, linkType: number, bytes: Uint8Array): FixtureFrame {
  return { name, linkType, bytes, capLen: bytes.length };
}

/** Frames of one link type: the catalogue, then snaplen cuts of a few of them. */
function framesFor(linkType: number, links: LinkSpec[], packets: NamedPacket[]): FixtureFrame[] {
  const frames = packets.map(({ name, packet, patch }, k) => {
    const link = links.length === 0 ? undefined : links[k % links.length]!;
    const bytes = buildPacket({ ...(link === undefined ? {} : { link }), ...packet });
    const ipAt = link === undefined ? 0 : buildLinkHeader(link, packet.ip.version).length;
    for (const [at, value] of patch ?? []) bytes[ipAt + at] = value;
    return whole(name, linkType, bytes);
  });
  const linkLen = (k: number): number => {
    const link = links[k % Math.max(1, links.length)];
    return link === undefined ? 0 : buildLinkHeader(link, 4).length;
  };
  // Cut the first TCP, UDP, ICMP-error and IPv6 packets at each depth.
  const victims = [0, 1, 5, packets.findIndex((p) => p.packet.ip.version === 6)];
  for (const k of victims) {
    for (const cut of SNAP_CUTS) {
      const frame = frames[k]!;
      const capLen = Math.min(frame.bytes.length - 1, linkLen(k) + cut.keep);
      frames.push({ ...frame, name: `${frame.name}, cut ${cut.name}`, capLen });
    }
  }
  if (linkType === LinkType.EN10MB) {
    frames.push(
      whole(
        'ARP (not IP)',
        linkType,
        buildPacket({ link: { ...ETH, etherType: EtherType.ARP }, payload: new Uint8Array(ARP_BODY) }),
      ),
    );
    frames.push({ ...frames[0]!, name: `${frames[0]!.name}, cut inside the Ethernet header`, capLen: SHORT_FRAME });
    frames.push(whole('Ethernet frame shorter than its header', linkType, frames[0]!.bytes.slice(0, SHORT_FRAME)));
  }
  return frames;
}

interface PcapVariant {
  name: string;
  byteOrder: ByteOrder;
  nanosecond: boolean;
  snaplen?: number;
}

function writePcap(variant: PcapVariant, frames: FixtureFrame[]): FixtureCapture {
  const writer = new PcapWriter({
    linkType: frames[0]!.linkType,
    byteOrder: variant.byteOrder,
    nanosecond: variant.nanosecond,
    ...(variant.snaplen === undefined ? {} : { snaplen: variant.snaplen }),
  });
  const written = frames.map((frame, k) => {
    const capLen = Math.min(frame.capLen, variant.snaplen ?? Infinity);
    writer.writePacket({ ...timestamp(k), bytes: frame.bytes.subarray(0, capLen), wireLen: frame.bytes.length });
    return { ...frame, capLen };
  });
  return { name: variant.name, bytes: writer.toBuffer(), frames: written };
}

function timestamp(k: number): { tsSec: number; tsNsec: number } {
  return { tsSec: BASE_SEC + k, tsNsec: (k * NS_STEP) % NS_PER_SEC };
}

/** Two sections (little-endian, then big-endian), several interfaces each, all three packet block kinds. */
function writePcapng(name: string, groups: FixtureFrame[][]): FixtureCapture {
  const [eth = [], raw = [], sll2 = [], nullLe = [], loop = []] = groups;
  const writer = new PcapngWriter({ byteOrder: 'le', userAppl: 'teiten decode acceptance' });
  const frames: FixtureFrame[] = [];
  const put = (frame: FixtureFrame, interfaceId: number, block: PacketBlockKind, snaplen = 0): void => {
    const capLen = snaplen > 0 ? Math.min(frame.capLen, snaplen) : frame.capLen;
    writer.writePacket({
      ...timestamp(frames.length),
      interfaceId,
      block,
      bytes: frame.bytes.subarray(0, capLen),
      wireLen: frame.bytes.length,
    });
    frames.push({ ...frame, capLen });
  };
  writer.addInterface({ linkType: LinkType.EN10MB, name: 'eth0' });
  writer.addInterface({ linkType: LinkType.RAW, tsResolution: { base: 10, exponent: 9 } });
  writer.addInterface({
    linkType: LinkType.LINUX_SLL2,
    snaplen: PCAPNG_SNAPLEN_SMALL,
    tsResolution: { base: 2, exponent: 20 },
  });
  // Simple packet blocks imply interface 0 and carry no captured length: only whole frames.
  eth.forEach((f, k) => put(f, 0, k % 2 === 0 && f.capLen === f.bytes.length ? 'simple' : 'enhanced'));
  raw.forEach((f) => put(f, 1, 'enhanced'));
  sll2.forEach((f) => put(f, 2, 'obsolete', PCAPNG_SNAPLEN_SMALL));
  writer.startSection({ byteOrder: 'be' });
  writer.addInterface({ linkType: LinkType.NULL, tsOffsetSec: 3600 });
  writer.addInterface({ linkType: LinkType.LOOP });
  const longest = Math.max(nullLe.length, loop.length);
  for (let k = 0; k < longest; k++) {
    if (nullLe[k] !== undefined) put(nullLe[k]!, 0, 'enhanced');
    if (loop[k] !== undefined) put(loop[k]!, 1, k % 2 === 0 ? 'obsolete' : 'enhanced');
  }
  return { name, bytes: writer.toBuffer(), frames };
}

/** Every fixture capture: one pcap per link type and format variant, pcapng, gzip and snaplen variants. */
export function fixtureCaptures(options: FixtureOptions): FixtureCapture[] {
  const packets = fixturePackets(options.allTcpFlags);
  const frames = (key: keyof typeof LINKS | 'eth'): FixtureFrame[] => {
    const spec =
      key === 'eth'
        ? { linkType: LinkType.EN10MB, links: ETHERNET_LINKS }
        : { linkType: LINKS[key]!.linkType, links: LINKS[key]!.link === undefined ? [] : [LINKS[key]!.link!] };
    return sample(framesFor(spec.linkType, spec.links, packets), options.maxFrames);
  };
  const us = (byteOrder: ByteOrder): Omit<PcapVariant, 'name'> => ({ byteOrder, nanosecond: false });
  const ns = (byteOrder: ByteOrder): Omit<PcapVariant, 'name'> => ({ byteOrder, nanosecond: true });
  const captures = [
    writePcap({ name: 'en10mb-us-le.pcap', ...us('le') }, frames('eth')),
    writePcap({ name: 'en10mb-snap96-ns-be.pcap', ...ns('be'), snaplen: PCAP_SNAPLEN_SMALL }, frames('eth')),
    writePcap({ name: 'raw101-ns-be.pcap', ...ns('be') }, frames('raw')),
    writePcap({ name: 'raw12-us-be.pcap', ...us('be') }, frames('raw12')),
    writePcap({ name: 'raw14-ns-le.pcap', ...ns('le') }, frames('raw14')),
    writePcap({ name: 'sll-us-le.pcap', ...us('le') }, frames('sll')),
    writePcap({ name: 'sll2-ns-le.pcap', ...ns('le') }, frames('sll2')),
    writePcap({ name: 'null-le-us-le.pcap', ...us('le') }, frames('nullLe')),
    writePcap({ name: 'null-be-us-be.pcap', ...us('be') }, frames('nullBe')),
    writePcap({ name: 'loop-us-be.pcap', ...us('be') }, frames('loop')),
    writePcapng('sections.pcapng', [frames('eth'), frames('raw'), frames('sll2'), frames('nullLe'), frames('loop')]),
  ];
  const gzipped = [captures[0]!, captures[10]!].map((c) => ({ ...c, name: `${c.name}.gz`, bytes: gzipSync(c.bytes) }));
  return [...captures, ...gzipped];
}
