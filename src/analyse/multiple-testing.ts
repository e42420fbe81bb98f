/**
 * @module
 * Benjamini–Hochberg: p-values of a family of tests (the rows of one
 * ranking table) turned into adjusted q-values, so that claiming every row
 * with q ≤ α keeps the expected share of false claims among the claims at
 * most α (independent or positively dependent tests, BH 1995; BY 2001).
 */

/** The false discovery rate a claim is made at. */
export const FALSE_DISCOVERY_RATE = 0.05;

/**
 * BH-adjusted p-values, in the input order: q₍ᵢ₎ = min over j ≥ i of
 * m·p₍ⱼ₎/j (sorted ascending), capped at 1. Throws `RangeError` on a value
 * outside 0..1.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Cannot adjust p-value ${i}: ${p} is not in 0..1`);
  });
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]! || a - b);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const i = order[k]!;
    running = Math.min(running, (m * pValues[i]!) / (k + 1));
    adjusted[i] = running;
  }
  return adjusted;
}
