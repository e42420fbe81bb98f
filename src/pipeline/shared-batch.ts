/**
 * @module
 * Enriched packet batches in shared memory: the decode thread
 * (`decode-worker.ts`) copies each batch it decoded and enriched into a free
 * slot, the ingest thread reads the slot through a `PacketBatch` view of the
 * same memory and hands the slot back. A slot is one `SharedArrayBuffer` per
 * column, so a view is the columns themselves, never a copy.
 */

import { createEnrichedBatch, type EnrichedBatch } from '../classify/index.js';
import { PacketBatch, type BatchColumn, type BatchColumnType, type ColumnSupplier } from '../decode/index.js';

/** A batch's typed-array columns other than `data`, with values per packet (16 for IPv6 addresses). */
const BATCH_COLUMNS: readonly { name: string; width: number }[] = (() => {
  const probe = new PacketBatch(1, 1) as unknown as Record<string, unknown>;
  return Object.keys(probe)
    .filter((name) => name !== 'data' && ArrayBuffer.isView(probe[name]))
    .map((name) => ({ name, width: (probe[name] as BatchColumn).length }));
})();

/** The enrichment columns, as `createEnrichedBatch` makes them (one value per packet). */
const ENRICHED_COLUMNS = Object.keys(createEnrichedBatch(new PacketBatch(1, 1))).filter(
  (name) => name !== 'batch',
) as Exclude<keyof EnrichedBatch, 'batch'>[];

/** One slot's memory: what a thread posts to the other once (typed arrays over shared memory are shared, not copied). */
export interface SharedSlot {
  readonly capacity: number;
  /** Every column of the batch (`data` included) and of its enrichment, by name. */
  readonly columns: Readonly<Record<string, BatchColumn>>;
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
  const columns: Record<string, BatchColumn> = {};
  const share: ColumnSupplier = (name, type, length) => (columns[name] = shared(type, length));
  createEnrichedBatch(new PacketBatch(capacity, dataBytes, share), share);
  return { capacity, columns };
}

/**
 * A slot's memory as an `EnrichedBatch` (a real `PacketBatch` and
 * enrichment whose columns are the slot's), for the thread that fills it and
 * the one that reads it.
 */
export function slotBatch(slot: SharedSlot): EnrichedBatch {
  const fromSlot: ColumnSupplier = (name) => slot.columns[name]!;
  return createEnrichedBatch(new PacketBatch(slot.capacity, 0, fromSlot), fromSlot);
}

/** Copies packets `[0, length)` of `from` into slot `index`'s batch `to` (its data replaced by larger shared bytes if needed). */
export function fillSlot(to: EnrichedBatch, index: number, from: EnrichedBatch): FilledSlot {
  const source = from.batch;
  const target = to.batch;
  const n = source.length;
  if (n > target.capacity) throw new RangeError(`Cannot fill a shared slot of ${target.capacity} packets with ${n}`);
  const sourceColumns = source as unknown as Record<string, BatchColumn>;
  const targetColumns = target as unknown as Record<string, BatchColumn>;
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

function shared(type: BatchColumnType, length: number): BatchColumn {
  const memory = new SharedArrayBuffer(Math.max(1, length) * type.BYTES_PER_ELEMENT);
  // Each constructor takes a SharedArrayBuffer; TypeScript cannot pick an overload through the union.
  return new (type as Float64ArrayConstructor)(memory as unknown as ArrayBuffer);
}
