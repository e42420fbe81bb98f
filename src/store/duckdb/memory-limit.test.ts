import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type AnalyticsStore, type IngestWriter } from '../index.js';

const MIB = 2 ** 20;
const T0 = Date.parse('2010-06-01T00:00:00Z') / 1000;
const UNITS: Record<string, number> = { bytes: 1, KiB: 2 ** 10, MiB: MIB, GiB: 2 ** 30 };

/** DuckDB's memory figures ("8.0 MiB") in bytes. */
function bytesOf(text: string): number {
  const match = /^([\d.]+) ?(bytes|KiB|MiB|GiB)$/.exec(text);
  if (match === null) throw new Error(`not a DuckDB memory figure: ${text}`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

async function memoryLimit(store: AnalyticsStore): Promise<number> {
  const [row] = await store.query<{ v: string }>({ sql: "SELECT current_setting('memory_limit') AS v", params: [] });
  return bytesOf(row!.v);
}

/** Bytes of DuckDB's buffers by tag, and what it wrote to its temporary directory. */
async function buffers(store: AnalyticsStore): Promise<{ inMemoryTable: number; temporary: number }> {
  const rows = await store.query<{ tag: string; used: number; temp: number }>({
    sql: 'SELECT tag, memory_usage_bytes AS used, temporary_storage_bytes AS temp FROM duckdb_memory()',
    params: [],
  });
  return {
    inMemoryTable: rows.find((r) => r.tag === 'IN_MEMORY_TABLE')?.used ?? 0,
    temporary: rows.reduce((sum, r) => sum + r.temp, 0),
  };
}

async function ingest(store: AnalyticsStore, sensorId: number, k: number, rows: number): Promise<IngestWriter> {
  const writer = await store.beginIngest({ sensorId, fileName: `c${k}.pcap`, sha256: '', bytes: 0 });
  const columns = {
    localDay: new Float64Array(rows).fill(14761),
    localHour: Float64Array.from({ length: rows }, (_, r) => r % 24),
    ipVersion: new Float64Array(rows).fill(4),
    service: Float64Array.from({ length: rows }, (_, r) => r % 65536),
    sportClass: new Float64Array(rows),
    country: new Float64Array(rows),
    flagClass: new Float64Array(rows),
    packetClass: new Float64Array(rows),
    packets: new Float64Array(rows).fill(1),
    bytes: new Float64Array(rows).fill(60),
  };
  await writer.appendTrafficColumns({ rowCount: rows, columns });
  await writer.appendSources([
    { localDay: 14761, src: `198.51.100.${k}`, country: 0, asn: 0, service: 445, packets: 1 },
  ]);
  return writer;
}

async function commit(writer: IngestWriter, k: number, packets: number): Promise<void> {
  const summary = {
    packetsRead: packets,
    packetsCounted: packets,
    packetsExcluded: 0,
    packetsMalformed: 0,
    duplicates: 0,
    firstSec: T0 + 3600 * k,
    lastSec: T0 + 3600 * k,
  };
  await writer.commit(summary, { sha256: (k + 1).toString(16).padStart(64, '0'), bytes: 1 });
}

async function visiblePackets(store: AnalyticsStore): Promise<number> {
  const [row] = await store.query<{ n: number }>({ sql: 'SELECT SUM(packets) AS n FROM traffic_hour', params: [] });
  return row!.n;
}

describe('DuckDB store memory limit (memoryLimitBytes)', () => {
  let dir: string;
  let path: string;
  let sensorId: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'teiten-memlimit-'));
    path = join(dir, 'store.duckdb');
    // One small ingest, checkpointed: the tables' last segments are on disk, as in a store a collector has fed for a while.
    const store = await openStore(path);
    sensorId = (await store.addSensor({ name: 's', addresses: ['192.0.2.0/24'] })).id;
    await commit(await ingest(store, sensorId, 0, 1), 0, 1);
    await store.query({ sql: 'CHECKPOINT', params: [] });
    await store.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a one-row ingest keeps the blocks DuckDB starts for it in memory, past the share, writing nothing to disk', async () => {
    const share = 8 * MIB;
    const store = await openStore(path, { memoryLimitBytes: share });
    try {
      await commit(await ingest(store, sensorId, 1, 1), 1, 1);
      const after = await buffers(store);
      // The premise: DuckDB began a whole block per column segment of the three tables, more than the share.
      expect(after.inMemoryTable).toBeGreaterThan(share);
      // With the limit at the share DuckDB wrote them to its temporary directory and read them back (20 MiB here).
      expect(after.temporary).toBe(0);
      expect(await memoryLimit(store)).toBeGreaterThanOrEqual(share + after.inMemoryTable);
      expect(await visiblePackets(store)).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('an ingest whose rows could fill the share runs under the share, and the limit returns after it', async () => {
    const share = 32 * MIB;
    const store = await openStore(path, { memoryLimitBytes: share });
    try {
      const roomy = await memoryLimit(store);
      expect(roomy).toBeGreaterThan(share);
      // 12 columns of at most 16 bytes a row: this many rows could fill the share.
      const rows = Math.ceil(share / (12 * 16)) + 2048;
      const writer = await ingest(store, sensorId, 1, rows);
      expect(await memoryLimit(store)).toBe(share);
      await commit(writer, 1, rows);
      expect(await memoryLimit(store)).toBe(roomy);
      expect(await visiblePackets(store)).toBe(1 + rows);

      // A rolled-back large ingest also gives the room back, and leaves nothing.
      const discarded = await ingest(store, sensorId, 2, rows);
      expect(await memoryLimit(store)).toBe(share);
      await discarded.rollback();
      expect(await memoryLimit(store)).toBe(roomy);
      expect(await visiblePackets(store)).toBe(1 + rows);

      // Two at once (a collector's segments): the share holds until both are done.
      const first = await ingest(store, sensorId, 3, rows);
      const second = await ingest(store, sensorId, 4, rows);
      try {
        await commit(first, 3, rows);
        expect(await memoryLimit(store)).toBe(share);
        await commit(second, 4, rows);
        expect(await memoryLimit(store)).toBe(roomy);
        expect(await visiblePackets(store)).toBe(1 + 3 * rows);
      } finally {
        // The store's close waits for open ingests: a failed expectation must not leave one open.
        await first.rollback();
        await second.rollback();
      }
    } finally {
      await store.close();
    }
  });
});
