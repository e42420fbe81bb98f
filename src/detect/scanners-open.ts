/**
 * @module
 * `OpenSources`: the sources of the scanner detector's current window that
 * sent two probes or more, as typed columns, and their probes' destinations
 * and services as a log. On a telescope every probe lands here, and a
 * `SourceState` per source (its address counter, service tally and their
 * tables: four objects apart in the heap) cost ~1 µs a probe in cache
 * misses once tens of thousands of sources were open; here a probe updates
 * one slot of a few arrays and appends three words.
 *
 * The distinct addresses and per-service probes are worked out only when
 * the sources become evidence (`drain`): the log is grouped by source (a
 * counting sort) and each source's run sorted on its own. The texts are
 * those a `SourceState`'s `DistinctCounter` and `ServiceTally` write for
 * the same probes (both are functions of the set of values and the probes
 * per service), through the same functions.
 */

import { DistinctCounter, EXACT_LIMIT, exactText } from './scanners-distinct.js';
import type { PieceFigures, ScannerEvidence } from './scanner-evidence.js';
import { SERVICE_TALLY_LIMIT, tallyText } from './scanners-service-tally.js';
import { TOOL_RULES } from './fingerprint.js';

const TOOL_COUNT = TOOL_RULES.length;
const FIRST_SOURCES = 1024;
const FIRST_PROBES = 16_384;
/** Log words per probe: source slot, destination, service. */
const LOG_WORDS = 3;
/** Bytes per open source: source, packets, first and last seen, country, ASN, tool counts. */
const SOURCE_BYTES = 4 + 8 + 8 + 8 + 2 + 4 + 4 * TOOL_COUNT;

export class OpenSources {
  // Made by `release()`, which the constructor calls.
  private src!: Uint32Array;
  private packets!: Float64Array;
  private firstSeen!: Float64Array;
  private lastSeen!: Float64Array;
  private country!: Uint16Array;
  private asn!: Uint32Array;
  /** `TOOL_COUNT` counts per source. */
  private tools!: Uint32Array;
  private log!: Uint32Array;
  private sources = 0;
  private probes = 0;

  constructor() {
    this.release();
  }

  /** Sources open. */
  get size(): number {
    return this.sources;
  }

  /** Bytes the columns and the log hold. */
  get bytes(): number {
    return this.src.length * SOURCE_BYTES + this.log.byteLength;
  }

  /** Opens source `src` at its earliest probe so far (no probe counted yet); returns its slot. */
  open(src: number, first: { ts: number; country: number; asn: number }): number {
    if (this.sources === this.src.length) this.growSources();
    const slot = this.sources++;
    this.src[slot] = src;
    this.packets[slot] = 0;
    this.firstSeen[slot] = first.ts;
    this.lastSeen[slot] = first.ts;
    this.country[slot] = first.country;
    this.asn[slot] = first.asn;
    this.tools.fill(0, slot * TOOL_COUNT, (slot + 1) * TOOL_COUNT);
    return slot;
  }

  /** Counts a probe of the source at `slot`, as `SourceState.add` does. */
  add(
    slot: number,
    ts: number,
    probe: { dst: number; service: number; tools: number; country: number; asn: number },
  ): void {
    this.packets[slot]!++;
    if (ts > this.lastSeen[slot]!) this.lastSeen[slot] = ts;
    const first = this.firstSeen[slot]!;
    if (ts <= first) {
      // The earliest probe names the origin, the lowest country then ASN on a tie (`takeEarliest`).
      const country = this.country[slot]!;
      if (ts < first || probe.country < country || (probe.country === country && probe.asn < this.asn[slot]!)) {
        this.country[slot] = probe.country;
        this.asn[slot] = probe.asn;
      }
      this.firstSeen[slot] = ts;
    }
    const tools = probe.tools;
    if (tools !== 0)
      for (let t = 0; t < TOOL_COUNT; t++) if ((tools & (1 << t)) !== 0) this.tools[slot * TOOL_COUNT + t]!++;
    if ((this.probes + 1) * LOG_WORDS > this.log.length) this.growLog();
    const at = this.probes++ * LOG_WORDS;
    this.log[at] = slot;
    this.log[at + 1] = probe.dst;
    this.log[at + 2] = probe.service;
  }

  /** Adds every open source to `evidence` as a piece of window `window`, then forgets them all. */
  drain(evidence: ScannerEvidence, span: { window: number; windowSec: number }): void {
    const n = this.sources;
    if (n === 0) return;
    const { dst, service, starts } = this.bySource();
    const scratch = { values: new Uint32Array(0), probes: new Float64Array(0) };
    const toolPackets = new Float64Array(TOOL_COUNT);
    const piece = {
      window: span.window,
      source: 0,
      country: 0,
      asn: 0,
      packets: 0,
      firstSeen: 0,
      lastSeen: 0,
      toolPackets: toolPackets as ArrayLike<number> | null,
    } satisfies PieceFigures;
    for (let s = 0; s < n; s++) {
      const from = starts[s]!;
      const to = starts[s + 1]!;
      if (to - from > scratch.values.length) {
        scratch.values = new Uint32Array(2 * (to - from));
        scratch.probes = new Float64Array(2 * (to - from));
      }
      piece.source = this.src[s]!;
      piece.country = this.country[s]!;
      piece.asn = this.asn[s]!;
      piece.packets = this.packets[s]!;
      piece.firstSeen = this.firstSeen[s]!;
      piece.lastSeen = this.lastSeen[s]!;
      let anyTool = false;
      for (let t = 0; t < TOOL_COUNT; t++) {
        toolPackets[t] = this.tools[s * TOOL_COUNT + t]!;
        if (toolPackets[t] !== 0) anyTool = true;
      }
      piece.toolPackets = anyTool ? toolPackets : null;
      evidence.addPiece(piece, span.windowSec, {
        addresses: addressText(dst.subarray(from, to), scratch.values),
        services: serviceText(service.subarray(from, to), scratch),
      });
    }
    this.release();
  }

  /**
   * Forgets the sources and lets go of the columns' and the log's memory,
   * as the ingest's other tables do when their rows are written: kept at
   * their largest, they would count against the memory budget after every
   * flush and bring the next one sooner.
   */
  private release(): void {
    this.sources = 0;
    this.probes = 0;
    this.src = new Uint32Array(FIRST_SOURCES);
    this.packets = new Float64Array(FIRST_SOURCES);
    this.firstSeen = new Float64Array(FIRST_SOURCES);
    this.lastSeen = new Float64Array(FIRST_SOURCES);
    this.country = new Uint16Array(FIRST_SOURCES);
    this.asn = new Uint32Array(FIRST_SOURCES);
    this.tools = new Uint32Array(FIRST_SOURCES * TOOL_COUNT);
    this.log = new Uint32Array(FIRST_PROBES * LOG_WORDS);
  }

  /** The log's destinations and services grouped by source slot (a counting sort; `starts[s]` opens slot s's run). */
  private bySource(): { dst: Uint32Array; service: Uint32Array; starts: Float64Array } {
    const n = this.sources;
    const log = this.log;
    const starts = new Float64Array(n + 1);
    for (let p = 0; p < this.probes; p++) starts[log[p * LOG_WORDS]! + 1]!++;
    for (let s = 0; s < n; s++) starts[s + 1]! += starts[s]!;
    const fill = starts.slice(0, n);
    const dst = new Uint32Array(this.probes);
    const service = new Uint32Array(this.probes);
    for (let p = 0; p < this.probes; p++) {
      const at = p * LOG_WORDS;
      const k = fill[log[at]!]!++;
      dst[k] = log[at + 1]!;
      service[k] = log[at + 2]!;
    }
    return { dst, service, starts };
  }

  private growSources(): void {
    const size = this.src.length * 2;
    this.src = grown(this.src, size);
    this.packets = grown(this.packets, size);
    this.firstSeen = grown(this.firstSeen, size);
    this.lastSeen = grown(this.lastSeen, size);
    this.country = grown(this.country, size);
    this.asn = grown(this.asn, size);
    this.tools = grown(this.tools, size * TOOL_COUNT);
  }

  private growLog(): void {
    this.log = grown(this.log, this.log.length * 2);
  }
}

/** `DistinctCounter.toText()` of `values` (a source's destinations, repeats included); sorts `values` in place. */
function addressText(values: Uint32Array, scratch: Uint32Array): string {
  values.sort();
  let n = 0;
  for (let k = 0; k < values.length; k++) if (k === 0 || values[k] !== values[k - 1]) scratch[n++] = values[k]!;
  if (n <= EXACT_LIMIT) return exactText(scratch, n);
  const counter = new DistinctCounter();
  for (let k = 0; k < n; k++) counter.add(scratch[k]!);
  return counter.toText();
}

/** `ServiceTally.toText()` of `keys` (a source's probes' services); sorts `keys` in place. */
function serviceText(keys: Uint32Array, scratch: { values: Uint32Array; probes: Float64Array }): string {
  keys.sort();
  const { values, probes } = scratch;
  let n = 0;
  for (let k = 0; k < keys.length; k++) {
    if (k > 0 && keys[k] === keys[k - 1]) probes[n - 1]!++;
    else {
      values[n] = keys[k]!;
      probes[n++] = 1;
    }
  }
  if (n <= SERVICE_TALLY_LIMIT) return tallyText(values, probes, n);
  // Past the limit a tally keeps only the sketch of its set of services.
  const sketch = new DistinctCounter();
  for (let k = 0; k < n; k++) sketch.add(values[k]!);
  return sketch.toText();
}

function grown<T extends Uint32Array | Float64Array | Uint16Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}
