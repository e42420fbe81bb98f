/**
 * @module
 * Range checks for spec fields. Each returns the value so writers can check
 * and write in one expression; the message names the field (`tcp.srcPort`) so
 * a bad spec is easy to find. No allocation unless the check fails.
 */

/** An integer in 0..255. */
export function uint8(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw outOfRange(value, field, 0xff);
  return value;
}

/** An integer in 0..65535. */
export function uint16(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw outOfRange(value, field, 0xffff);
  return value;
}

/** An integer in 0..2^32-1. */
export function uint32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw outOfRange(value, field, 0xffffffff);
  return value;
}

/** An integer in 0..`max`. */
export function uintMax(value: number, limit: { field: string; max: number }): number {
  if (!Number.isInteger(value) || value < 0 || value > limit.max) throw outOfRange(value, limit.field, limit.max);
  return value;
}

/** Byte lengths that must be a multiple of 8 (fragment offsets). */
export function multipleOf8(value: number, field: string): number {
  if (value % 8 !== 0) throw new RangeError(`Cannot craft packet: ${field} is ${value} (must be a multiple of 8)`);
  return value;
}

function outOfRange(value: number, field: string, max: number): RangeError {
  return new RangeError(`Cannot craft packet: ${field} is ${String(value)} (must be an integer in 0..${max})`);
}
