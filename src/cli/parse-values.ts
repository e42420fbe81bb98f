/**
 * @module
 * Validation of raw option values at the CLI edge: each turns a string into a
 * typed value or throws a `UsageError` naming the option.
 */
import { UsageError } from './errors.js';

export function positiveInteger(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`--${option} must be a whole number of at least 1, got '${text}'`);
  }
  return n;
}

export function choice<T extends string>(value: unknown, option: string, choices: readonly T[]): T {
  const text = String(value);
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${option} must be one of ${choices.join(', ')}, got '${text}'`);
  }
  return text as T;
}

export function exactlyOne(positionals: string[], what: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(`expected exactly one ${what}, got ${positionals.length}`);
  }
  return positionals[0]!;
}

/** Largest `--scale` a simulation accepts (packet counts grow linearly with it). */
const MAX_SCALE = 1000;

/** `--seed`: a whole number ≥ 0, or undefined when not given. */
export function seedValue(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n))
    throw new UsageError(`--seed must be a whole number of at least 0, got '${text}'`);
  return n;
}

/** `--scale`: a number in (0, MAX_SCALE], or undefined when not given. */
export function scaleValue(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const n = Number(text);
  if (!/^\d*\.?\d+(e[+-]?\d+)?$/i.test(text) || !(n > 0) || n > MAX_SCALE) {
    throw new UsageError(`--scale must be a number above 0 and at most ${MAX_SCALE}, got '${text}'`);
  }
  return n;
}
