/**
 * @module
 * `ReflectionDetector`: signals that someone abused reflectors with a
 * sensor address as the spoofed source, per local day and reflector service
 * (`reflection-ports.ts`):
 *
 * - replies: UDP from a reflector port (53, 123, 19, 1900, 11211, 161, 389,
 *   500, …) to a port that is not one, i.e. answers to queries the sensor
 *   never sent (the seed report's 53/UDP surge);
 * - quoted queries: ICMP time exceeded, or port unreachable, quoting a UDP
 *   query from the sensor address to a reflector port: the spoofed query
 *   itself, bounced on its way to (or at) the reflector.
 *
 * Only IPv4 is attributed; IPv6 replies are counted. State is bounded by
 * days × reflector services.
 */

import { PacketClass, type EnrichedBatch } from '../classify/index.js';
import { IpProto, PacketFlag, type PacketBatch } from '../decode/index.js';
import { formatLocalDate, TzClock } from '../util/tz.js';
import { isReflectorPort, REFLECTOR_UDP_PORTS } from './reflection-ports.js';
import { DistinctCounter } from './scanners-distinct.js';

export interface ReflectionRow {
  /** Local date `YYYY-MM-DD`, or `''` in the all-days totals. */
  day: string;
  /** Reflector service: `53/UDP`. */
  service: string;
  /** Its protocol: `DNS`. */
  protocol: string;
  /** UDP replies from the reflector port. */
  replies: number;
  /** IP bytes of those replies, and their mean (large replies are the amplification). */
  replyBytes: number;
  meanReplyBytes: number;
  /** ICMP time exceeded / port unreachable quoting a spoofed query to the port. */
  quotedQueries: number;
  /** Distinct reflectors: reply sources and quoted query destinations. */
  reflectors: number;
  reflectorsExact: boolean;
  /** Distinct sensor addresses that were spoofed. */
  sensorAddresses: number;
  why: string;
}

export interface ReflectionStats {
  replies: number;
  quotedQueries: number;
  /** IPv6 UDP replies from reflector ports (not attributed). */
  ipv6: number;
}

export interface ReflectionResult {
  /** Per day and service, by day then most packets first. */
  rows: ReflectionRow[];
  /** Per service over all days, most packets first. */
  byService: ReflectionRow[];
  stats: ReflectionStats;
}

export interface ReflectionOptions {
  /** Time zone of the days (default `UTC`). */
  timeZone?: string;
}

const ICMP_UNREACHABLE = 3;
const ICMP_PORT_UNREACHABLE = 3;
const ICMP_TIME_EXCEEDED = 11;
const NS = 1e-9;
/** Cell key = local day * 2^16 + port. */
const PORT_SPAN = 0x10000;

class Cell {
  replies = 0;
  replyBytes = 0;
  quotedQueries = 0;
  readonly reflectors = new DistinctCounter();
  readonly sensors = new DistinctCounter();
}

export class ReflectionDetector {
  private readonly clock: TzClock;
  private readonly cells = new Map<number, Cell>();
  private readonly totals = new Map<number, Cell>();
  private readonly stats: ReflectionStats = { replies: 0, quotedQueries: 0, ipv6: 0 };

  constructor(options: ReflectionOptions = {}) {
    this.clock = new TzClock(options.timeZone ?? 'UTC');
  }

  push(enriched: EnrichedBatch): void {
    const { batch, packetClass } = enriched;
    for (let i = 0; i < batch.length; i++) {
      const cls = packetClass[i];
      const proto = batch.proto[i];
      if (cls === PacketClass.PROBE && proto === IpProto.UDP) {
        const sport = batch.sport[i]!;
        if (!isReflectorPort(sport) || isReflectorPort(batch.dport[i]!)) continue;
        if (batch.ipVersion[i] !== 4) {
          this.stats.ipv6++;
          continue;
        }
        this.stats.replies++;
        const day = this.clock.localDay(batch.tsSec[i]! + batch.tsNsec[i]! * NS);
        addReply(cellOf(this.cells, day * PORT_SPAN + sport), batch, i);
        addReply(cellOf(this.totals, sport), batch, i);
      } else if (cls === PacketClass.ICMP_ERROR && proto === IpProto.ICMP && this.quotesSpoofedQuery(enriched, i)) {
        this.stats.quotedQueries++;
        const day = this.clock.localDay(batch.tsSec[i]! + batch.tsNsec[i]! * NS);
        const port = batch.innerDport[i]!;
        addQuote(cellOf(this.cells, day * PORT_SPAN + port), batch, i);
        addQuote(cellOf(this.totals, port), batch, i);
      }
    }
  }

  finish(): ReflectionResult {
    const rows = [...this.cells].map(([key, cell]) =>
      row(formatLocalDate(Math.floor(key / PORT_SPAN)), key % PORT_SPAN, cell),
    );
    rows.sort((a, b) => a.day.localeCompare(b.day) || total(b) - total(a) || a.service.localeCompare(b.service));
    const byService = [...this.totals].map(([port, cell]) => row('', port, cell));
    byService.sort((a, b) => total(b) - total(a) || a.service.localeCompare(b.service));
    return { rows, byService, stats: { ...this.stats } };
  }

  /** ICMP time exceeded or port unreachable quoting UDP from this packet's destination to a reflector port. */
  private quotesSpoofedQuery(enriched: EnrichedBatch, i: number): boolean {
    const { batch } = enriched;
    const type = batch.icmpType[i];
    const quotedError =
      type === ICMP_TIME_EXCEEDED || (type === ICMP_UNREACHABLE && batch.icmpCode[i] === ICMP_PORT_UNREACHABLE);
    return (
      quotedError &&
      batch.ipVersion[i] === 4 &&
      (batch.pflags[i]! & PacketFlag.HAS_INNER) !== 0 &&
      batch.innerVersion[i] === 4 &&
      batch.innerProto[i] === IpProto.UDP &&
      batch.innerSrc4[i] === batch.dst4[i] &&
      isReflectorPort(batch.innerDport[i]!)
    );
  }
}

function cellOf(map: Map<number, Cell>, key: number): Cell {
  let cell = map.get(key);
  if (cell === undefined) map.set(key, (cell = new Cell()));
  return cell;
}

function addReply(cell: Cell, batch: PacketBatch, i: number): void {
  cell.replies++;
  cell.replyBytes += batch.ipLen[i]!;
  cell.reflectors.add(batch.src4[i]!);
  cell.sensors.add(batch.dst4[i]!);
}

function addQuote(cell: Cell, batch: PacketBatch, i: number): void {
  cell.quotedQueries++;
  cell.reflectors.add(batch.innerDst4[i]!);
  cell.sensors.add(batch.dst4[i]!);
}

const total = (r: ReflectionRow): number => r.replies + r.quotedQueries;

function row(day: string, port: number, cell: Cell): ReflectionRow {
  const service = `${port}/UDP`;
  const protocol = REFLECTOR_UDP_PORTS.get(port) ?? '';
  const reflectors = cell.reflectors.size;
  const sensors = cell.sensors.size;
  const meanReplyBytes = cell.replies === 0 ? 0 : Number((cell.replyBytes / cell.replies).toFixed(1));
  const parts = [];
  if (cell.replies > 0)
    parts.push(`${cell.replies} unsolicited ${protocol} replies (mean ${meanReplyBytes} bytes) from ${service}`);
  if (cell.quotedQueries > 0)
    parts.push(`${cell.quotedQueries} ICMP errors quoting spoofed ${protocol} queries to ${service}`);
  return {
    day,
    service,
    protocol,
    replies: cell.replies,
    replyBytes: cell.replyBytes,
    meanReplyBytes,
    quotedQueries: cell.quotedQueries,
    reflectors,
    reflectorsExact: cell.reflectors.exact,
    sensorAddresses: sensors,
    why:
      `${parts.join(' and ')}, involving ${reflectors} reflector(s) and ${sensors} sensor address(es): ` +
      'reflection abuse with a sensor address spoofed as the victim',
  };
}
