/**
 * @module
 * `BackscatterDaily`: the report's backscatter tables, kept apart from the
 * probe statistics: per local day, backscatter packets, distinct victims,
 * and the same two by victim port (`80/TCP`, `6667/TCP`, `ICMP`) and by the
 * victim's country. Every attributed backscatter packet counts here, whether
 * or not its flow passed the attack thresholds, so the tables show the
 * background as well as the attacks.
 *
 * Bounded by the number of days, victim services and countries; victims are
 * counted with `DistinctCounter`s.
 */

import { unpackCountry } from '../classify/index.js';
import { formatLocalDate, TzClock } from '../util/tz.js';
import { BACKSCATTER_KIND_COUNT, BACKSCATTER_KIND_NAMES, type BackscatterPacket } from './backscatter-kinds.js';
import { NO_VICTIM_PORT, victimService } from './victim-service.js';
import { DistinctCounter } from './scanners-distinct.js';

/** One row of a by-port or by-country table. */
export interface BackscatterShare {
  /** `80/TCP` or `ICMP` for ports; two-letter code ('' unknown) for countries. */
  key: string;
  packets: number;
  victims: number;
}

export interface BackscatterDay {
  /** Local date `YYYY-MM-DD` in the detector's time zone. */
  day: string;
  packets: number;
  victims: number;
  /** False when `victims` is an estimate (more than 256 victims). */
  victimsExact: boolean;
  /** Attacks (flows that passed the thresholds) that started this day. */
  attacks: number;
  /** Packets per response kind name (`TCP SYN/ACK`, `ICMP unreachable`, …). */
  responses: Record<string, number>;
  /** By victim service, most packets first. */
  byVictimPort: BackscatterShare[];
  /** By victim country (packed code in the enriched batch), most packets first. */
  byCountry: BackscatterShare[];
}

class Tally {
  packets = 0;
  readonly victims = new DistinctCounter();
}

class DayState {
  readonly total = new Tally();
  readonly kinds = new Uint32Array(BACKSCATTER_KIND_COUNT);
  /** Key: proto * 2^17 + port key. */
  readonly ports = new Map<number, Tally>();
  readonly countries = new Map<number, Tally>();
  attacks = 0;
}

const PORT_KEY_SPAN = 0x20000;

function tally<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (t === undefined) map.set(key, (t = new Tally()));
  return t;
}

function shares(map: Map<number, Tally>, name: (key: number) => string): BackscatterShare[] {
  return [...map]
    .map(([key, t]) => ({ key: name(key), packets: t.packets, victims: t.victims.size }))
    .sort((a, b) => b.packets - a.packets || a.key.localeCompare(b.key));
}

export class BackscatterDaily {
  private readonly clock: TzClock;
  private readonly days = new Map<number, DayState>();
  private lastDay = Number.NaN;
  private lastState: DayState | null = null;

  constructor(timeZone: string) {
    this.clock = new TzClock(timeZone);
  }

  add(pkt: BackscatterPacket, ts: number, country: number): void {
    const day = this.state(ts);
    const port = pkt.port < 0 ? NO_VICTIM_PORT : pkt.port;
    day.total.packets++;
    day.total.victims.add(pkt.victim);
    day.kinds[pkt.kind]!++;
    const byPort = tally(day.ports, pkt.proto * PORT_KEY_SPAN + port);
    byPort.packets++;
    byPort.victims.add(pkt.victim);
    const byCountry = tally(day.countries, country);
    byCountry.packets++;
    byCountry.victims.add(pkt.victim);
  }

  /** Counts an attack that started at `ts`. */
  addAttack(ts: number): void {
    this.state(ts).attacks++;
  }

  rows(): BackscatterDay[] {
    return [...this.days]
      .sort((a, b) => a[0] - b[0])
      .map(([day, s]) => {
        const responses: Record<string, number> = {};
        s.kinds.forEach((n, kind) => {
          if (n > 0) responses[BACKSCATTER_KIND_NAMES[kind]!] = n;
        });
        return {
          day: formatLocalDate(day),
          packets: s.total.packets,
          victims: s.total.victims.size,
          victimsExact: s.total.victims.exact,
          attacks: s.attacks,
          responses,
          byVictimPort: shares(s.ports, (key) => victimService(Math.floor(key / PORT_KEY_SPAN), key % PORT_KEY_SPAN)),
          byCountry: shares(s.countries, unpackCountry),
        };
      });
  }

  private state(ts: number): DayState {
    const day = this.clock.localDay(ts);
    if (day === this.lastDay) return this.lastState!;
    let state = this.days.get(day);
    if (state === undefined) this.days.set(day, (state = new DayState()));
    this.lastDay = day;
    this.lastState = state;
    return state;
  }
}
