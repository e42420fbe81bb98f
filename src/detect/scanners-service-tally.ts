/**
 * @module
 * `ServiceTally`: the services (port/protocol keys) one source probed in one
 * window, with the probes per service, in a form that merges exactly.
 *
 * While the source reached at most `SERVICE_TALLY_LIMIT` (256) services the
 * tally is exact: service → probes. Those counts add up across pieces of
 * evidence, so the most-probed services of a scanner are exact however its
 * probes were cut into files or spread over sensors (a Space-Saving top-k
 * would not merge exactly: its counts depend on arrival order). Past 256
 * services (a vertical sweep) the counts are dropped and the tally keeps only
 * a `DistinctCounter` sketch for the number of services: the top services
 * of such a source are withheld, not guessed. Whether a tally is past the
 * limit depends only on the set of services, so the merge of any split is
 * the tally of the whole.
 *
 * Text form (`toText`): '' for none, `key:probes` pairs sorted by key and
 * separated by spaces while exact, else the sketch's text (`~…`).
 */

import { DistinctCounter } from './scanners-distinct.js';

/** Services counted exactly per source and window; more turn the tally into a sketch. */
export const SERVICE_TALLY_LIMIT = 256;
const SKETCH_MARK = '~';
const DECIMAL = 10;

export interface ServiceProbes {
  key: number;
  probes: number;
}

export class ServiceTally {
  /** The only service while there is one, kept inline: most sources probe one service. */
  private firstKey = -1;
  private firstCount = 0;
  private counts: Map<number, number> | null = null;
  /** Set once past the limit; the counts are gone then. */
  private sketch: DistinctCounter | null = null;

  /** Whether the tally still holds every service's probes. */
  get exact(): boolean {
    return this.sketch === null;
  }

  /** Distinct services: exact while `exact`, else the sketch's estimate. */
  get size(): number {
    if (this.sketch !== null) return this.sketch.size;
    if (this.counts !== null) return this.counts.size;
    return this.firstCount === 0 ? 0 : 1;
  }

  add(key: number, probes = 1): void {
    if (this.sketch !== null) {
      this.sketch.add(key);
      return;
    }
    const counts = this.counts;
    if (counts === null) {
      if (this.firstCount === 0 || this.firstKey === key) {
        this.firstKey = key;
        this.firstCount += probes;
        return;
      }
      this.counts = new Map([
        [this.firstKey, this.firstCount],
        [key, probes],
      ]);
      return;
    }
    const held = counts.get(key);
    if (held !== undefined) {
      counts.set(key, held + probes);
      return;
    }
    counts.set(key, probes);
    if (counts.size > SERVICE_TALLY_LIMIT) this.toSketch();
  }

  /** The `limit` most-probed services (ties by key); empty once past the limit. */
  top(limit: number): ServiceProbes[] {
    if (this.sketch !== null) return [];
    const all = this.entries();
    all.sort((a, b) => b.probes - a.probes || a.key - b.key);
    return all.slice(0, limit);
  }

  toText(): string {
    if (this.sketch !== null) return this.sketch.toText();
    const all = this.entries();
    all.sort((a, b) => a.key - b.key);
    return tallyText(
      all.map((e) => e.key),
      all.map((e) => e.probes),
      all.length,
    );
  }

  /** Adds a tally written by `toText()`: the result is the tally of both pieces together. */
  mergeText(text: string): void {
    if (text === '') return;
    if (text.startsWith(SKETCH_MARK)) {
      if (this.sketch === null) this.toSketch();
      this.sketch!.mergeText(text);
      return;
    }
    for (const pair of text.split(' ')) {
      const colon = pair.indexOf(':');
      const key = Number.parseInt(pair.slice(0, colon), DECIMAL);
      const probes = Number(pair.slice(colon + 1));
      if (colon < 1 || !Number.isInteger(key) || key < 0 || !Number.isSafeInteger(probes) || probes < 1) {
        throw new SyntaxError(`Cannot read a service tally: '${pair}' is not service:probes`);
      }
      this.add(key, probes);
    }
  }

  private entries(): ServiceProbes[] {
    if (this.counts !== null) return [...this.counts].map(([key, probes]) => ({ key, probes }));
    return this.firstCount === 0 ? [] : [{ key: this.firstKey, probes: this.firstCount }];
  }

  private toSketch(): void {
    const sketch = new DistinctCounter();
    for (const e of this.entries()) sketch.add(e.key);
    this.sketch = sketch;
    this.counts = null;
    this.firstCount = 0;
  }
}

/**
 * The text of an exact tally of `n` services, `keys` ascending with
 * `probes[k]` each (at most `SERVICE_TALLY_LIMIT`): what `toText()` writes
 * for it, also for callers that count their own way (`scanners-open.ts`).
 */
export function tallyText(keys: ArrayLike<number>, probes: ArrayLike<number>, n: number): string {
  let text = '';
  for (let k = 0; k < n; k++) text += `${k === 0 ? '' : ' '}${keys[k]}:${probes[k]}`;
  return text;
}
