/**
 * @module
 * The few distribution functions the rate intervals and change tests need,
 * written out so the analytics stage has no numeric dependency: the normal
 * and Student t quantiles, the t distribution function, and the gamma
 * quantile behind exact Poisson (Garwood) bounds. Accuracy is far beyond
 * what a printed interval shows (relative error ≲ 1e-9); the tests check
 * them against published table values.
 */

/** Lanczos coefficients (g = 7, n = 9), as in Numerical Recipes 3rd ed. §6.1. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const MAX_ITERATIONS = 500;
const EPSILON = 1e-15;
/** Smallest positive normal double's neighbourhood, guarding continued fractions against 0. */
const TINY = 1e-300;

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularised lower incomplete gamma function P(a, x), a > 0, x ≥ 0. */
export function gammaP(a: number, x: number): number {
  return incompleteGamma(a, x).p;
}

/**
 * P(a, x) and Q(a, x) = 1 − P(a, x), each computed directly where it is the
 * small one (series below a + 1, continued fraction above), so a far tail
 * keeps its relative precision instead of cancelling against 1.
 */
function incompleteGamma(a: number, x: number): { p: number; q: number } {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`Cannot evaluate P(${a}, ${x}): expected a > 0 and x ≥ 0`);
  if (x === 0) return { p: 0, q: 1 };
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    // Series: P = e^{-x} x^a / Γ(a) · Σ x^n / (a (a+1) … (a+n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    const p = Math.min(1, sum * front);
    return { p, q: 1 - p };
  }
  // Continued fraction for Q (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  const q = Math.max(0, front * h);
  return { p: 1 - q, q };
}

/** x with P(a, x) = p: the p-quantile of a unit-scale gamma with shape a. */
export function gammaQuantile(p: number, a: number): number {
  checkProbability(p, 'gamma quantile');
  if (!(a > 0)) throw new RangeError(`Cannot take a gamma quantile of shape ${a}: expected > 0`);
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const start = wilsonHilferty(p, a);
  let high = Math.max(1, 2 * start);
  while (gammaP(a, high) < p) high *= 2;
  const logNorm = logGamma(a);
  return safeNewton({
    f: (x) => gammaP(a, x) - p,
    slope: (x) => Math.exp((a - 1) * Math.log(x) - x - logNorm),
    start,
    low: 0,
    high,
  });
}

/** Wilson–Hilferty's approximation of the gamma quantile, a Newton start within a few percent. */
function wilsonHilferty(p: number, a: number): number {
  const z = normalQuantile(p);
  const c = 1 / (9 * a);
  return a * Math.max(1e-3, 1 - c + z * Math.sqrt(c)) ** 3;
}

/** The regularised incomplete beta function I_x(a, b). */
export function betaI(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) {
    throw new RangeError(`Cannot evaluate I_${x}(${a}, ${b}): expected 0 ≤ x ≤ 1 and a, b > 0`);
  }
  if (x === 0 || x === 1) return x;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast below the mean; use the symmetry above it.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** Numerical Recipes' `betacf` (modified Lentz). */
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/** P(T ≤ t) for Student's t with `df` > 0 degrees of freedom (df = ∞: the standard normal). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`Cannot evaluate a t distribution with ${df} degrees of freedom`);
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t);
  if (t === 0) return 0.5;
  const tail = 0.5 * betaI(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|). */
export function studentTTwoSided(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`Cannot evaluate a t distribution with ${df} degrees of freedom`);
  if (df === Number.POSITIVE_INFINITY) return Math.min(1, 2 * normalCdf(-Math.abs(t)));
  return t === 0 ? 1 : betaI(df / (df + t * t), df / 2, 0.5);
}

/** The p-quantile of Student's t with `df` degrees of freedom (df = ∞: the normal quantile). */
export function studentTQuantile(p: number, df: number): number {
  checkProbability(p, 't quantile');
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (!(df > 0)) throw new RangeError(`Cannot take a t quantile with ${df} degrees of freedom`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let high = Math.max(1, normalQuantile(p));
  while (studentTCdf(high, df) < p) high *= 2;
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return safeNewton({
    f: (t) => studentTCdf(t, df) - p,
    slope: (t) => Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df)),
    start: Math.min(normalQuantile(p), high),
    low: 0,
    high,
  });
}

/** Φ(x), through erfc(z) = Q(1/2, z²) so both tails keep their relative precision. */
export function normalCdf(x: number): number {
  if (x === 0) return 0.5;
  const { p, q } = incompleteGamma(0.5, (x * x) / 2);
  // Φ(x) = erfc(−x/√2) / 2; erfc(z) = Q(½, z²) for z > 0 and 1 + P(½, z²) for z < 0.
  return x < 0 ? q / 2 : (1 + p) / 2;
}

/** Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16), relative error about 1e-16. */
export function normalQuantile(p: number): number {
  checkProbability(p, 'normal quantile');
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    value =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -value : value;
}

function checkProbability(p: number, what: string): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`Cannot take a ${what} at probability ${p}: expected 0..1`);
}

const NEWTON_STEPS = 100;
const NEWTON_TOLERANCE = 1e-13;

/**
 * The root of increasing `f` in [low, high]: Newton steps from `start`,
 * falling back to bisection whenever a step leaves the bracket, which
 * shrinks around the root at every evaluation.
 */
function safeNewton(g: {
  f: (x: number) => number;
  slope: (x: number) => number;
  start: number;
  low: number;
  high: number;
}): number {
  let { low, high } = g;
  let x = g.start > low && g.start < high ? g.start : 0.5 * (low + high);
  for (let i = 0; i < NEWTON_STEPS; i++) {
    const fx = g.f(x);
    if (fx === 0) return x;
    if (fx < 0) low = x;
    else high = x;
    const slope = g.slope(x);
    let next = x - fx / slope;
    if (!(next > low && next < high) || !Number.isFinite(next)) next = 0.5 * (low + high);
    if (Math.abs(next - x) <= NEWTON_TOLERANCE * Math.max(1, Math.abs(x)) || high - low <= EPSILON * Math.max(1, high))
      return next;
    x = next;
  }
  return x;
}
