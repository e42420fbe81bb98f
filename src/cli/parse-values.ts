/**
 * @module
 * Parsers of option text for `options.ts`'s `parsed()`: each turns a string
 * into a typed value or throws a `RangeError` saying what the text must be
 * (the option's name is added by `parseOptions`).
 */
import { UsageError } from './errors.js';

/** Whole numbers from `min` (to `max` when given). */
export function wholeNumber(min: number, max?: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
      const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
      throw new RangeError(`must be a whole number ${range}, got '${text}'`);
    }
    return n;
  };
}

export function exactlyOne(positionals: string[], what: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(`expected exactly one ${what}, got ${positionals.length}`);
  }
  return positionals[0]!;
}

/** Largest `--scale` a simulation accepts (packet counts grow linearly with it). */
const MAX_SCALE = 1000;

/** `--scale`: a number in (0, MAX_SCALE]. */
export function scaleValue(text: string): number {
  const n = Number(text);
  if (!/^\d*\.?\d+(e[+-]?\d+)?$/i.test(text) || !(n > 0) || n > MAX_SCALE) {
    throw new RangeError(`must be a number above 0 and at most ${MAX_SCALE}, got '${text}'`);
  }
  return n;
}
