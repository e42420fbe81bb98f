/**
 * @module
 * `parseByteSize()`: a size option such as `--memory-budget 384MiB`, checked
 * at the CLI edge. A bare number is MiB; the units are binary (KiB, MiB,
 * GiB, also written K, M, G), case-insensitive.
 */

const UNITS: Readonly<Record<string, number>> = {
  '': 2 ** 20,
  b: 1,
  k: 2 ** 10,
  kb: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mb: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gb: 2 ** 30,
  gib: 2 ** 30,
};
const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i;

/** Bytes of `text`; throws a `RangeError` on anything else than a positive size. */
export function parseByteSize(text: string): number {
  const match = SIZE_PATTERN.exec(text);
  const unit = match === null ? undefined : UNITS[match[2]!.toLowerCase()];
  const bytes = match === null || unit === undefined ? NaN : Math.floor(Number(match[1]) * unit);
  if (!(bytes > 0)) throw new RangeError(`must be a size such as 384MiB or 2GiB (a bare number is MiB), got '${text}'`);
  return bytes;
}
