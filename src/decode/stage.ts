/**
 * @module
 * The staging batch: the one set of columns every decoder writes. A builder
 * frames up to `STAGE_SLOTS` packets into it, the decoders fill its slots,
 * and `copyStageOut()` moves each column into the real batch with one
 * `set()`.
 *
 * Why: the stage is a constant, so V8 folds its columns' lengths and data
 * pointers into the compiled decoders, where a store through a `batch`
 * parameter first loads the column, its length and its data pointer.
 * Measured on the darknet benchmark's frames: Ethernet/IPv4/TCP decoding took
 * 50 ns per packet writing through `batch` and 33 ns writing the stage. V8
 * folds only a module's own constants, not imported bindings, so every
 * decoder module reads it through a local `const stage = sharedStage`.
 *
 * Size: the stage takes about 400 KiB at 2048 slots, so it stays in the L2
 * cache while it is filled, decoded, copied out and cleared; the fixed cost
 * of the ~30 `set()` calls per copy-out spreads over 2048 packets (1024 and
 * 512 slots measured 5% and 10% slower end to end, 4096 no faster).
 *
 * Decoding is synchronous, so one stage serves every builder: whoever wants
 * it calls `claimStage()`, which first makes the previous user settle what it
 * staged.
 */
import { PacketBatch } from './batch.js';

/** Packets staged at most before they are decoded and copied out. */
export const STAGE_SLOTS = 2048;
/** A staged packet's status before decoding when its record's lengths are inconsistent (no real status uses it). */
export const RECORD_LENGTH_FAULT = 0xff;
const WORD_BYTES = 4;
const IPV6 = 6;
const INNER_VERSIONS = [4, 6] as const;

/**
 * The staging columns, as a plain object spread from a `PacketBatch`: the
 * class's field declarations define each field before the constructor
 * assigns it, which V8 counts as a reassignment, so it will not fold a
 * column of a constant batch; an object literal's fields are written once.
 * (`data` is unused: the decoders read the real batch's bytes.)
 */
export const sharedStage = { ...new PacketBatch(STAGE_SLOTS, 1) };
const stage = sharedStage;

/** 32-bit views of the stage's address columns: an IPv6 address is 4 loads and 4 stores. */
export const sharedAddressWords = {
  src6: wordsOf(stage.src6),
  dst6: wordsOf(stage.dst6),
  innerSrc6: wordsOf(stage.innerSrc6),
  innerDst6: wordsOf(stage.innerDst6),
} as const;

function wordsOf(column: Uint8Array): Uint32Array {
  // PacketBatch allocates each column on its own buffer, so offset 0 is 4-aligned.
  return new Uint32Array(column.buffer, column.byteOffset, column.byteLength / WORD_BYTES);
}

type NumberColumn = {
  [K in keyof PacketBatch]: PacketBatch[K] extends Uint8Array | Uint16Array | Uint32Array | Float64Array ? K : never;
}[keyof PacketBatch];
type AddressColumn = 'src6' | 'dst6' | 'innerSrc6' | 'innerDst6';
type ScalarColumn = Exclude<NumberColumn, AddressColumn | 'data'>;

/** Columns the builder sets from the record. */
export const FRAMING_COLUMNS: readonly ScalarColumn[] = ['frame', 'tsSec', 'tsNsec', 'capLen', 'wireLen', 'frameOff'];
/** Decoded columns any packet may write (`status` is written for every packet). */
export const COMMON_COLUMNS: readonly ScalarColumn[] = [
  'status',
  'pflags',
  'ipVersion',
  'src4',
  'dst4',
  'proto',
  'ttl',
  'ipId',
  'ipLen',
  'fragOffset',
  'sport',
  'dport',
  'tcpFlags',
  'tcpSeq',
  'tcpAck',
  'tcpWin',
  'tcpHdrLen',
  'icmpType',
  'icmpCode',
  'payloadOff',
  'payloadLen',
];
/** Columns of an ICMP error's quote: `decodeQuote()` sets `innerVersion` before any other. */
export const INNER_COLUMNS: readonly ScalarColumn[] = [
  'innerVersion',
  'innerProto',
  'innerSrc4',
  'innerDst4',
  'innerSport',
  'innerDport',
];
/** `decodeIpv6()` sets `ipVersion` to 6 before it writes these. */
export const IPV6_ADDRESS_COLUMNS: readonly AddressColumn[] = ['src6', 'dst6'];
export const INNER_ADDRESS_COLUMNS: readonly AddressColumn[] = ['innerSrc6', 'innerDst6'];

/**
 * Groups of decoded columns that most packets leave at 0, so they are copied
 * and cleared only when written: of the 130 decoded bytes per packet, 32 are
 * the IPv6 addresses and 46 the ICMP quote.
 */
export const ColumnGroup = {
  IPV6_ADDRESSES: 1 << 0,
  INNER: 1 << 1,
} as const;
export const ALL_COLUMN_GROUPS = ColumnGroup.IPV6_ADDRESSES | ColumnGroup.INNER;

/** Who holds staged packets; `settle()` decodes and copies them out. */
export interface StageUser {
  settle(): void;
}

let user: StageUser | undefined = undefined;

/** Takes the stage for `next` (undefined: for a one-off decode), settling the previous user first. */
export function claimStage(next: StageUser | undefined): void {
  const previous = user;
  if (previous === next) return;
  user = next;
  previous?.settle();
}

function copyColumns(
  names: readonly (ScalarColumn | AddressColumn)[],
  batch: PacketBatch,
  base: number,
  count: number,
): void {
  for (const name of names) {
    const from = stage[name];
    const width = from.length / STAGE_SLOTS;
    const to = batch[name];
    // A full stage copies whole: no subarray to allocate.
    if (count === STAGE_SLOTS) to.set(from, base * width);
    else to.set(from.subarray(0, count * width), base * width);
  }
}

function clearColumns(names: readonly (ScalarColumn | AddressColumn)[], count: number): void {
  for (const name of names) {
    const column = stage[name];
    column.fill(0, 0, count * (column.length / STAGE_SLOTS));
  }
}

/**
 * Copies stage slots `[0, count)` into `batch` slots `[base, base + count)`:
 * framing, common columns, and the groups in `groups`. The batch's columns of
 * the other groups must already be 0 there.
 */
export function copyStageOut(batch: PacketBatch, base: number, count: number, groups: number): void {
  copyColumns(FRAMING_COLUMNS, batch, base, count);
  copyColumns(COMMON_COLUMNS, batch, base, count);
  if ((groups & ColumnGroup.IPV6_ADDRESSES) !== 0) copyColumns(IPV6_ADDRESS_COLUMNS, batch, base, count);
  if ((groups & ColumnGroup.INNER) !== 0) {
    copyColumns(INNER_COLUMNS, batch, base, count);
    copyColumns(INNER_ADDRESS_COLUMNS, batch, base, count);
  }
}

/** Which groups the staged packets wrote (every stage slot past them is 0). */
export function stagedGroups(): number {
  let groups = 0;
  if (stage.ipVersion.includes(IPV6)) groups |= ColumnGroup.IPV6_ADDRESSES;
  const inner = stage.innerVersion;
  if (INNER_VERSIONS.some((version) => inner.includes(version))) groups |= ColumnGroup.INNER;
  return groups;
}

/** Zeroes the decoded columns of stage slots `[0, count)` in the common columns and `groups`. */
export function clearStage(count: number, groups: number): void {
  clearColumns(COMMON_COLUMNS, count);
  if ((groups & ColumnGroup.IPV6_ADDRESSES) !== 0) clearColumns(IPV6_ADDRESS_COLUMNS, count);
  if ((groups & ColumnGroup.INNER) !== 0) {
    clearColumns(INNER_COLUMNS, count);
    clearColumns(INNER_ADDRESS_COLUMNS, count);
  }
}

/** Zeroes the given groups' columns of `batch` slots `[0, count)`. */
export function clearBatchGroups(batch: PacketBatch, count: number, groups: number): void {
  const clear = (names: readonly (ScalarColumn | AddressColumn)[]): void => {
    for (const name of names) {
      const column = batch[name];
      column.fill(0, 0, count * (column.length / batch.capacity));
    }
  };
  if ((groups & ColumnGroup.IPV6_ADDRESSES) !== 0) clear(IPV6_ADDRESS_COLUMNS);
  if ((groups & ColumnGroup.INNER) !== 0) {
    clear(INNER_COLUMNS);
    clear(INNER_ADDRESS_COLUMNS);
  }
}
