/**
 * @module
 * Figures in the text tables of `stats` and `detections`: a number with
 * comma groups and fixed decimals, a signed change, and the row that sets a
 * period's figure beside the previous period's with the change and the
 * change in percent.
 */

/** `value` with `digits` decimals and comma groups; n/a for null. */
export const fixed = (value: number | null, digits: number): string =>
  value === null
    ? 'n/a'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** `value` as `fixed` gives it, with + before a rise, and `unit` after. */
export const signed = (value: number | null, digits: number, unit = ''): string =>
  value === null ? 'n/a' : `${value > 0 ? '+' : ''}${fixed(value, digits)}${unit}`;

/** Statistics of a period against the previous one, figure by figure. */
interface Compared<K extends string> {
  current: Record<K, number | null>;
  previous: Record<K, number | null>;
  change: Record<K, { abs: number | null; pct: number | null }>;
}

/** `label`, this period's and the previous period's `key`, the change (`digits` decimals) and the change in percent. */
export function changeRow<K extends string>(label: string, figures: Compared<K>, key: K, digits: number): string[] {
  return [
    label,
    fixed(figures.current[key], digits),
    fixed(figures.previous[key], digits),
    signed(figures.change[key].abs, digits),
    signed(figures.change[key].pct, 1, '%'),
  ];
}
