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
import { FirstProbes, type FirstProbe, type HeldProbes } from './scanners-first-probes.js';
import { isReflectorPort } from './reflection-ports.js';
import { deriveScanners } from './scanner-derive.js';
import {
  firstProbeBlock,
  probeBlock,
  ScannerEvidence,
  type SensorScannerEvidenceColumns,
  type SensorScannerProbeColumns,
  type WindowSpan,
} from './scanner-evidence.js';
import { OpenSources } from './scanners-open.js';
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
  /** Sources of the current window with two probes or more: source → slot in `open`. */
  private readonly slots = new AddressIndex<number>();
  private readonly open = new OpenSources();
  /** Sources of the current window with one probe so far (most darknet sources): no slot yet. */
  private readonly firstProbes = new FirstProbes();
  /** The probe being counted, and a held first probe taken back (`promote`): reused, no object per probe. */
  private readonly probe: FirstProbe = { ts: 0, dst: 0, service: 0, tools: 0, country: 0, asn: 0 };
  private readonly held: FirstProbe = { ts: 0, dst: 0, service: 0, tools: 0, country: 0, asn: 0 };
  /** Source-windows older than the current window (late probes), by window × 2^32 + source. */
  private readonly late = new Map<number, SourceState>();
  private readonly evidence = new ScannerEvidence();
  private readonly stats: ScannerStats = { probes: 0, sources: 0, reported: 0, ipv6: 0, reflected: 0, evidenceRows: 0 };
  private window = -Infinity;
  /** The source of the last probe and its slot (-1: none), as consecutive probes often share it. */
  private lastSource = 0;
  private lastSlot = -1;

  constructor(options: ScannerOptions = {}) {
    this.thresholds = checkOptions(options);
    this.windowSec = options.windowSec ?? DEFAULT_WINDOW_SEC;
    this.maxSources = options.maxSources ?? DEFAULT_MAX_SOURCES;
  }

  push(enriched: EnrichedBatch): void {
    const { batch, packetClass, service, country, asn } = enriched;
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
        this.spill();
        this.window = window;
      }
      const src = batch.src4[i]!;
      const probe = this.probe;
      probe.ts = ts;
      probe.dst = batch.dst4[i]!;
      probe.service = service[i]!;
      probe.tools = fingerprintOf(enriched, i);
      probe.country = country[i]!;
      probe.asn = asn[i]!;
      stats.probes++;
      if (window < this.window) {
        this.lateState(src, window, probe).add(ts, probe.dst, probe.service, probe.tools, probe);
        continue;
      }
      let slot = this.lastSlot >= 0 && this.lastSource === src ? this.lastSlot : (this.slots.get(src) ?? -1);
      if (slot < 0) {
        const row = this.firstProbes.find(src);
        if (row < 0) {
          if (this.slots.size + this.firstProbes.size >= this.maxSources) this.spill();
          this.firstProbes.add(src, probe);
          continue;
        }
        slot = this.promote(src, row);
      }
      this.lastSource = src;
      this.lastSlot = slot;
      this.open.add(slot, ts, probe);
    }
  }

  /** Bytes the open sources and the evidence rows hold (an estimate for the memory budget). */
  get bytes(): number {
    return this.late.size * LATE_SOURCE_BYTES + this.open.bytes + this.firstProbes.bytes + this.evidence.bytes;
  }

  /**
   * The evidence so far, every open source with two probes or more
   * included, in store-sized blocks; call `clearEvidence()` once they are
   * written, and take the sources of one probe with `probeBlocks`. Open
   * sources start afresh: their later probes make another row of the same
   * source-window, and the rows merge when scanners are derived.
   */
  *evidenceBlocks(blockRows: number): Generator<{ rowCount: number; columns: SensorScannerEvidenceColumns }> {
    this.spillStates();
    this.stats.evidenceRows += this.evidence.size;
    yield* this.evidence.blocks(blockRows);
  }

  /**
   * The current window's sources of one probe in store-sized blocks of
   * their own narrow rows (`SensorScannerProbeColumns`), then forgets them.
   */
  *probeBlocks(blockRows: number): Generator<{ rowCount: number; columns: SensorScannerProbeColumns }> {
    for (const block of this.heldBlocks(blockRows, probeBlock)) {
      this.stats.evidenceRows += block.rowCount;
      yield block;
    }
  }

  /**
   * The held one-probe sources as blocks of `blockRows` made by `block`,
   * straight from their columns, then forgets them: as evidence rows first,
   * a flush's half million were ~400 MiB of allocations and ~100 MiB more at
   * the peak than their ~40 bytes here.
   */
  private *heldBlocks<C>(
    blockRows: number,
    block: (
      held: HeldProbes,
      range: { first: number; end: number },
      span: WindowSpan,
    ) => { rowCount: number; columns: C },
  ): Generator<{ rowCount: number; columns: C }> {
    const held = this.firstProbes.held();
    const span = { window: this.window, windowSec: this.windowSec };
    for (let first = 0; first < held.count; first += blockRows) {
      yield block(held, { first, end: Math.min(held.count, first + blockRows) }, span);
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

  /** Opens a slot for `src` with its held first probe (its second probe is about to be added). */
  private promote(src: number, row: number): number {
    const first = this.firstProbes.take(row, this.held);
    const slot = this.open.open(src, first);
    this.open.add(slot, first.ts, first);
    this.slots.set(src, slot);
    return slot;
  }

  private lateState(src: number, window: number, first: FirstProbe): SourceState {
    const key = window * WINDOW_SPAN + src;
    let state = this.late.get(key);
    if (state === undefined) {
      state = new SourceState({ source: src, window, ts: first.ts, country: first.country, asn: first.asn });
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
    for (const block of this.heldBlocks(Infinity, firstProbeBlock)) this.evidence.addBlock(block);
  }

  /** `spill()` but for the sources with one probe, which stay held. */
  private spillStates(): void {
    this.open.drain(this.evidence, { window: this.window, windowSec: this.windowSec });
    for (const state of this.late.values()) this.evidence.add(state, this.windowSec);
    if (this.slots.size > 0) this.slots.clear();
    this.late.clear();
    this.lastSlot = -1;
  }
}

/** Bytes a late source-window holds on average (state, counters, map entry): an estimate for the memory budget. */
const LATE_SOURCE_BYTES = 320;
