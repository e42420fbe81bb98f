/**
 * @module
 * `ScannerDetector`: per source and window, the probes it sent (TCP SYN,
 * UDP, ICMP requests: `PacketClass.PROBE`), how many addresses and services
 * they reached, the scan's shape and the tool fingerprints they carry
 * (`fingerprint.ts`). Windows are fixed and aligned to the epoch (default
 * one UTC day), so results of separate runs line up.
 *
 * UDP from a well-known reflector port to an ordinary port is a reflected
 * reply (`reflection.ts`), not a probe, and is left out here.
 *
 * State is bounded by the sources of one window: when traffic moves into a
 * new window every source is summarised and dropped, and at most
 * `maxSources` are tracked at once. Packets are expected in time order; one
 * older than the current window counts in the current window.
 */

import { PacketClass, type EnrichedBatch } from '../classify/index.js';
import { IpProto } from '../decode/batch.js';
import { fingerprintOf } from './fingerprint.js';
import { AddressIndex } from './scanners-address-index.js';
import { isReflectorPort } from './reflection-ports.js';
import {
  DEFAULT_SCAN_THRESHOLDS, SourceState, summarizeSource, type ScanThresholds, type ScannerSummary,
} from './scanners-source.js';

export type { ScanThresholds, ScanType, ScannerSummary, ToolEvidence } from './scanners-source.js';

export interface ScannerOptions extends Partial<ScanThresholds> {
  /** Window length in seconds (default 86,400: one UTC day). */
  windowSec?: number;
  /** Sources tracked at once; probes of further new sources are counted as dropped (default 2,000,000). */
  maxSources?: number;
}

export interface ScannerStats {
  /** Probes counted (IPv4). */
  probes: number;
  /** Source-window pairs seen, and how many were reported. */
  sources: number;
  reported: number;
  /** IPv6 probes (not tracked). */
  ipv6: number;
  /** UDP replies from reflector ports, left to the reflection detector. */
  reflected: number;
  /** Probes not counted because `maxSources` sources were open. */
  droppedSourceLimit: number;
}

export interface ScannerResult {
  /** Reported sources, most addresses first. */
  sources: ScannerSummary[];
  stats: ScannerStats;
  thresholds: ScanThresholds;
  windowSec: number;
}

const DEFAULT_WINDOW_SEC = 86_400;
const DEFAULT_MAX_SOURCES = 2_000_000;
const NS = 1e-9;

function checkOptions(options: ScannerOptions): ScanThresholds {
  const t = { ...DEFAULT_SCAN_THRESHOLDS };
  for (const name of Object.keys(t) as Array<keyof ScanThresholds>) {
    const v = options[name];
    if (v === undefined) continue;
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`Cannot detect scanners: ${name} is ${v}, expected a number ≥ 0`);
    t[name] = v;
  }
  if (t.minToolFraction > 1) throw new RangeError(`Cannot detect scanners: minToolFraction is ${t.minToolFraction}, expected at most 1`);
  for (const name of ['windowSec', 'maxSources'] as const) {
    const v = options[name];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
      throw new RangeError(`Cannot detect scanners: ${name} is ${v}, expected a whole number ≥ 1`);
    }
  }
  return t;
}

export class ScannerDetector {
  readonly thresholds: ScanThresholds;
  readonly windowSec: number;
  private readonly maxSources: number;
  private readonly states = new AddressIndex<SourceState>();
  private readonly reported: ScannerSummary[] = [];
  private readonly stats: ScannerStats = { probes: 0, sources: 0, reported: 0, ipv6: 0, reflected: 0, droppedSourceLimit: 0 };
  private window = -Infinity;
  private last: SourceState | null = null;

  constructor(options: ScannerOptions = {}) {
    this.thresholds = checkOptions(options);
    this.windowSec = options.windowSec ?? DEFAULT_WINDOW_SEC;
    this.maxSources = options.maxSources ?? DEFAULT_MAX_SOURCES;
  }

  push(enriched: EnrichedBatch): void {
    const { batch, packetClass, service } = enriched;
    const { stats } = this;
    for (let i = 0; i < batch.length; i++) {
      if (packetClass[i] !== PacketClass.PROBE) continue;
      if (batch.ipVersion[i] !== 4) {
        stats.ipv6++;
        continue;
      }
      if (batch.proto[i] === IpProto.UDP && isReflectorPort(batch.sport[i]!) && !isReflectorPort(batch.dport[i]!)) {
        stats.reflected++;
        continue;
      }
      const ts = batch.tsSec[i]! + batch.tsNsec[i]! * NS;
      const window = Math.floor(ts / this.windowSec);
      if (window > this.window) {
        this.closeAll();
        this.window = window;
      }
      const src = batch.src4[i]!;
      let state = this.last !== null && this.last.source === src ? this.last : this.states.get(src);
      if (state === undefined) {
        if (this.states.size >= this.maxSources) {
          stats.droppedSourceLimit++;
          continue;
        }
        state = new SourceState({ source: src, window: this.window, ts, country: enriched.country[i]!, asn: enriched.asn[i]! });
        this.states.set(src, state);
      }
      this.last = state;
      state.add(ts, batch.dst4[i]!, service[i]!, fingerprintOf(enriched, i));
      stats.probes++;
    }
  }

  /** Summarises every open source and returns the reported ones with the counters. */
  finish(): ScannerResult {
    this.closeAll();
    const sources = this.reported.sort((a, b) =>
      a.windowStart - b.windowStart || b.addresses - a.addresses || b.packets - a.packets || a.sourceAddress - b.sourceAddress);
    return { sources, stats: { ...this.stats }, thresholds: { ...this.thresholds }, windowSec: this.windowSec };
  }

  /**
   * Summarises every open source (all of the current window) and forgets
   * them at once: deleting a million Map entries one by one costs more than
   * the detection.
   */
  private closeAll(): void {
    const context = { thresholds: this.thresholds, windowSec: this.windowSec };
    for (const state of this.states.entries()) {
      this.stats.sources++;
      const summary = summarizeSource(state, context);
      if (summary === null) continue;
      this.stats.reported++;
      this.reported.push(summary);
    }
    this.states.clear();
    this.last = null;
  }
}
