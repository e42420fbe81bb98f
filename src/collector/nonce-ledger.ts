/**
 * @module
 * `NonceLedger`: every nonce of an accepted request, so the same request
 * sent again is refused as a replay. Held in memory for the skew window
 * (a request stamped outside it is refused by its timestamp anyway) and
 * written to the store before the request is processed, so a replay is also
 * refused after a collector restart, or by another collector on the same store.
 */

import type { AnalyticsStore } from '../store/index.js';
import { MAX_CLOCK_SKEW_MS } from '../sensor/index.js';
import { CollectorError, CollectorErrorCode } from './errors.js';

/** Nonces are kept for twice the skew window: a timestamp can be up to the window ahead or behind. */
const KEEP_MS = 2 * MAX_CLOCK_SKEW_MS;
const PRUNE_EVERY = 1000;
/** How often the stored nonces past the window are deleted (a ClickHouse mutation each time). */
const STORE_PRUNE_MS = 60 * 60_000;

export class NonceLedger {
  private readonly seen = new Map<string, number>();
  private claims = 0;
  private prunedMs = 0;

  /** Loads the nonces the store holds from the last window and deletes older ones. */
  async load(store: AnalyticsStore, nowMs: number): Promise<void> {
    for (const row of await store.network.nonces(nowMs - KEEP_MS))
      this.seen.set(keyOf(row.sensorId, row.nonce), row.tsMs);
    await store.network.pruneNonces(nowMs - KEEP_MS);
    this.prunedMs = nowMs;
  }

  /** Deletes stored nonces past the window, at most once an hour (called by the collector's watchdog). */
  async pruneStored(store: AnalyticsStore, nowMs: number): Promise<void> {
    if (nowMs - this.prunedMs < STORE_PRUNE_MS) return;
    this.prunedMs = nowMs;
    await store.network.pruneNonces(nowMs - KEEP_MS);
  }

  /** Records the nonce, or throws a replay `CollectorError` when it was used before. */
  async claim(
    store: AnalyticsStore,
    request: { sensorId: number; nonce: string; timestampMs: number; nowMs: number },
  ): Promise<void> {
    const key = keyOf(request.sensorId, request.nonce);
    // The store too: collectors sharing a (ClickHouse) store see each other's nonces, short of a same-instant race.
    if (this.seen.has(key) || (await store.network.hasNonce(request.sensorId, request.nonce))) {
      throw new CollectorError(
        CollectorErrorCode.REPLAY,
        `nonce ${request.nonce} was used before: the request is a replay`,
      );
    }
    this.seen.set(key, request.timestampMs);
    try {
      await store.network.addNonce(request.sensorId, request.nonce, request.timestampMs);
    } catch (error) {
      this.seen.delete(key);
      throw error;
    }
    if (++this.claims % PRUNE_EVERY === 0) this.prune(request.nowMs);
  }

  private prune(nowMs: number): void {
    for (const [key, ts] of this.seen) if (ts < nowMs - KEEP_MS) this.seen.delete(key);
  }
}

function keyOf(sensorId: number, nonce: string): string {
  return `${sensorId}:${nonce}`;
}
