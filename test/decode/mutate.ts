/**
 * @module
 * Seeded mutations of valid captures for the fuzz suite: util/random's Rng
 * (so a failing run is replayed from its seed and index), and mutators for
 * bit flips, byte overwrites, truncation, inserted and deleted bytes, and
 * lies in the length and type fields `captureLayout()` located.
 */
import type { Rng } from '../../src/util/random.js';
import type { CaptureLayout, FieldTarget } from './capture-layout.js';

const MAX_SPLICE = 24;
const MAX_FLIPS = 4;
const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x40, 0x45, 0x60];
const FIELD_MAX = { 1: 0xff, 2: 0xffff, 4: 0xffffffff } as const;

/** A field value that is a plausible lie: boundaries, off-by-some, or random. */
function lie(rng: Rng, size: 1 | 2 | 4, original: number): number {
  const max = FIELD_MAX[size];
  const deltas = [-1, 1, -4, 4, -8, 8, -20, 20, -40, 40];
  switch (rng.int(6)) {
    case 0:
      return rng.pick([0, 1, 2, 3, 4, 7, 8, 19, 20, 39, 40, 60, 64]);
    case 1:
      return rng.pick([max, max - 1, max >>> 1, (max >>> 1) + 1]);
    case 2:
    case 3:
      return Math.min(max, Math.max(0, original + rng.pick(deltas)));
    case 4:
      return Math.min(max, original * 2 + rng.int(3));
    default:
      return rng.uint32() % (max + 1);
  }
}

function readField(bytes: Uint8Array, target: FieldTarget): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (target.size === 1) return view.getUint8(target.offset);
  if (target.size === 2) return view.getUint16(target.offset, target.littleEndian);
  return view.getUint32(target.offset, target.littleEndian);
}

function writeField(bytes: Uint8Array, target: FieldTarget, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (target.size === 1) view.setUint8(target.offset, value);
  else if (target.size === 2) view.setUint16(target.offset, value, target.littleEndian);
  else view.setUint32(target.offset, value, target.littleEndian);
}

/** Replaces one located field with a lie; returns a description. */
function lieInField(rng: Rng, bytes: Uint8Array, layout: CaptureLayout): string {
  const target = rng.pick(layout.targets);
  const original = readField(bytes, target);
  if (target.nibble !== undefined) {
    const value = rng.int(16);
    const kept = target.nibble === 'high' ? original & 0x0f : original & 0xf0;
    writeField(bytes, target, target.nibble === 'high' ? kept | (value << 4) : kept | value);
    return `${target.name} @${target.offset} nibble ${value}`;
  }
  const value = lie(rng, target.size, original);
  writeField(bytes, target, value);
  return `${target.name} @${target.offset} ${original}→${value}`;
}

export interface Mutation {
  bytes: Uint8Array;
  /** What was done, in order, for failure messages. */
  steps: string[];
}

/**
 * One to three mutations of `base`: field lies and in-place changes first
 * (the layout's offsets hold only until bytes move), then at most one
 * insertion, deletion or truncation.
 */
export function mutate(rng: Rng, base: Uint8Array, layout: CaptureLayout): Mutation {
  let bytes = Uint8Array.from(base);
  const steps: string[] = [];
  const inPlace = 1 + rng.int(2);
  for (let k = 0; k < inPlace && bytes.length > 0; k++) {
    const op = rng.int(layout.targets.length > 0 ? 10 : 4);
    if (op < 2) {
      for (let f = 1 + rng.int(MAX_FLIPS); f > 0; f--) {
        const at = rng.int(bytes.length);
        const bit = rng.int(8);
        bytes[at] = bytes[at]! ^ (1 << bit);
        steps.push(`flip bit ${bit} @${at}`);
      }
    } else if (op < 4) {
      const at = rng.int(bytes.length);
      bytes[at] = rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
      steps.push(`overwrite @${at} with ${bytes[at]}`);
    } else {
      steps.push(`lie: ${lieInField(rng, bytes, layout)}`);
    }
  }
  const structural = rng.int(5);
  if (structural === 0 && bytes.length > 0) {
    const at = rng.int(bytes.length);
    bytes = bytes.subarray(0, at);
    steps.push(`truncate to ${at}`);
  } else if (structural === 1) {
    const at = rng.int(bytes.length + 1);
    const extra = Uint8Array.from({ length: 1 + rng.int(MAX_SPLICE) }, () => rng.int(256));
    bytes = Uint8Array.from([...bytes.subarray(0, at), ...extra, ...bytes.subarray(at)]);
    steps.push(`insert ${extra.length} bytes @${at}`);
  } else if (structural === 2 && bytes.length > 1) {
    const at = rng.int(bytes.length);
    const count = 1 + rng.int(MAX_SPLICE);
    bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + count)]);
    steps.push(`delete ${count} bytes @${at}`);
  }
  return { bytes, steps };
}
