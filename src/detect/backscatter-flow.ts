/**
 * @module
 * `BackscatterFlow`: the running state of one (victim, protocol) flow, as
 * Moore et al. group backscatter: packets, time span, response kinds, victim
 * ports, sensor addresses hit and the busiest minute. Bounded: the ports and
 * addresses live in fixed-size summaries (`scanners-top-keys.ts`,
 * `scanners-distinct.ts`), whatever the attack's size.
 *
 * Packets are expected in time order (a capture, or captures of one sensor
 * in sequence); a packet older than the flow's current minute still counts
 * in every total, only not in the per-minute peak.
 */

import { IP_PROTO_NAMES } from '../classify/index.js';
import { BACKSCATTER_KIND_COUNT, type BackscatterPacket } from './backscatter-kinds.js';
import { DistinctCounter } from './scanners-distinct.js';
import { TopKeys } from './scanners-top-keys.js';

export const SECONDS_PER_MINUTE = 60;
/** Port key for an attack protocol without ports (ICMP): above every real port. */
export const NO_VICTIM_PORT = 0x10000;

export class BackscatterFlow {
  readonly victim: number;
  readonly proto: number;
  readonly country: number;
  readonly start: number;
  end: number;
  packets = 0;
  /** Packets per `BackscatterKind` (a plain array: cheaper to allocate per flow than a typed one). */
  readonly kinds = new Array<number>(BACKSCATTER_KIND_COUNT).fill(0);
  readonly ports: TopKeys;
  readonly distinctPorts = new DistinctCounter();
  readonly sensors = new DistinctCounter();
  private minute = -1;
  private minuteCount = 0;
  private peakMinuteCount = 0;

  constructor(pkt: BackscatterPacket, init: { ts: number; country: number; topPorts: number }) {
    this.victim = pkt.victim;
    this.proto = pkt.proto;
    this.country = init.country;
    this.start = init.ts;
    this.end = init.ts;
    this.ports = new TopKeys(init.topPorts);
  }

  add(pkt: BackscatterPacket, ts: number): void {
    this.packets++;
    if (ts > this.end) this.end = ts;
    this.kinds[pkt.kind]!++;
    const port = pkt.port < 0 ? NO_VICTIM_PORT : pkt.port;
    this.ports.add(port);
    this.distinctPorts.add(port);
    this.sensors.add(pkt.sensor);
    const minute = Math.floor(ts / SECONDS_PER_MINUTE);
    if (minute === this.minute) {
      this.minuteCount++;
    } else if (minute > this.minute) {
      this.minute = minute;
      this.minuteCount = 1;
    }
    if (this.minuteCount > this.peakMinuteCount) this.peakMinuteCount = this.minuteCount;
  }

  get durationSec(): number {
    return this.end - this.start;
  }

  /** Packets in the busiest calendar minute, per second. */
  get peakRatePps(): number {
    return this.peakMinuteCount / SECONDS_PER_MINUTE;
  }

  /**
   * Packets per second over the flow, measured over at least one minute (the
   * resolution of the peak), so a burst of a fraction of a second does not
   * read as a rate it never sustained.
   */
  get meanRatePps(): number {
    return this.packets / Math.max(this.durationSec, SECONDS_PER_MINUTE);
  }
}

const PORT_PROTO_NAMES: ReadonlyMap<number, string> = new Map([[6, 'TCP'], [17, 'UDP'], [1, 'ICMP'], [58, 'ICMPv6']]);

/** Name of an IP protocol as the reports write it: `TCP`, `ICMP`, `GRE`, `IP-253`. */
export function protocolName(proto: number): string {
  return PORT_PROTO_NAMES.get(proto) ?? IP_PROTO_NAMES.get(proto) ?? `IP-${proto}`;
}

/** A victim's service: `80/TCP`, or the protocol alone (`ICMP`) for `NO_VICTIM_PORT`. */
export function victimService(proto: number, portKey: number): string {
  return portKey === NO_VICTIM_PORT ? protocolName(proto) : `${portKey}/${protocolName(proto)}`;
}
