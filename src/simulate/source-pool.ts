/**
 * @module
 * `SourcePool`: the distinct source addresses of one stream, grouped by
 * country. Addresses are drawn uniformly from the real IPv4 space of each
 * country in the GeoIP database teiten enriches with, so enrichment resolves
 * every packet back to the country it was planted for.
 *
 * A visit first picks a country by weight (so packet shares follow the
 * scenario's weights however few sources a country has), then a source within
 * that country's block, uniformly or, with `skew`, favouring the first ones.
 */

import type { Ipv4Networks } from '../classify/index.js';
import type { Rng } from '../util/random.js';

/** Tries before accepting a duplicate address (tiny networks) or giving up on excluded ones. */
const MAX_DRAWS = 32;

export interface PoolCountry {
  code: string;
  weight: number;
  /** Index in the scenario's country list. */
  index: number;
  networks: Ipv4Networks;
}

export class SourcePool {
  readonly addresses: Uint32Array;
  /** Country index (scenario list) of each address. */
  readonly countryOf: Uint16Array;
  /** Per pool country: first address index, count, and cumulative weight. */
  private readonly starts: Int32Array;
  private readonly counts: Int32Array;
  private readonly cumulative: Float64Array;

  constructor(
    addresses: Uint32Array,
    countryOf: Uint16Array,
    blocks: readonly { start: number; count: number; weight: number }[],
  ) {
    this.addresses = addresses;
    this.countryOf = countryOf;
    this.starts = Int32Array.from(blocks, (b) => b.start);
    this.counts = Int32Array.from(blocks, (b) => b.count);
    let sum = 0;
    this.cumulative = Float64Array.from(blocks, (b) => (sum += b.weight));
  }

  get size(): number {
    return this.addresses.length;
  }

  /** Index of a source for one visit. */
  pick(rng: Rng, skew: number): number {
    const cumulative = this.cumulative;
    const target = rng.float() * cumulative[cumulative.length - 1]!;
    let c = 0;
    while (c < cumulative.length - 1 && cumulative[c]! <= target) c++;
    const u = rng.float();
    const offset = Math.floor(this.counts[c]! * (skew === 0 ? u : u ** (1 + skew)));
    return this.starts[c]! + offset;
  }
}

/** Splits `size` over weights by largest remainder, at least one each. */
export function allocate(size: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const n = Math.max(size, weights.length);
  const exact = weights.map((w) => (n * w) / total);
  const out = exact.map((x) => Math.max(1, Math.floor(x)));
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]!++;
  // Taking one from the largest keeps the total when the minimum of one overshot.
  while (left < 0) {
    const largest = out.indexOf(Math.max(...out));
    out[largest]!--;
    left++;
  }
  return out;
}

/**
 * Draws a pool of about `size` distinct addresses (at least one per country),
 * avoiding `excluded` addresses (the sensors' own and the other hosts').
 */
export function drawSourcePool(options: {
  size: number;
  countries: readonly PoolCountry[];
  rng: Rng;
  excluded: ReadonlySet<number>;
}): SourcePool {
  const { countries, rng, excluded } = options;
  const counts = allocate(
    options.size,
    countries.map((c) => c.weight),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  const addresses = new Uint32Array(total);
  const countryOf = new Uint16Array(total);
  const seen = new Set<number>();
  const blocks: { start: number; count: number; weight: number }[] = [];
  let at = 0;
  countries.forEach((country, c) => {
    const start = at;
    const space = country.networks.total;
    for (let k = 0; k < counts[c]!; k++) {
      let address = 0;
      for (let attempt = 0; attempt < MAX_DRAWS; attempt++) {
        address = country.networks.addressAt(Math.floor(rng.float() * space));
        if (!seen.has(address) && !excluded.has(address)) break;
      }
      if (excluded.has(address))
        throw new RangeError(`Cannot draw a source in ${country.code}: every draw hit a sensor or other-host address`);
      seen.add(address);
      addresses[at] = address;
      countryOf[at] = country.index;
      at++;
    }
    blocks.push({ start, count: counts[c]!, weight: country.weight });
  });
  return new SourcePool(addresses, countryOf, blocks);
}
