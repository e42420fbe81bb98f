/**
 * @module
 * `BackscatterDetector`: DoS attacks inferred from backscatter, after Moore
 * et al., "Inferring Internet Denial-of-Service Activity". Streams over
 * enriched batches: each response packet (`backscatter-kinds.ts`) joins the
 * flow of its (victim, attack protocol); a flow ends when its victim has
 * been quiet for `flowTimeoutSec` (default 300 s, as in the paper), and an
 * ended flow is an attack when it passes every threshold. State is bounded:
 * idle flows are closed as time advances, each flow's summaries have a fixed
 * size, and at most `maxFlows` flows are open at once.
 *
 * Extrapolation assumes the spoofed sources are uniform over IPv4, so the
 * sensor sees `monitoredAddresses / 2^32` of the victim's responses: the
 * victim answered at observed rate × 2^32 / monitoredAddresses.
 */

import { COUNTRY_NONE, type EnrichedBatch } from '../classify/index.js';
import { BackscatterDaily, type BackscatterDay } from './backscatter-daily.js';
import { BackscatterFlow } from './backscatter-flow.js';
import { BackscatterKind, newBackscatterPacket, readBackscatter, Unattributed } from './backscatter-kinds.js';
import { attackOf, checkBackscatterOptions, type BackscatterAttack, type BackscatterThresholds } from './backscatter-report.js';

export type { BackscatterAttack, BackscatterCheck, BackscatterThresholds } from './backscatter-report.js';

export interface BackscatterOptions extends Partial<BackscatterThresholds> {
  /** Addresses the sensor monitors, for the extrapolated rates; without it they are null. */
  monitoredAddresses?: number;
  /** Quiet time that ends a flow, seconds (default 300). */
  flowTimeoutSec?: number;
  /** Victim ports listed per attack (default 10). */
  topPorts?: number;
  /** Time zone of the per-day tables (default `UTC`). */
  timeZone?: string;
  /** Packed country of a victim address, for ICMP errors (whose victim is not the packet's source). */
  countryOf?: (addr: number) => number;
  /** Only responses to these addresses count (the sensor's space); default: all. */
  isSensorAddress?: (addr: number) => boolean;
  /** Open flows at most; packets of new victims beyond it are counted as dropped (default 1,000,000). */
  maxFlows?: number;
}

export interface BackscatterStats {
  /** Attributed backscatter packets (all flows, attacks or not). */
  packets: number;
  /** IPv6 responses and ICMPv6 errors, not attributed. */
  ipv6: number;
  /** ICMP errors whose quote was not decoded. */
  noQuote: number;
  /** ICMP errors quoting a packet that was not from the sensor address. */
  quoteNotFromSensor: number;
  /** Responses to addresses outside `isSensorAddress`. */
  outsideSensor: number;
  /** Packets not counted because `maxFlows` flows were open. */
  droppedFlowLimit: number;
  /** Flows ended, and how many of them failed a threshold. */
  flows: number;
  flowsBelowThresholds: number;
}

export interface BackscatterResult {
  attacks: BackscatterAttack[];
  days: BackscatterDay[];
  stats: BackscatterStats;
  thresholds: BackscatterThresholds;
  flowTimeoutSec: number;
  monitoredAddresses: number | null;
}

const DEFAULT_TIMEOUT_SEC = 300;
const DEFAULT_TOP_PORTS = 10;
const DEFAULT_MAX_FLOWS = 1_000_000;
/** Idle flows are looked for at most once per this many seconds of traffic. */
const SWEEP_INTERVAL_SEC = 60;
/** Flow key = victim * 256 + protocol: below 2^40, exact in a double. */
const PROTO_SPAN = 256;
const NS = 1e-9;

export class BackscatterDetector {
  readonly thresholds: BackscatterThresholds;
  private readonly options: BackscatterOptions;
  private readonly timeout: number;
  private readonly topPorts: number;
  private readonly maxFlows: number;
  private readonly flows = new Map<number, BackscatterFlow>();
  private readonly attacks: BackscatterAttack[] = [];
  private readonly daily: BackscatterDaily;
  private readonly pkt = newBackscatterPacket();
  private readonly stats: BackscatterStats = {
    packets: 0, ipv6: 0, noQuote: 0, quoteNotFromSensor: 0, outsideSensor: 0, droppedFlowLimit: 0,
    flows: 0, flowsBelowThresholds: 0,
  };
  private now = -Infinity;
  private lastSweep = -Infinity;

  constructor(options: BackscatterOptions = {}) {
    this.thresholds = checkBackscatterOptions(options);
    this.options = options;
    this.timeout = options.flowTimeoutSec ?? DEFAULT_TIMEOUT_SEC;
    this.topPorts = options.topPorts ?? DEFAULT_TOP_PORTS;
    this.maxFlows = options.maxFlows ?? DEFAULT_MAX_FLOWS;
    this.daily = new BackscatterDaily(options.timeZone ?? 'UTC');
  }

  /** Adds every packet of `enriched` (its batch may be reused afterwards). */
  push(enriched: EnrichedBatch): void {
    const { batch } = enriched;
    const { pkt, stats } = this;
    const isSensor = this.options.isSensorAddress;
    for (let i = 0; i < batch.length; i++) {
      const kind = readBackscatter(enriched, i, pkt);
      if (kind === BackscatterKind.NONE) {
        if (pkt.unattributed === Unattributed.IPV6) stats.ipv6++;
        else if (pkt.unattributed === Unattributed.NO_QUOTE) stats.noQuote++;
        else if (pkt.unattributed === Unattributed.QUOTE_NOT_FROM_SENSOR) stats.quoteNotFromSensor++;
        continue;
      }
      if (isSensor !== undefined && !isSensor(pkt.sensor)) {
        stats.outsideSensor++;
        continue;
      }
      const ts = batch.tsSec[i]! + batch.tsNsec[i]! * NS;
      if (ts > this.now) {
        this.now = ts;
        if (ts - this.lastSweep >= SWEEP_INTERVAL_SEC) this.sweep(ts);
      }
      const selfAddressed = kind <= BackscatterKind.ECHO_REPLY;
      const country = selfAddressed ? enriched.country[i]! : (this.options.countryOf?.(pkt.victim) ?? COUNTRY_NONE);
      const key = pkt.victim * PROTO_SPAN + pkt.proto;
      let flow = this.flows.get(key);
      if (flow !== undefined && ts - flow.end > this.timeout) {
        this.close(flow);
        flow = undefined;
      }
      if (flow === undefined) {
        if (this.flows.size >= this.maxFlows) {
          stats.droppedFlowLimit++;
          continue;
        }
        flow = new BackscatterFlow(pkt, { ts, country, topPorts: this.topPorts });
        this.flows.set(key, flow);
      }
      flow.add(pkt, ts);
      stats.packets++;
      this.daily.add(pkt, ts, country);
    }
  }

  /** Ends every open flow and returns the attacks (by start time), day tables and counters. */
  finish(): BackscatterResult {
    for (const flow of [...this.flows.values()]) this.close(flow);
    this.attacks.sort((a, b) => a.start - b.start || a.victimAddress - b.victimAddress);
    return {
      attacks: this.attacks,
      days: this.daily.rows(),
      stats: { ...this.stats },
      thresholds: { ...this.thresholds },
      flowTimeoutSec: this.timeout,
      monitoredAddresses: this.options.monitoredAddresses ?? null,
    };
  }

  /** Open flows right now (for tests and progress). */
  get openFlows(): number {
    return this.flows.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const flow of this.flows.values()) if (now - flow.end > this.timeout) this.close(flow);
  }

  private close(flow: BackscatterFlow): void {
    this.flows.delete(flow.victim * PROTO_SPAN + flow.proto);
    this.stats.flows++;
    const attack = attackOf(flow, {
      thresholds: this.thresholds, monitoredAddresses: this.options.monitoredAddresses ?? null, topPorts: this.topPorts,
    });
    if (attack === null) {
      this.stats.flowsBelowThresholds++;
      return;
    }
    this.attacks.push(attack);
    this.daily.addAttack(flow.start);
  }
}
