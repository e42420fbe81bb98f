/**
 * @module
 * `BackscatterDetector`: DoS attacks inferred from backscatter, after Moore
 * et al., "Inferring Internet Denial-of-Service Activity", for captures read
 * outside a store (`teiten detect`). Each response packet
 * (`backscatter-kinds.ts`) becomes evidence (`backscatter-evidence.ts`),
 * the same rows an ingest stores, and `finish()` derives the attacks from
 * them with the telescope-wide rules the store's statistics use
 * (`backscatter-attacks.ts`): one implementation, whichever way the packets
 * came. Memory holds the evidence: one row per second, victim, port, kind
 * and sensor address, whatever the flood's packet rate.
 */

import { COUNTRY_NONE, type EnrichedBatch } from '../classify/index.js';
import { attacksOf, deriveFlows, DEFAULT_TOP_PORTS } from './backscatter-attacks.js';
import { BackscatterDaily, type BackscatterDay } from './backscatter-daily.js';
import { BackscatterEvidence } from './backscatter-evidence.js';
import { BackscatterKind, newBackscatterPacket, readBackscatter, Unattributed } from './backscatter-kinds.js';
import { checkBackscatterOptions, type AttackSettings, type BackscatterAttack } from './backscatter-report.js';

export type { AttackSettings, BackscatterAttack } from './backscatter-report.js';

export interface BackscatterOptions extends Partial<AttackSettings> {
  /** IPv4 addresses the telescope monitors, for the extrapolated rates (withheld below 256; 0 = none). */
  monitoredAddresses?: number;
  /** Victim ports listed per attack (default 10). */
  topPorts?: number;
  /** Time zone of the per-day tables (default `UTC`). */
  timeZone?: string;
  /** Packed country of a victim address, for ICMP errors (whose victim is not the packet's source). */
  countryOf?: (addr: number) => number;
  /** Only responses to these addresses count (the sensor's space); default: all. */
  isSensorAddress?: (addr: number) => boolean;
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
  /** Evidence rows the packets made. */
  evidenceRows: number;
  /** Flows found, and how many of them failed a threshold. */
  flows: number;
  flowsBelowThresholds: number;
}

export interface BackscatterResult {
  attacks: BackscatterAttack[];
  days: BackscatterDay[];
  stats: BackscatterStats;
  settings: AttackSettings;
  monitoredAddresses: number;
}

/** The one sensor of a detector's captures, in evidence rows. */
const SENSOR_ID = 0;

export class BackscatterDetector {
  readonly settings: AttackSettings;
  private readonly options: BackscatterOptions;
  private readonly evidence = new BackscatterEvidence();
  private readonly daily: BackscatterDaily;
  private readonly pkt = newBackscatterPacket();
  private readonly stats = { ipv6: 0, noQuote: 0, quoteNotFromSensor: 0, outsideSensor: 0 };

  constructor(options: BackscatterOptions = {}) {
    this.settings = checkBackscatterOptions(options);
    const monitored = options.monitoredAddresses;
    if (monitored !== undefined && !(Number.isSafeInteger(monitored) && monitored >= 0 && monitored <= 2 ** 32)) {
      throw new RangeError(
        `Cannot detect backscatter: monitoredAddresses is ${monitored}, expected a whole number 0..2^32`,
      );
    }
    this.options = options;
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
      const sec = batch.tsSec[i]!;
      const selfAddressed = kind <= BackscatterKind.ECHO_REPLY;
      const country = selfAddressed ? enriched.country[i]! : (this.options.countryOf?.(pkt.victim) ?? COUNTRY_NONE);
      this.evidence.add(pkt, sec, country);
      this.daily.add(pkt, sec, country);
    }
  }

  /** Derives the attacks (by start time) and returns them with the day tables and counters. */
  finish(): BackscatterResult {
    const monitored = this.options.monitoredAddresses ?? 0;
    const flows = deriveFlows(this.evidence.rows(SENSOR_ID), this.settings);
    const derived = attacksOf(flows, {
      settings: this.settings,
      monitoredAddresses: monitored,
      topPorts: this.options.topPorts ?? DEFAULT_TOP_PORTS,
    });
    for (const attack of derived.attacks) this.daily.addAttack(attack.start);
    return {
      attacks: derived.attacks,
      days: this.daily.rows(),
      stats: {
        ...this.stats,
        packets: this.evidence.packets,
        evidenceRows: this.evidence.size,
        flows: derived.flows,
        flowsBelowThresholds: derived.flowsBelowThresholds,
      },
      settings: { ...this.settings },
      monitoredAddresses: monitored,
    };
  }
}
