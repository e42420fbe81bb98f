/**
 * @module
 * Enriched packet batches in shared memory: the decode thread
 * (`decode-worker.ts`) copies each batch it decoded and enriched into a free
 * slot, the ingest thread reads the slot through a `PacketBatch` view of the
 * same memory and hands the slot back. A slot is one `SharedArrayBuffer` per
 * column, so a view is the columns themselves, never a copy.
 */

import type { EnrichedBatch } from '../classify/enrich.js';
import { PacketBatch } from '../decode/batch.js';

type Column = Uint8Array | Uint16Array | Uint32Array | Float64Array;
type ColumnType = Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | Float64ArrayConstructor;

/** The enrichment columns (`classify/enrich.ts`, one value per packet) and their types. */
export const ENRICHED_TYPES = {
  service: Uint32Array, srcService: Uint32Array, flagClass: Uint8Array, packetClass: Uint8Array, country: Uint16Array, asn: Uint32Array,
} as const satisfies Record<Exclude<keyof EnrichedBatch, 'batch'>, ColumnType>;
type EnrichedColumn = keyof typeof ENRICHED_TYPES;
const ENRICHED_COLUMNS = Object.keys(ENRICHED_TYPES) as EnrichedColumn[];

/** A batch's typed-array columns other than `data`, with values per packet (16 for IPv6 addresses). */
const BATCH_COLUMNS: readonly { name: string; width: number }[] = (() => {
  const probe = new PacketBatch(1, 1) as unknown as Record<string, unknown>;
  return Object.keys(probe)
    .filter((name) => name !== 'data' && ArrayBuffer.isView(probe[name]))
    .map((name) => ({ name, width: (probe[name] as Column).length }));
})();

/** One slot's memory: what a thread posts to the other once (typed arrays over shared memory are shared, not copied). */
export interface SharedSlot {
  readonly capacity: number;
  /** Every column of the batch by name, `data` included. */
  readonly columns: Readonly<Record<string, Column>>;
  readonly enriched: Readonly<Record<EnrichedColumn, Column>>;
}

/** What the decode thread says about a filled slot. */
export interface FilledSlot {
  slot: number;
  length: number;
  dataUsed: number;
  /** New shared frame bytes when the batch held more than the slot's (a jumbo frame). */
  data?: Uint8Array;
}

export function createSharedSlot(capacity: number, dataBytes: number): SharedSlot {
  const batch = new PacketBatch(capacity, dataBytes, (_name, type, length) => shared(type, length));
  const columns: Record<string, Column> = {};
  for (const [name, value] of Object.entries(batch)) if (ArrayBuffer.isView(value)) columns[name] = value as Column;
  const enriched = {} as Record<EnrichedColumn, Column>;
  for (const name of ENRICHED_COLUMNS) enriched[name] = shared(ENRICHED_TYPES[name], capacity);
  return { capacity, columns, enriched };
}

/**
 * A slot's memory as an `EnrichedBatch` (a real `PacketBatch` whose columns
 * are the slot's), for the thread that fills it and the one that reads it.
 */
export function slotBatch(slot: SharedSlot): EnrichedBatch {
  const batch = new PacketBatch(slot.capacity, 0, (name) => slot.columns[name]!);
  const e = slot.enriched;
  // The same literal shape as `createEnrichedBatch`, so the hot loops see one object shape.
  return {
    batch,
    service: e.service as Uint32Array,
    srcService: e.srcService as Uint32Array,
    flagClass: e.flagClass as Uint8Array,
    packetClass: e.packetClass as Uint8Array,
    country: e.country as Uint16Array,
    asn: e.asn as Uint32Array,
  };
}

/** Copies packets `[0, length)` of `from` into slot `index`'s batch `to` (its data replaced by larger shared bytes if needed). */
export function fillSlot(to: EnrichedBatch, index: number, from: EnrichedBatch): FilledSlot {
  const source = from.batch;
  const target = to.batch;
  const n = source.length;
  if (n > target.capacity) throw new RangeError(`Cannot fill a shared slot of ${target.capacity} packets with ${n}`);
  const sourceColumns = source as unknown as Record<string, Column>;
  const targetColumns = target as unknown as Record<string, Column>;
  for (const { name, width } of BATCH_COLUMNS) targetColumns[name]!.set(sourceColumns[name]!.subarray(0, n * width));
  for (const name of ENRICHED_COLUMNS) to[name].set(from[name].subarray(0, n));
  const filled: FilledSlot = { slot: index, length: n, dataUsed: source.dataUsed };
  if (source.dataUsed > target.data.length) {
    target.data = shared(Uint8Array, Math.max(source.dataUsed, 2 * target.data.length)) as Uint8Array;
    filled.data = target.data;
  }
  target.data.set(source.data.subarray(0, source.dataUsed));
  target.length = n;
  target.dataUsed = source.dataUsed;
  return filled;
}

/** Makes the reader's view of a slot show what a fill message said. */
export function showFilled(view: EnrichedBatch, filled: FilledSlot): EnrichedBatch {
  if (filled.data !== undefined) view.batch.data = filled.data;
  view.batch.length = filled.length;
  view.batch.dataUsed = filled.dataUsed;
  return view;
}

function shared(type: ColumnType, length: number): Column {
  const memory = new SharedArrayBuffer(Math.max(1, length) * type.BYTES_PER_ELEMENT);
  // Each constructor takes a SharedArrayBuffer; TypeScript cannot pick an overload through the union.
  return new (type as Float64ArrayConstructor)(memory as unknown as ArrayBuffer);
}
