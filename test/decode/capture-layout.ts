/**
 * @module
 * Where the length and type fields of a valid, uncompressed capture sit, for
 * the fuzz suite's "length-field lies": pcap file and record headers, pcapng
 * block lengths and packet block fields, and inside each frame the link
 * protocol field, IPv4 IHL / total length / fragment field / protocol, IPv6
 * payload length and next-header chain, TCP data offset and flags, UDP
 * length. Found by a walker of its own, independent of the reader under test.
 */

export interface FieldTarget {
  /** Byte offset in the file. */
  offset: number;
  /** Width in bytes; with `nibble`, only that half of the byte is the field. */
  size: 1 | 2 | 4;
  littleEndian: boolean;
  /** For 4-bit fields (IHL, TCP data offset, IP version). */
  nibble?: 'high' | 'low';
  name: string;
}

export interface CaptureLayout {
  targets: FieldTarget[];
  /** File offsets where records or blocks end (valid places to cut a prefix). */
  recordEnds: number[];
}

const PCAP_HEADER = 24;
const PCAP_RECORD = 16;
const PCAP_MAGICS_LE = new Set([0xa1b2c3d4, 0xa1b23c4d]);
const PCAP_MAGICS_BE = new Set([0xd4c3b2a1, 0x4d3cb2a1]);
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;
const BLOCK_IDB = 1;
const BLOCK_OPB = 2;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
const MIN_BLOCK = 12;

const LINK_NULL = 0;
const LINK_EN10MB = 1;
const LINK_LOOP = 108;
const LINK_SLL = 113;
const LINK_SLL2 = 276;
const VLAN_TPIDS = new Set([0x8100, 0x88a8, 0x9100]);
const IPV6_EXT_8 = new Set([0, 43, 60]);
const IPV6_FRAGMENT = 44;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

/** The layout of a valid pcap or pcapng file; an empty layout for anything else (gzip). */
export function captureLayout(bytes: Uint8Array): CaptureLayout {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layout: CaptureLayout = { targets: [], recordEnds: [] };
  if (bytes.length < PCAP_HEADER) return layout;
  const magic = view.getUint32(0, true);
  if (PCAP_MAGICS_LE.has(magic) || PCAP_MAGICS_BE.has(magic)) walkPcap(view, PCAP_MAGICS_LE.has(magic), layout);
  else if (magic === PCAPNG_SHB) walkPcapng(view, layout);
  return layout;
}

function walkPcap(view: DataView, le: boolean, layout: CaptureLayout): void {
  const t = layout.targets;
  t.push(
    { offset: 4, size: 2, littleEndian: le, name: 'pcap version' },
    { offset: 16, size: 4, littleEndian: le, name: 'pcap snaplen' },
  );
  t.push({ offset: 20, size: 4, littleEndian: le, name: 'pcap link type' });
  const linkType = view.getUint32(20, le);
  for (let at = PCAP_HEADER; at + PCAP_RECORD <= view.byteLength;) {
    const capLen = view.getUint32(at + 8, le);
    if (at + PCAP_RECORD + capLen > view.byteLength) break;
    t.push(
      { offset: at + 8, size: 4, littleEndian: le, name: 'pcap caplen' },
      { offset: at + 12, size: 4, littleEndian: le, name: 'pcap len' },
    );
    frameTargets(view, at + PCAP_RECORD, capLen, linkType, t);
    at += PCAP_RECORD + capLen;
    layout.recordEnds.push(at);
  }
}

function walkPcapng(view: DataView, layout: CaptureLayout): void {
  const t = layout.targets;
  let le = true;
  const linkTypes: number[] = [];
  for (let at = 0; at + MIN_BLOCK <= view.byteLength;) {
    const type = view.getUint32(at, le);
    if (type === PCAPNG_SHB) {
      le = view.getUint32(at + 8, true) === PCAPNG_BOM;
      linkTypes.length = 0;
    }
    const total = view.getUint32(at + 4, le);
    if (total < MIN_BLOCK || at + total > view.byteLength) break;
    t.push({ offset: at + 4, size: 4, littleEndian: le, name: 'pcapng block length' });
    t.push({ offset: at + total - 4, size: 4, littleEndian: le, name: 'pcapng trailing block length' });
    if (type === BLOCK_IDB) {
      linkTypes.push(view.getUint16(at + 8, le));
      t.push(
        { offset: at + 8, size: 2, littleEndian: le, name: 'pcapng link type' },
        { offset: at + 12, size: 4, littleEndian: le, name: 'pcapng snaplen' },
      );
    } else if (type === BLOCK_EPB || type === BLOCK_OPB) {
      const capLen = view.getUint32(at + 20, le);
      const ifId = type === BLOCK_EPB ? view.getUint32(at + 8, le) : view.getUint16(at + 8, le);
      t.push({ offset: at + 8, size: type === BLOCK_EPB ? 4 : 2, littleEndian: le, name: 'pcapng interface id' });
      t.push(
        { offset: at + 20, size: 4, littleEndian: le, name: 'pcapng caplen' },
        { offset: at + 24, size: 4, littleEndian: le, name: 'pcapng original length' },
      );
      frameTargets(view, at + 28, Math.min(capLen, total - 32), linkTypes[ifId] ?? -1, t);
    } else if (type === BLOCK_SPB) {
      t.push({ offset: at + 8, size: 4, littleEndian: le, name: 'pcapng SPB original length' });
      frameTargets(view, at + 12, Math.min(view.getUint32(at + 8, le), total - 16), linkTypes[0] ?? -1, t);
    }
    at += total;
    layout.recordEnds.push(at);
  }
}

/** Targets inside one frame of `len` bytes at `off`. */
function frameTargets(view: DataView, off: number, len: number, linkType: number, t: FieldTarget[]): void {
  const end = off + len;
  const be = (offset: number, size: 1 | 2 | 4, name: string, nibble?: 'high' | 'low'): void => {
    if (offset + size <= end)
      t.push({ offset, size, littleEndian: false, name, ...(nibble === undefined ? {} : { nibble }) });
  };
  let ip = off;
  if (linkType === LINK_EN10MB) {
    ip = off + 12;
    while (ip + 2 <= end && VLAN_TPIDS.has(view.getUint16(ip))) ip += 4;
    be(ip, 2, 'ethertype');
    ip += 2;
  } else if (linkType === LINK_SLL || linkType === LINK_SLL2) {
    be(linkType === LINK_SLL ? off + 14 : off, 2, 'SLL protocol');
    ip = off + (linkType === LINK_SLL ? 16 : 20);
  } else if (linkType === LINK_NULL || linkType === LINK_LOOP) {
    be(off, 4, 'NULL/LOOP family');
    ip = off + 4;
  } else if (linkType < 0) {
    return;
  }
  if (ip >= end) return;
  be(ip, 1, 'IP version', 'high');
  let l4: number;
  let proto: number;
  if (view.getUint8(ip) >>> 4 === 4) {
    be(ip, 1, 'IPv4 IHL', 'low');
    be(ip + 2, 2, 'IPv4 total length');
    be(ip + 6, 2, 'IPv4 fragment field');
    be(ip + 9, 1, 'IPv4 protocol');
    if (ip + 20 > end) return;
    l4 = ip + (view.getUint8(ip) & 0x0f) * 4;
    proto = view.getUint8(ip + 9);
  } else {
    be(ip + 4, 2, 'IPv6 payload length');
    be(ip + 6, 1, 'IPv6 next header');
    if (ip + 40 > end) return;
    [l4, proto] = walkIpv6(view, ip + 40, end, view.getUint8(ip + 6), t);
  }
  if (proto === PROTO_TCP) {
    be(l4 + 12, 1, 'TCP data offset', 'high');
    be(l4 + 13, 1, 'TCP flags');
  } else if (proto === PROTO_UDP) {
    be(l4 + 4, 2, 'UDP length');
  }
}

function walkIpv6(view: DataView, at: number, end: number, nh: number, t: FieldTarget[]): [number, number] {
  while ((IPV6_EXT_8.has(nh) || nh === IPV6_FRAGMENT) && at + 2 <= end) {
    t.push({ offset: at, size: 1, littleEndian: false, name: 'IPv6 extension next header' });
    if (nh !== IPV6_FRAGMENT) t.push({ offset: at + 1, size: 1, littleEndian: false, name: 'IPv6 extension length' });
    const len = nh === IPV6_FRAGMENT ? 8 : (view.getUint8(at + 1) + 1) * 8;
    nh = view.getUint8(at);
    at += len;
  }
  return [at, nh];
}
