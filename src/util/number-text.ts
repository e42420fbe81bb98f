/**
 * @module
 * The one way teiten writes a number as text, for the reports, the finding
 * sentences and the dashboard: comma groups and rounding half away from zero
 * on the decimal value as written (the reports' 四捨五入), not on the binary
 * double: 1.005 to two decimals is 1.01, where `toFixed` gives 1.00. Output
 * never depends on the ICU version (no `Intl.NumberFormat`), so a page or a
 * sentence stays byte-identical across Node builds.
 */

const GROUP_SEPARATOR = ',';
const MAX_DECIMALS = 10;
/** 2^53: from here on every double is an integer. */
const NO_FRACTION_MAGNITUDE = 2 ** 53;

/** Rounds half away from zero at `decimals` places, on the shortest decimal form of `value`. */
export function roundHalfUp(value: number, decimals: number): number {
  checkDecimals(decimals);
  if (!Number.isFinite(value)) throw new RangeError(`Cannot round ${value}: not a finite number`);
  const magnitude = Math.abs(value);
  // Doubles this large have no fraction digits left to round.
  if (magnitude >= NO_FRACTION_MAGNITUDE) return value;
  // Shift by editing the exponent of the shortest decimal text, so 1.005 becomes 100.5 exactly.
  const [mantissa, exponent = '0'] = String(magnitude).split('e');
  const shifted = Math.round(Number(`${mantissa}e${Number(exponent) + decimals}`));
  const result = Number(`${shifted}e-${decimals}`);
  return value < 0 && result !== 0 ? -result : result;
}

/** `12161.84` → `12,161.8` with one decimal; minus sign for negatives, never `-0`. */
export function formatNumber(value: number, decimals = 0): string {
  const rounded = roundHalfUp(value, decimals);
  const negative = rounded < 0;
  const [whole = '0', fraction] = Math.abs(rounded).toFixed(decimals).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP_SEPARATOR);
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MAX_DECIMALS) {
    throw new RangeError(`Cannot format with ${decimals} decimals: expected 0..${MAX_DECIMALS}`);
  }
}
