/**
 * @module
 * `node dist/bench/source-representation.js`: issue 12 item 3, measured.
 * Ingests the ingest benchmark's two captures (darknet: every packet a new
 * source; telescope: ~1 source per 50 packets) with detection off into a
 * new DuckDB file at the default memory budget, then sizes the exact
 * distinct-source representations on the rows the ingest wrote:
 *
 * - `source_day` as stored (schema 4): one row per (local day, source,
 *   country, ASN) and flush, its services and their packets as lists; bytes
 *   as Parquet (zstd), a fair proxy for a columnar store's compressed size;
 * - the same rows unnested, one per (local day, source, service) and flush:
 *   what schema 3 stored for the same capture and flushes;
 * - one row per (local day, source): the floor, with no row repeated by a flush;
 * - a Roaring bitmap of sources per (local day, service): the exact size of
 *   the portable serialisation without run containers (a 16-bit key and
 *   cardinality per container, 2 bytes per member up to 4,096 members, then
 *   an 8 KiB bitmap), computed from the member counts per container.
 *
 * Options (env): BENCH_PACKETS (default 5,000,000).
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeDarknetPcap } from './darknet-pcap.js';
import { writeTelescopePcap } from './telescope-pcap.js';
import { openGeoResolver } from '../src/classify/geo-sources.js';
import { ingestCapture } from '../src/ingest/index.js';
import { openStore, type AnalyticsStore } from '../src/store/index.js';

const packets = Number(process.env.BENCH_PACKETS ?? 5_000_000);
const dir = fileURLToPath(new URL('../../.bench/', import.meta.url));
/** Roaring: members per array container before it becomes a bitmap, and their sizes. */
const ARRAY_MAX = 4096;
const BITMAP_BYTES = 8192;
const CONTAINER_HEADER_BYTES = 4;
const BITMAP_HEADER_BYTES = 8;

async function parquetBytes(store: AnalyticsStore, select: string, name: string): Promise<number> {
  const path = `${dir}${name}.parquet`;
  rmSync(path, { force: true });
  await store.query({ sql: `COPY (${select}) TO '${path}' (FORMAT parquet, COMPRESSION zstd)`, params: [] });
  const bytes = statSync(path).size;
  rmSync(path, { force: true });
  return bytes;
}

async function one(store: AnalyticsStore, sql: string): Promise<number> {
  const [row] = await store.query<{ n: number }>({ sql, params: [] });
  return Number(row!.n);
}

async function measure(kind: 'darknet' | 'telescope'): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const pcap = `${dir}${kind}-${packets}.pcap`;
  if (!existsSync(pcap)) {
    const planted =
      kind === 'darknet' ? await writeDarknetPcap(pcap, packets) : await writeTelescopePcap(pcap, packets);
    writeFileSync(`${pcap}.json`, JSON.stringify(planted));
  }
  const db = `${dir}source-representation.duckdb`;
  rmSync(db, { force: true });
  rmSync(`${db}.wal`, { force: true });
  const store = await openStore(db);
  try {
    await store.addSensor({ name: 'darknet', addresses: ['192.0.2.0/24'] });
    const started = process.hrtime.bigint();
    const result = await ingestCapture(store, 'darknet', pcap, { geo: await openGeoResolver(), detection: null });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const counted = result.record.packetsCounted;
    const rows = await one(store, 'SELECT COUNT(*) AS n FROM source_list_day_rows');
    const stored = await parquetBytes(
      store,
      'SELECT local_day, src, country, asn, services, packets FROM source_list_day_rows',
      'rows',
    );
    const unnested = await one(store, 'SELECT COUNT(*) AS n FROM source_day');
    const unnestedBytes = await parquetBytes(
      store,
      'SELECT local_day, src, country, asn, service, packets FROM source_day',
      'unnested',
    );
    const perSource = await one(store, 'SELECT COUNT(*) AS n FROM (SELECT DISTINCT local_day, src FROM source_day)');
    const sets = await one(store, 'SELECT COUNT(*) AS n FROM (SELECT DISTINCT local_day, service FROM source_day)');
    const roaring = await one(
      store,
      `SELECT SUM(CASE WHEN m <= ${ARRAY_MAX} THEN 2 * m ELSE ${BITMAP_BYTES} END + ${CONTAINER_HEADER_BYTES}) + ${BITMAP_HEADER_BYTES} * ${sets} AS n ` +
        'FROM (SELECT local_day, service, src // 65536 AS hi, COUNT(DISTINCT src) AS m FROM source_day GROUP BY ALL)',
    );
    const line = (name: string, n: number, bytes?: number): string =>
      `${name.padEnd(50)} ${n.toLocaleString('en').padStart(11)} ${(n / counted).toFixed(3).padStart(8)}` +
      (bytes === undefined
        ? ''
        : ` ${(bytes / 2 ** 20).toFixed(1).padStart(8)} MiB ${(bytes / counted).toFixed(2).padStart(6)}`);
    return [
      `${kind}: ${counted.toLocaleString('en')} packets counted, ingest ${seconds.toFixed(1)} s, ` +
        `${result.budgetFlushes} budget and ${result.dayFlushes} day flushes`,
      `${'representation'.padEnd(50)} ${'rows/sets'.padStart(11)} ${'/packet'.padStart(8)} ${'bytes'.padStart(12)} ${'B/pkt'.padStart(6)}`,
      line('source_day as stored: (day, source) + lists', rows, stored),
      line('unnested: (day, source, service), as schema 3', unnested, unnestedBytes),
      line('distinct (day, source): no flush repeats', perSource),
      line('Roaring set per (day, service) (no packets)', sets, roaring),
    ];
  } finally {
    await store.close();
    rmSync(db, { force: true });
    rmSync(`${db}.wal`, { force: true });
  }
}

console.log(`source representations, ${packets.toLocaleString('en')} packets per capture, node ${process.version}`);
for (const kind of ['telescope', 'darknet'] as const) console.log(`\n${(await measure(kind)).join('\n')}`);
