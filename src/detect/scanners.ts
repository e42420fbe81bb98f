/**
 * @module
 * `ScannerDetector`: per source and window, the probes it sent (TCP SYN,
 * UDP, ICMP requests: `PacketClass.PROBE`), as scanner evidence
 * (`scanner-evidence.ts`): how many addresses and services they reached,
 * with the tool fingerprints they carry (`fingerprint.ts`). Windows are
 * fixed and aligned to the epoch (default one UTC day), so pieces of
 * separate runs line up, and every probe counts in its own window.
 *
 * The detector decides nothing: an ingest stores the evidence and the
 * statistics derive scanners from the evidence of the whole telescope;
 * `finish()` derives them from this detector's own evidence with the same
 * code (`scanner-derive.ts`), for `teiten detect CAPTURE…`.
 *
 * UDP from a well-known reflector port to an ordinary port is a reflected
 * reply (`reflection.ts`), not a probe, and is left out here.
 *
 * State is bounded by the sources of one window: when traffic moves into a
 * new window, or `maxSources` sources are open, every open source becomes an
 * evidence row and is dropped (rows of one source-window merge later, so
 * nothing is lost). A probe older than the current window (out-of-order
 * capture) counts in its own window through a small side table.
 */

import { PacketClass, type EnrichedBatch } from '../classify/index.js';
import { IpProto } from '../decode/index.js';
import { fingerprintOf } from './fingerprint.js';
import { AddressIndex } from './scanners-address-index.js';
import { FirstProbes, type FirstProbe } from './scanners-first-probes.js';
import { isReflectorPort } from './reflection-ports.js';
import { deriveScanners } from './scanner-derive.js';
import { firstProbeBlock, ScannerEvidence, type SensorScannerEvidenceColumns } from './scanner-evidence.js';
import { DEFAULT_SCAN_THRESHOLDS, SourceState, type ScanThresholds, type ScannerSummary } from './scanners-source.js';

export type { ScanThresholds, ScannerSummary } from './scanners-source.js';

export interface ScannerOptions extends Partial<ScanThresholds> {
  /** Window length in seconds (default 86,400: one UTC day). */
  windowSec?: number;
  /** Sources held open at once before they are moved to evidence rows (default 2,000,000). */
  maxSources?: number;
}

export interface ScannerStats {
  /** Probes counted (IPv4). */
  probes: number;
  /** Source-window pairs seen, and how many were reported (set by `finish()`). */
  sources: number;
  reported: number;
  /** IPv6 probes (not tracked). */
  ipv6: number;
  /** UDP replies from reflector ports, left to the reflection detector. */
  reflected: number;
  /** Evidence rows the probes made (pieces of source-windows, merged when scanners are derived). */
  evidenceRows: number;
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
/** Key of a late source-window in the side table: window × 2^32 + source (below 2^53 for any real time). */
const WINDOW_SPAN = 2 ** 32;
/** The one sensor of a detector's captures, in evidence rows. */
const SENSOR_ID = 0;

/** `options`' thresholds checked, the defaults filled in; throws `RangeError` naming a bad one. */
export function checkScanThresholds(options: Partial<ScanThresholds>): ScanThresholds {
  const t = { ...DEFAULT_SCAN_THRESHOLDS };
  for (const name of Object.keys(t) as Array<keyof ScanThresholds>) {
    const v = options[name];
    if (v === undefined) continue;
    if (!(Number.isFinite(v) && v >= 0))
      throw new RangeError(`Cannot detect scanners: ${name} is ${v}, expected a number ≥ 0`);
    t[name] = v;
  }
  if (t.minToolFraction > 1)
    throw new RangeError(`Cannot detect scanners: minToolFraction is ${t.minToolFraction}, expected at most 1`);
  return t;
}

function checkOptions(options: ScannerOptions): ScanThresholds {
  const t = checkScanThresholds(options);
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
  /** Sources of the current window with one probe so far (most darknet sources): no `SourceState` yet. */
  private readonly firstProbes = new FirstProbes();
  private readonly probe: FirstProbe = { ts: 0, dst: 0, service: 0, tools: 0, country: 0, asn: 0 };
  /** Source-windows older than the current window (late probes), by window × 2^32 + source. */
  private readonly late = new Map<number, SourceState>();
  private readonly evidence = new ScannerEvidence();
  private readonly stats: ScannerStats = { probes: 0, sources: 0, reported: 0, ipv6: 0, reflected: 0, evidenceRows: 0 };
  private window = -Infinity;
  private last: SourceState | null = null;

  constructor(options: ScannerOptions = {}) {
    this.thresholds = checkOptions(options);
    this.windowSec = options.windowSec ?? DEFAULT_WINDOW_SEC;
    this.maxSources = options.maxSources ?? DEFAULT_MAX_SOURCES;
  }

  push(enriched: EnrichedBatch): void {
    const { batch, packetClass, service, country, asn } = enriched;
    const { stats } = this;
    const origin = { country: 0, asn: 0 };
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
        this.spill();
        this.window = window;
      }
      const src = batch.src4[i]!;
      origin.country = country[i]!;
      origin.asn = asn[i]!;
      let state: SourceState | undefined;
      if (window < this.window) state = this.lateState(src, window, ts, origin);
      else {
        state = this.last !== null && this.last.source === src ? this.last : this.states.get(src);
        if (state === undefined) {
          const row = this.firstProbes.find(src);
          if (row < 0) {
            if (this.states.size + this.firstProbes.size >= this.maxSources) this.spill();
            const probe = this.probe;
            probe.ts = ts;
            probe.dst = batch.dst4[i]!;
            probe.service = service[i]!;
            probe.tools = fingerprintOf(enriched, i);
            probe.country = origin.country;
            probe.asn = origin.asn;
            this.firstProbes.add(src, probe);
            stats.probes++;
            continue;
          }
          state = this.promote(src, row, window);
        }
        this.last = state;
      }
      state.add(ts, batch.dst4[i]!, service[i]!, fingerprintOf(enriched, i), origin);
      stats.probes++;
    }
  }

  /** Bytes the open sources and the evidence rows hold (an estimate for the memory budget). */
  get bytes(): number {
    return (this.states.size + this.late.size) * OPEN_SOURCE_BYTES + this.firstProbes.bytes + this.evidence.bytes;
  }

  /**
   * The evidence so far, every open source included, in store-sized blocks;
   * call `clearEvidence()` once they are written. Open sources start afresh:
   * their later probes make another row of the same source-window, and the
   * rows merge when scanners are derived.
   */
  *evidenceBlocks(blockRows: number): Generator<{ rowCount: number; columns: SensorScannerEvidenceColumns }> {
    this.spillStates();
    this.stats.evidenceRows += this.evidence.size;
    yield* this.evidence.blocks(blockRows);
    for (const block of this.firstProbeBlocks(blockRows)) {
      this.stats.evidenceRows += block.rowCount;
      yield block;
    }
  }

  /**
   * The held one-probe sources as evidence blocks of `blockRows`, straight
   * from their columns, then forgets them: as evidence rows first, a
   * flush's half million were ~400 MiB of allocations and ~100 MiB more at
   * the peak than their ~40 bytes here.
   */
  private *firstProbeBlocks(blockRows: number): Generator<{ rowCount: number; columns: SensorScannerEvidenceColumns }> {
    const held = this.firstProbes.held();
    const span = { window: this.window, windowSec: this.windowSec };
    for (let first = 0; first < held.count; first += blockRows) {
      yield firstProbeBlock(held, { first, end: Math.min(held.count, first + blockRows) }, span);
    }
    this.firstProbes.forget();
  }

  /** Forgets the evidence rows handed out by `evidenceBlocks`. */
  clearEvidence(): void {
    this.evidence.clear();
  }

  /** Derives the scanners from every probe pushed, with the counters. */
  finish(): ScannerResult {
    this.spill();
    this.stats.evidenceRows += this.evidence.size;
    const derived = deriveScanners(this.evidence.rows(SENSOR_ID), this.thresholds);
    this.stats.sources = derived.sourceWindows;
    this.stats.reported = derived.sources.length;
    return {
      sources: derived.sources,
      stats: { ...this.stats },
      thresholds: { ...this.thresholds },
      windowSec: this.windowSec,
    };
  }

  /** Makes `src`'s held first probe a `SourceState` (its second probe is about to be added). */
  private promote(src: number, row: number, window: number): SourceState {
    const first = this.firstProbes.take(row, this.probe);
    const state = new SourceState({ source: src, window, ts: first.ts, country: first.country, asn: first.asn });
    state.add(first.ts, first.dst, first.service, first.tools, first);
    this.states.set(src, state);
    return state;
  }

  private lateState(src: number, window: number, ts: number, origin: { country: number; asn: number }): SourceState {
    const key = window * WINDOW_SPAN + src;
    let state = this.late.get(key);
    if (state === undefined) {
      state = new SourceState({ source: src, window, ts, ...origin });
      this.late.set(key, state);
    }
    return state;
  }

  /**
   * Moves every open source (all of the current window, and late ones) into
   * evidence rows and forgets them at once: deleting a million entries one
   * by one costs more than the detection.
   */
  private spill(): void {
    this.spillStates();
    for (const block of this.firstProbeBlocks(Infinity)) this.evidence.addBlock(block);
  }

  /** `spill()` but for the sources with one probe, which stay held. */
  private spillStates(): void {
    for (const state of this.states.entries()) this.evidence.add(state, this.windowSec);
    for (const state of this.late.values()) this.evidence.add(state, this.windowSec);
    if (this.states.size > 0) this.states.clear();
    this.late.clear();
    this.last = null;
  }
}

/** Bytes an open source holds on average (state, counters, index slot): an estimate for the memory budget. */
const OPEN_SOURCE_BYTES = 320;
