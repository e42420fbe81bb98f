import { describe, expect, it } from 'vitest';
import {
  betaI,
  gammaP,
  gammaQuantile,
  logGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  studentTTwoSided,
} from './distributions.js';

/**
 * Reference values: published table quantiles (z 0.975 = 1.959964, t tables,
 * χ² tables halved for the gamma) to the digits printed there, and
 * scipy.stats 1.17 (an independent implementation) for the rest.
 */
const close = (actual: number, expected: number, relative = 1e-9): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(Math.abs(expected), 1e-300));
};

describe('distributions', () => {
  it('logGamma() matches factorials and Γ(1/2) = √π', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-12);
    close(Math.exp(logGamma(6)), 120, 1e-12);
    close(Math.exp(logGamma(0.5)), Math.sqrt(Math.PI), 1e-12);
    close(logGamma(101), 363.73937555556347, 1e-12);
  });

  it('normalQuantile() and normalCdf() match the normal table, far tails included', () => {
    close(normalQuantile(0.975), 1.959963984540054, 1e-12);
    close(normalQuantile(0.025), -1.959963984540054, 1e-12);
    close(normalQuantile(1e-10), -6.361340902404056, 1e-12);
    expect(normalQuantile(0.5)).toBe(0);
    close(normalCdf(1.5), 0.9331927987311419, 1e-12);
    close(normalCdf(-8), 6.22096057427174e-16, 1e-9);
    close(normalCdf(normalQuantile(0.3)), 0.3, 1e-12);
  });

  it('studentTQuantile() matches the t table (df 1, 10, 29, 90; fractional df; ∞ = normal)', () => {
    close(studentTQuantile(0.975, 1), 12.706204736174694, 1e-9);
    close(studentTQuantile(0.975, 10), 2.228138851986274, 1e-9);
    close(studentTQuantile(0.975, 29), 2.045229642132703, 1e-9);
    close(studentTQuantile(0.975, 90), 1.9866745407037683, 1e-9);
    close(studentTQuantile(0.975, 2.5), 3.5746548420036817, 1e-9);
    close(studentTQuantile(0.025, 10), -2.228138851986274, 1e-9);
    close(studentTQuantile(0.975, Number.POSITIVE_INFINITY), 1.959963984540054, 1e-12);
  });

  it('studentTCdf() and studentTTwoSided() match t probabilities', () => {
    close(studentTCdf(2.015048, 5), 0.9499999761825422, 1e-8);
    close(studentTCdf(-2.015048, 5), 1 - 0.9499999761825422, 1e-7);
    close(studentTTwoSided(3.5, 12), 0.004381869431748154, 1e-8);
    close(studentTTwoSided(0.3, 4.5), 0.7775335470394313, 1e-8);
    expect(studentTTwoSided(0, 3)).toBe(1);
  });

  it('gammaP() and gammaQuantile() match χ²/2 tables (the Garwood Poisson bounds)', () => {
    close(gammaP(2.5, 3.2), 0.7307812010128965, 1e-10);
    close(1 - gammaP(10, 50), 1.2596084591660847e-12, 1e-3);
    // χ²(0.975; 2)/2: the upper 95 % bound of a Poisson count of 0.
    close(gammaQuantile(0.975, 1), 3.6888794541139354, 1e-9);
    close(gammaQuantile(0.025, 5), 1.6234863901184207, 1e-9);
    close(gammaQuantile(0.975, 11), 18.39035604201778, 1e-9);
    close(gammaQuantile(0.975, 1000.5), 1063.4366455565284, 1e-9);
    close(gammaQuantile(0.025, 0.5), 0.0004910345585876278, 1e-8);
    expect(gammaQuantile(0, 3)).toBe(0);
  });

  it('betaI() matches the beta distribution function', () => {
    close(betaI(0.3, 2.5, 4), 0.3521975859067672, 1e-10);
    close(betaI(0.5, 3, 3), 0.5, 1e-12);
  });

  it('quantile functions reject probabilities outside 0..1 and bad shapes with RangeError', () => {
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
    expect(() => gammaQuantile(0.5, -1)).toThrow(RangeError);
    expect(() => betaI(2, 1, 1)).toThrow(RangeError);
  });
});
