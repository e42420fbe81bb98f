/**
 * @module
 * What the figures depend on, as one string that changes when the store
 * does: the committed ingests (how many, the newest, packets counted), the
 * detection runs (a `detect --rerun` adds them), the scanner thresholds and
 * the sensor registry (addresses, operating and down intervals). Answers
 * computed under one version are still right under it, so the answer cache
 * keeps them until it changes instead of recomputing a quarter's ranking
 * every minute. Read at most every `checkMs` (an ingest committed by
 * another process shows within that), concurrent callers sharing one read.
 */

import { SCAN_SETTINGS_KEY } from '../analyse/index.js';
import type { AnalyticsStore } from '../store/index.js';

export const DEFAULT_VERSION_CHECK_MS = 5000;

export function storeVersionOf(
  store: AnalyticsStore,
  options: { checkMs?: number; now?: () => number } = {},
): () => Promise<string> {
  const checkMs = options.checkMs ?? DEFAULT_VERSION_CHECK_MS;
  const now = options.now ?? Date.now;
  let read: { at: number; version: Promise<string> } | null = null;
  return () => {
    if (read !== null && now() - read.at < checkMs) return read.version;
    const version = Promise.all([
      // Aggregates, not the ingest list: a collector's store gains an ingest per sensor a minute.
      store.query({
        sql: 'SELECT COUNT(*) AS n, MAX(id) AS newest, MAX(ingested_sec) AS committed, SUM(packets_counted) AS packets FROM ingests',
        params: [],
      }),
      store.query({ sql: 'SELECT COUNT(*) AS n FROM detection_run_rows', params: [] }),
      store.getMeta(SCAN_SETTINGS_KEY),
      store.listSensors(),
    ]).then(([ingests, detections, scanSettings, sensors]) => {
      const registry = sensors.map((s) => [s.id, s.name, s.label, s.addresses.map((a) => a.cidr), s.intervals]);
      return JSON.stringify([ingests[0], detections[0], scanSettings ?? null, registry]);
    });
    read = { at: now(), version };
    // A failed read is not kept: the next request tries again.
    version.catch(() => {
      read = null;
    });
    return version;
  };
}
