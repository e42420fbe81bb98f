/**
 * @module
 * Scanner evidence: what is kept of a source's probes so that scanners can
 * be inferred over a whole telescope, whatever files and sensors the probes
 * came in. One row per (sensor, window, source) piece: probes, first and
 * last probe, the earliest probe's country and ASN, matching probes per tool
 * rule (`fingerprint.ts`), and the distinct destination addresses
 * (`DistinctCounter`) and services with probes per service (`ServiceTally`)
 * as canonical text, or for a piece of one probe its address and service
 * as numbers. Every field merges exactly (sums, min, max, set
 * unions), so the pieces of a scan cut by files, flushes or sensors merge
 * to what one pass over all its probes would hold (`scanner-derive.ts`).
 *
 * The rows are per source-window, not per packet: plain arrays serve as
 * columns.
 */

import type { HeldProbes } from './scanners-first-probes.js';
import type { SourceState } from './scanners-source.js';

/** Tool columns in `TOOL_RULES` order (`fingerprint.ts`; checked by the tests). */
export const TOOL_COLUMNS = ['zmapPackets', 'masscanPackets', 'miraiPackets', 'nmapPackets'] as const;
type ToolColumn = (typeof TOOL_COLUMNS)[number];

/** Evidence of one sensor as columns (the sensor is the ingest's). */
export type SensorScannerEvidenceColumns = {
  /** Window start and end, seconds since the epoch. */
  windowStart: ArrayLike<number>;
  windowEnd: ArrayLike<number>;
  /** IPv4 source address. */
  src: ArrayLike<number>;
  /** Packed country and ASN of the piece's earliest probe. */
  country: ArrayLike<number>;
  asn: ArrayLike<number>;
  packets: ArrayLike<number>;
  /** First and last probe, seconds since the epoch (fractions kept). */
  firstSec: ArrayLike<number>;
  lastSec: ArrayLike<number>;
  /** `DistinctCounter.toText()` of the destination addresses; '' for a piece of one probe. */
  addresses: ArrayLike<string>;
  /** `ServiceTally.toText()` of the destination services; '' for a piece of one probe. */
  services: ArrayLike<string>;
  /** A one-probe piece's destination address and service (0 otherwise): no text for the one row most darknet sources make. */
  dst: ArrayLike<number>;
  service: ArrayLike<number>;
} & { [K in ToolColumn]: ArrayLike<number> };

/**
 * One-probe pieces of one sensor as columns, with only what such a piece
 * has: the probe's time (`sec`) and the tool rules it matched (`tools`, bit
 * k for `TOOL_COLUMNS[k]`). The store shows each as the evidence row it
 * stands for (one packet, first and last probe at `sec`, no text).
 */
export interface SensorScannerProbeColumns {
  windowStart: ArrayLike<number>;
  windowEnd: ArrayLike<number>;
  src: ArrayLike<number>;
  country: ArrayLike<number>;
  asn: ArrayLike<number>;
  sec: ArrayLike<number>;
  dst: ArrayLike<number>;
  service: ArrayLike<number>;
  tools: ArrayLike<number>;
}

export interface ScannerEvidenceColumns extends SensorScannerEvidenceColumns {
  sensorId: ArrayLike<number>;
}

export interface ScannerEvidenceRows {
  rowCount: number;
  columns: ScannerEvidenceColumns;
}

type Growing = { [K in keyof SensorScannerEvidenceColumns]: Array<SensorScannerEvidenceColumns[K][number]> };

function emptyColumns(): Growing {
  return {
    windowStart: [],
    windowEnd: [],
    src: [],
    country: [],
    asn: [],
    packets: [],
    firstSec: [],
    lastSec: [],
    addresses: [],
    services: [],
    dst: [],
    service: [],
    zmapPackets: [],
    masscanPackets: [],
    miraiPackets: [],
    nmapPackets: [],
  };
}

/** Bytes of a row beside its text (an estimate for the memory budget). */
const ROW_BYTES = 14 * 8;
/** Bytes per character of text held (V8 one-byte strings plus a header share). */
const TEXT_BYTES_PER_CHAR = 1;

/** A scanner window: its index (start / length) and length in seconds. */
export interface WindowSpan {
  window: number;
  windowSec: number;
}

/** Rows `first … end - 1` of the held one-probe sources of window `window`, as they are stored. */
export function probeBlock(
  held: HeldProbes,
  range: { first: number; end: number },
  span: WindowSpan,
): { rowCount: number; columns: SensorScannerProbeColumns } {
  const { first, end } = range;
  const n = end - first;
  return {
    rowCount: n,
    columns: {
      windowStart: new Float64Array(n).fill(span.window * span.windowSec),
      windowEnd: new Float64Array(n).fill((span.window + 1) * span.windowSec),
      src: held.src.subarray(first, end),
      country: held.country.subarray(first, end),
      asn: held.asn.subarray(first, end),
      sec: held.ts.subarray(first, end),
      dst: held.dst.subarray(first, end),
      service: held.service.subarray(first, end),
      tools: held.tools.subarray(first, end),
    },
  };
}

/**
 * Rows `first … end - 1` of the held one-probe sources of window `window`
 * as an evidence block: what a `SourceState` of each would add, without an
 * object or row in between (the columns are the held ones' views or fresh
 * arrays).
 */
export function firstProbeBlock(
  held: HeldProbes,
  range: { first: number; end: number },
  span: WindowSpan,
): { rowCount: number; columns: SensorScannerEvidenceColumns } {
  const { rowCount: n, columns: probes } = probeBlock(held, range, span);
  const { sec, tools: bits, ...same } = probes;
  const none = new Array<string>(n).fill('');
  const tools = TOOL_COLUMNS.map(() => new Uint8Array(n));
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < tools.length; k++) tools[k]![r] = (bits[r]! >>> k) & 1;
  }
  const [zmapPackets, masscanPackets, miraiPackets, nmapPackets] = tools as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  return {
    rowCount: n,
    columns: {
      ...same,
      packets: new Float64Array(n).fill(1),
      firstSec: sec,
      lastSec: sec,
      addresses: none,
      services: none,
      zmapPackets,
      masscanPackets,
      miraiPackets,
      nmapPackets,
    },
  };
}

/** A piece's figures beside its address and service texts, as a `SourceState` holds them. */
export interface PieceFigures {
  /** Window index (start / window length). */
  readonly window: number;
  readonly source: number;
  readonly country: number;
  readonly asn: number;
  readonly packets: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Matching probes per `TOOL_RULES` entry; null for none. */
  readonly toolPackets: ArrayLike<number> | null;
}

/** Evidence rows of one sensor, collected as sources close or are flushed. */
export class ScannerEvidence {
  private columns = emptyColumns();
  private textBytes = 0;

  get size(): number {
    return this.columns.src.length;
  }

  get bytes(): number {
    return this.size * ROW_BYTES + this.textBytes;
  }

  /** Adds the piece `state` holds, in windows of `windowSec` seconds. */
  add(state: SourceState, windowSec: number): void {
    this.addPiece(state, windowSec, { addresses: state.addresses.toText(), services: state.services.toText() });
  }

  /**
   * Adds a piece given by its figures and the texts of its addresses
   * (`DistinctCounter.toText()`) and services (`ServiceTally.toText()`).
   */
  addPiece(piece: PieceFigures, windowSec: number, texts: { addresses: string; services: string }): void {
    const c = this.columns;
    c.windowStart.push(piece.window * windowSec);
    c.windowEnd.push((piece.window + 1) * windowSec);
    c.src.push(piece.source);
    c.country.push(piece.country);
    c.asn.push(piece.asn);
    c.packets.push(piece.packets);
    c.firstSec.push(piece.firstSeen);
    c.lastSec.push(piece.lastSeen);
    c.addresses.push(texts.addresses);
    c.services.push(texts.services);
    c.dst.push(0);
    c.service.push(0);
    this.textBytes += (texts.addresses.length + texts.services.length) * TEXT_BYTES_PER_CHAR;
    const tools = piece.toolPackets;
    TOOL_COLUMNS.forEach((name, k) => c[name].push(tools?.[k] ?? 0));
  }

  /** Adds the rows of a block (`firstProbeBlock`'s). */
  addBlock(block: { rowCount: number; columns: SensorScannerEvidenceColumns }): void {
    const c = this.columns;
    for (const key of Object.keys(c) as Array<keyof Growing>) {
      const into = c[key] as unknown[];
      const from = block.columns[key];
      for (let r = 0; r < block.rowCount; r++) into.push(from[r]);
    }
  }

  /** Forgets the rows (once written): pieces of one source-window written twice merge to the same scanner. */
  clear(): void {
    this.columns = emptyColumns();
    this.textBytes = 0;
  }

  /** The rows in store-sized blocks. */
  *blocks(blockRows: number): Generator<{ rowCount: number; columns: SensorScannerEvidenceColumns }> {
    const c = this.columns;
    for (let first = 0; first < this.size; first += blockRows) {
      const end = Math.min(this.size, first + blockRows);
      const block = {} as Growing;
      for (const key of Object.keys(c) as Array<keyof Growing>)
        (block as Record<string, unknown>)[key] = c[key].slice(first, end);
      yield { rowCount: end - first, columns: block };
    }
  }

  /** Every row, as sensor `sensorId`'s. */
  rows(sensorId: number): ScannerEvidenceRows {
    return { rowCount: this.size, columns: { ...this.columns, sensorId: new Array<number>(this.size).fill(sensorId) } };
  }
}
