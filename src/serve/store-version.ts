/**
 * @module
 * What the figures depend on, as one string that changes when the store
 * does: the committed ingests (how many, the newest, packets counted) and
 * the sensor registry (addresses, operating and down intervals). Answers
 * computed under one version are still right under it, so the answer cache
 * keeps them until it changes instead of recomputing a quarter's ranking
 * every minute. Read at most every `checkMs` (an ingest committed by
 * another process shows within that), concurrent callers sharing one read.
 */

import type { AnalyticsStore } from '../store/index.js';

export const DEFAULT_VERSION_CHECK_MS = 5000;

export function storeVersionOf(store: AnalyticsStore, options: { checkMs?: number; now?: () => number } = {}): () => Promise<string> {
  const checkMs = options.checkMs ?? DEFAULT_VERSION_CHECK_MS;
  const now = options.now ?? Date.now;
  let read: { at: number; version: Promise<string> } | null = null;
  return () => {
    if (read !== null && now() - read.at < checkMs) return read.version;
    const version = Promise.all([store.listIngests(), store.listSensors()]).then(([ingests, sensors]) => {
      let newest = 0;
      let committed = 0;
      let packets = 0;
      for (const i of ingests) {
        newest = Math.max(newest, i.id);
        committed = Math.max(committed, i.ingestedSec);
        packets += i.packetsCounted;
      }
      const registry = sensors.map((s) => [s.id, s.name, s.label, s.addresses.map((a) => a.cidr), s.intervals]);
      return JSON.stringify([ingests.length, newest, committed, packets, registry]);
    });
    read = { at: now(), version };
    // A failed read is not kept: the next request tries again.
    version.catch(() => { read = null; });
    return version;
  };
}
