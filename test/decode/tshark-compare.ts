/**
 * @module
 * Compares one packet of a decoded `PacketBatch` with tshark's row for the
 * same frame, field by field: addresses, protocol, TTL/hop limit, IP id and
 * length, fragment offset and flags, ports, TCP flags, sequence and
 * acknowledgement numbers, window and header length, ICMP type and code, and
 * the packet an ICMP error quotes.
 *
 * Each field teiten decoded is claimed: tshark must print the same value. A
 * field tshark did not print, a port pair it printed only half of, or a layer
 * only one side decoded is a difference. Every difference is either a
 * mismatch or an entry of `ACCEPTED_DIFFERENCES` whose guard holds for the
 * packet, counted by kind.
 */
import { DecodeStatus, DECODE_STATUS_NAMES, IpProto, PacketFlag, type PacketBatch } from '../../src/decode/index.js';
import { ACCEPTED_DIFFERENCES, type DifferenceKind } from './accepted-differences.js';
import { IPV6_EXT_NEXT, ipLayerAt, layerValue, type IpLayer, type TsharkRow } from './tshark-fields.js';
import { formatIpv4, formatIpv6 } from '../../src/util/ip-address.js';

/** Every field the comparison reads, and the `frame.protocols` token of its layer. */
const FIELD_LAYERS: Record<string, string> = {
  'frame.cap_len': 'frame',
  'frame.len': 'frame',
  'ip.src': 'ip',
  'ip.dst': 'ip',
  'ip.proto': 'ip',
  'ip.ttl': 'ip',
  'ip.id': 'ip',
  'ip.len': 'ip',
  'ip.frag_offset': 'ip',
  'ip.flags.df': 'ip',
  'ip.flags.mf': 'ip',
  'ip.hdr_len': 'ip',
  'ipv6.src': 'ipv6',
  'ipv6.dst': 'ipv6',
  'ipv6.nxt': 'ipv6',
  'ipv6.hlim': 'ipv6',
  'ipv6.plen': 'ipv6',
  'ipv6.hopopts.nxt': 'ipv6.hopopts',
  'ipv6.dstopts.nxt': 'ipv6.dstopts',
  'ipv6.routing.nxt': 'ipv6.routing',
  'ipv6.fraghdr.nxt': 'ipv6.fraghdr',
  'ipv6.fraghdr.offset': 'ipv6.fraghdr',
  'ipv6.fraghdr.more': 'ipv6.fraghdr',
  'ipv6.fraghdr.ident': 'ipv6.fraghdr',
  'tcp.srcport': 'tcp',
  'tcp.dstport': 'tcp',
  'tcp.flags': 'tcp',
  'tcp.seq': 'tcp',
  'tcp.ack': 'tcp',
  'tcp.window_size_value': 'tcp',
  'tcp.hdr_len': 'tcp',
  'udp.srcport': 'udp',
  'udp.dstport': 'udp',
  'icmp.type': 'icmp',
  'icmp.code': 'icmp',
  'icmpv6.type': 'icmpv6',
  'icmpv6.code': 'icmpv6',
};
export const COMPARED_FIELDS = Object.keys(FIELD_LAYERS);

const TCP_DEFINED_FLAGS = 0x1ff;
const FRAG_UNIT = 8;
const IPV4_MIN_HEADER = 20;
const TCP_MIN_HEADER = 20;
const IPV6_HEADER = 40;
const MAX_EXAMPLES = 40;

export class ComparisonReport {
  frames = 0;
  comparisons = 0;
  mismatches = 0;
  readonly examples: string[] = [];
  readonly accepted = new Map<DifferenceKind, number>();

  mismatch(frame: number, field: string, ours: unknown, theirs: unknown): void {
    this.mismatches++;
    if (this.examples.length < MAX_EXAMPLES)
      this.examples.push(`frame ${frame} ${field}: teiten ${String(ours)}, tshark ${String(theirs)}`);
  }

  summary(): string {
    const accepted = [...this.accepted].map(([kind, n]) => `${kind} ${n}`).join(', ') || 'none';
    return `${this.frames} frames, ${this.comparisons} field comparisons, ${this.mismatches} mismatches; accepted differences: ${accepted}`;
  }
}

class PacketComparer {
  constructor(
    readonly report: ComparisonReport,
    readonly batch: PacketBatch,
    readonly i: number,
    readonly row: TsharkRow,
  ) {}

  value(field: string, index: number): string | undefined {
    return layerValue(this.row, field, FIELD_LAYERS[field]!, index);
  }

  /** Records a difference: accepted when its kind's guard holds for this packet, a mismatch otherwise. */
  differ(kind: DifferenceKind, field: string, ours: unknown, theirs: unknown): void {
    if (ACCEPTED_DIFFERENCES[kind].applies(this.batch, this.i)) {
      this.report.accepted.set(kind, (this.report.accepted.get(kind) ?? 0) + 1);
    } else {
      this.report.mismatch(
        this.row.frame,
        `${field} (${kind} not accepted with status ${this.statusName()})`,
        ours,
        theirs,
      );
    }
  }

  /** The kind of difference a field only one side decoded is: a lying IP length, or a partial header. */
  stopKind(): DifferenceKind {
    return this.batch.status[this.i] === DecodeStatus.BAD_IP_LENGTH ? 'badIpLength' : 'partialHeader';
  }

  statusName(): string {
    return DECODE_STATUS_NAMES[this.batch.status[this.i]!] ?? 'unknown';
  }

  /**
   * A claim: tshark must print this value, or, on a malformed or cut packet,
   * may have stopped before the field. Numbers compare numerically (tshark
   * prints some in hex).
   */
  claim(field: string, index: number, ours: number | string): void {
    const theirs = this.value(field, index);
    this.report.comparisons++;
    if (theirs === undefined) this.differ(this.stopKind(), field, ours, 'absent');
    else if (typeof ours === 'string' ? theirs !== ours : Number(theirs) !== ours)
      this.report.mismatch(this.row.frame, field, ours, theirs);
  }

  /** An optional pair (ports): compared when tshark printed both, else an accepted partial header. */
  pair(fields: [string, string], index: number, ours: [number, number]): void {
    const theirs = fields.map((f) => this.value(f, index));
    if (theirs[0] === undefined || theirs[1] === undefined)
      return this.differ('partialHeader', fields.join('+'), ours, theirs);
    this.claim(fields[0], index, ours[0]);
    this.claim(fields[1], index, ours[1]);
  }

  /** Upper-layer protocol of an IPv6 chain in tshark's row: the last next-header field printed. */
  ipv6Proto(ip: IpLayer): string | undefined {
    const last = ip.exts.at(-1);
    return last === undefined
      ? this.value('ipv6.nxt', ip.index)
      : this.value(IPV6_EXT_NEXT[this.row.layers[last]!]!, last);
  }
}

/** Compares packet `i` of `batch` with tshark's `row`, adding to `report`. */
export function comparePacket(report: ComparisonReport, batch: PacketBatch, i: number, row: TsharkRow): void {
  const c = new PacketComparer(report, batch, i, row);
  report.frames++;
  c.claim('frame.cap_len', 0, batch.capLen[i]!);
  c.claim('frame.len', 0, batch.wireLen[i]!);
  const layers = row.layers;
  const firstIp = layers.findIndex((t) => t === 'ip' || t === 'ipv6');
  const outer = firstIp < 0 ? undefined : ipLayerAt(layers, firstIp);
  const version = batch.ipVersion[i]!;
  if (version === 0) {
    if (outer !== undefined && c.value(`${outer.token}.dst`, outer.index) !== undefined)
      c.differ('partialHeader', `${outer.token}.dst`, 'no IP header', 'decoded');
    return;
  }
  if (outer === undefined || outer.token !== (version === 4 ? 'ip' : 'ipv6')) {
    report.mismatch(row.frame, 'IP layer', `IPv${version}`, layers.join(':'));
    return;
  }
  if (!compareIp(c, batch, i, outer)) return;
  const l4 = compareTransport(c, batch, i, outer);
  compareQuote(c, batch, i, layers, outer);
  // Any further IP layer is a tunnel or a payload tshark guessed: outside what teiten decodes.
  const inner = l4 === 'icmp' || l4 === 'icmpv6' ? ipLayerAt(layers, outer.next + 1) : undefined;
  const extra = layers.slice(inner?.next ?? outer.next).some((t) => t === 'ip' || t === 'ipv6');
  if (extra) c.differ('tunnel', 'frame.protocols', 'stops at the transport', layers.join(':'));
}

/** Compares the outer IP header; false when the layers above are not comparable (a jumbogram). */
function compareIp(c: PacketComparer, b: PacketBatch, i: number, ip: IpLayer): boolean {
  const at = ip.index;
  const flags = b.pflags[i]!;
  if (ip.token === 'ip') {
    c.claim('ip.src', at, formatIpv4(b.src4[i]!));
    c.claim('ip.dst', at, formatIpv4(b.dst4[i]!));
    c.claim('ip.proto', at, b.proto[i]!);
    c.claim('ip.ttl', at, b.ttl[i]!);
    c.claim('ip.id', at, b.ipId[i]!);
    c.claim('ip.len', at, b.ipLen[i]!);
    c.claim('ip.frag_offset', at, b.fragOffset[i]! / FRAG_UNIT);
    c.claim('ip.flags.df', at, (flags & PacketFlag.DONT_FRAGMENT) === 0 ? 0 : 1);
    c.claim('ip.flags.mf', at, (flags & PacketFlag.MORE_FRAGMENTS) === 0 ? 0 : 1);
    const options = (flags & PacketFlag.IP_OPTIONS) !== 0;
    const hdrLen = Number(c.value('ip.hdr_len', at));
    c.report.comparisons++;
    if (options !== hdrLen > IPV4_MIN_HEADER)
      c.report.mismatch(c.row.frame, 'ip.hdr_len vs IP_OPTIONS', options, hdrLen);
    return true;
  }
  c.claim('ipv6.src', at, formatIpv6(b.src6, i * 16));
  c.claim('ipv6.dst', at, formatIpv6(b.dst6, i * 16));
  c.claim('ipv6.hlim', at, b.ttl[i]!);
  const plen = b.ipLen[i]! - IPV6_HEADER;
  if (c.value('ipv6.plen', at) === '0' && plen !== 0) {
    c.differ('jumbogram', 'ipv6.plen and the layers above', plen, 0);
    return false;
  }
  c.claim('ipv6.plen', at, plen);
  if (b.status[i] === DecodeStatus.BAD_IP_LENGTH) {
    // teiten does not walk the chain of a packet whose length it cannot trust: proto is the first next header.
    c.claim('ipv6.nxt', at, b.proto[i]!);
    if (ip.exts.length > 0) c.differ('badIpLength', 'IPv6 extension headers', 'not walked', ip.exts.length);
    return true;
  }
  compareChainProto(c, ip, b.proto[i]!, 'ipv6 upper-layer protocol');
  const frag = ip.exts.find((k) => c.row.layers[k] === 'ipv6.fraghdr');
  if (frag !== undefined) {
    c.claim('ipv6.fraghdr.offset', frag, b.fragOffset[i]! / FRAG_UNIT);
    c.claim('ipv6.fraghdr.ident', frag, b.ipId[i]!);
    c.claim('ipv6.fraghdr.more', frag, (flags & PacketFlag.MORE_FRAGMENTS) === 0 ? 0 : 1);
  }
  return true;
}

/**
 * Compares the protocol after an IPv6 header chain. When the chain is cut,
 * teiten names the extension header it could not read, while tshark's last
 * printed next-header field is that header's successor: a partial header.
 */
function compareChainProto(c: PacketComparer, ip: IpLayer, ours: number, field: string): void {
  const theirs = c.ipv6Proto(ip);
  const unfinished = ip.exts.length > 0 && ip.next >= c.row.layers.length;
  if (theirs === undefined || (unfinished && Number(theirs) !== ours))
    c.differ('partialHeader', field, ours, theirs ?? 'absent');
  else compareNumber(c, field, ours, theirs);
}

function compareNumber(c: PacketComparer, field: string, ours: number, theirs: string): void {
  c.report.comparisons++;
  if (Number(theirs) !== ours) c.report.mismatch(c.row.frame, field, ours, theirs);
}

/** Compares the outer transport header; returns its layer token when teiten decoded one. */
function compareTransport(c: PacketComparer, b: PacketBatch, i: number, ip: IpLayer): string | undefined {
  const status = b.status[i]!;
  const proto = b.proto[i]!;
  const at = ip.next;
  const token = c.row.layers[at];
  const nonFirst = (b.pflags[i]! & PacketFlag.FRAGMENT) !== 0;
  const reached =
    !nonFirst &&
    (status === DecodeStatus.OK ||
      status === DecodeStatus.TRUNCATED ||
      status === DecodeStatus.SHORT_L4 ||
      status === DecodeStatus.BAD_TCP_HEADER ||
      status === DecodeStatus.BAD_UDP_LENGTH);
  const mine =
    proto === IpProto.TCP
      ? 'tcp'
      : proto === IpProto.UDP
        ? 'udp'
        : proto === IpProto.ICMP
          ? 'icmp'
          : proto === IpProto.ICMPV6
            ? 'icmpv6'
            : undefined;
  if (!reached || mine === undefined) {
    if (token === 'tcp' || token === 'udp' || token === 'icmp' || token === 'icmpv6') {
      c.differ(c.stopKind(), `${token} header`, 'not decoded', 'decoded');
    }
    return undefined;
  }
  const ok = status === DecodeStatus.OK;
  if (ok && token !== mine) {
    c.report.mismatch(c.row.frame, 'transport layer', mine, token);
    return undefined;
  }
  if (mine === 'tcp') {
    c.pair(['tcp.srcport', 'tcp.dstport'], at, [b.sport[i]!, b.dport[i]!]);
    if (ok || b.tcpHdrLen[i] !== 0 || status === DecodeStatus.BAD_TCP_HEADER) compareTcp(c, b, i, at);
  } else if (mine === 'udp') {
    c.pair(['udp.srcport', 'udp.dstport'], at, [b.sport[i]!, b.dport[i]!]);
  } else if (ok) {
    c.claim(`${mine}.type`, at, b.icmpType[i]!);
    c.claim(`${mine}.code`, at, b.icmpCode[i]!);
  } else {
    c.pair([`${mine}.type`, `${mine}.code`], at, [b.icmpType[i]!, b.icmpCode[i]!]);
  }
  return mine;
}

/** TCP's fixed fields (reached only once the 20-byte header was present). */
function compareTcp(c: PacketComparer, b: PacketBatch, i: number, at: number): void {
  c.claim('tcp.seq', at, b.tcpSeq[i]!);
  c.claim('tcp.ack', at, b.tcpAck[i]!);
  c.claim('tcp.window_size_value', at, b.tcpWin[i]!);
  const hdrLen = c.value('tcp.hdr_len', at);
  if (b.tcpHdrLen[i] === 0 && hdrLen !== undefined && Number(hdrLen) < TCP_MIN_HEADER)
    c.differ('bogusTcpDataOffset', 'tcp.hdr_len', 0, hdrLen);
  else c.claim('tcp.hdr_len', at, b.tcpHdrLen[i]!);
  const flags = Number(c.value('tcp.flags', at));
  if (flags > TCP_DEFINED_FLAGS && (flags & TCP_DEFINED_FLAGS) === b.tcpFlags[i])
    c.differ('reservedTcpBits', 'tcp.flags', b.tcpFlags[i], flags);
  else c.claim('tcp.flags', at, b.tcpFlags[i]!);
}

/** Compares the packet quoted by an ICMP error with tshark's second IP layer. */
function compareQuote(c: PacketComparer, b: PacketBatch, i: number, layers: string[], outer: IpLayer): void {
  const icmp = layers[outer.next];
  const inner = icmp === 'icmp' || icmp === 'icmpv6' ? ipLayerAt(layers, outer.next + 1) : undefined;
  const version = b.innerVersion[i]!;
  if (version === 0) {
    if (inner !== undefined && c.value(`${inner.token}.dst`, inner.index) !== undefined)
      c.differ(c.stopKind(), 'quoted IP header', 'not decoded', 'decoded');
    return;
  }
  if (inner === undefined || inner.token !== (version === 4 ? 'ip' : 'ipv6')) {
    c.report.mismatch(c.row.frame, 'quoted IP layer', `IPv${version}`, layers.join(':'));
    return;
  }
  const v4 = version === 4;
  c.claim(`${inner.token}.src`, inner.index, v4 ? formatIpv4(b.innerSrc4[i]!) : formatIpv6(b.innerSrc6, i * 16));
  c.claim(`${inner.token}.dst`, inner.index, v4 ? formatIpv4(b.innerDst4[i]!) : formatIpv6(b.innerDst6, i * 16));
  if (v4) c.claim('ip.proto', inner.index, b.innerProto[i]!);
  else compareChainProto(c, inner, b.innerProto[i]!, 'quoted protocol');
  const l4 = layers[inner.next];
  const innerProto = b.innerProto[i]!;
  if ((innerProto === IpProto.TCP && l4 === 'tcp') || (innerProto === IpProto.UDP && l4 === 'udp')) {
    c.pair([`${l4}.srcport`, `${l4}.dstport`], inner.next, [b.innerSport[i]!, b.innerDport[i]!]);
  } else if (b.innerSport[i] !== 0 || b.innerDport[i] !== 0) {
    c.report.mismatch(
      c.row.frame,
      'quoted transport ports',
      `${b.innerSport[i]}/${b.innerDport[i]}`,
      `layer ${l4 ?? 'absent'}`,
    );
  }
}
