/**
 * Issue 16: seeded mutations of pcap, pcapng and gzip captures (the decode
 * fuzz suite's bases and mutations) through decode AND ingest, into a
 * DuckDB store in a temporary directory and, with `CLICKHOUSE_URL`, into
 * ClickHouse (a fresh store every 100 runs). Every ingest must end in a result
 * or a typed `TEITEN_*` error (a wrapped error's cause typed too) within a
 * time bound, with the ingest's memory budget set low; a refused ingest must
 * leave the store as before (ingests, traffic packets and raw packet rows
 * counted again), and an accepted one must add one ingest whose counted
 * packets are the traffic table's increase. The memory retained after all
 * runs is checked, so a leak per ingest fails. Half the runs read the
 * capture from a stream on the ingest's thread, half from a file on the
 * decode thread (`decodeThread`, as files from 64 MiB do), whose errors and
 * signature matches cross a thread.
 *
 * TEITEN_FUZZ_SEED replays a seed (printed on every run);
 * TEITEN_FUZZ_INGEST_RUNS sets the number of ingests (default 12, a few
 * seconds; `npm run fuzz` runs thousands).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openGeoResolver, type GeoResolver } from '../../src/classify/index.js';
import { ingestCapture, loadDetectionSetup, type DetectionSetup } from '../../src/ingest/index.js';
import { openStore, type AnalyticsStore } from '../../src/store/index.js';
import { clickHouseTestDb } from '../../src/store/testdata/clickhouse-test-db.js';
import { Rng } from '../../src/util/random.js';
import { collector, fuzzBases, fuzzRuns, fuzzSeed, liveBytes, withTimeout } from '../decode/fuzz-kit.js';
import { mutate } from '../decode/mutate.js';

const RUNS = fuzzRuns('TEITEN_FUZZ_INGEST_RUNS', 12);
const SEED = fuzzSeed();
/** An ingest of a few KB takes tens of milliseconds; a loaded machine stretches that tenfold, a hang never ends. */
const RUN_TIMEOUT_MS = 30_000;
/** The rollup and detection tables' budget: far below the default, so a case that buffers without bound hits it. */
const MEMORY_BUDGET = 16 << 20;
/** Wall-clock budget per ingest, on a loaded machine. */
const BUDGET_MS_PER_RUN = 1_000;
const SETUP_MS = 60_000;
/** Live memory after the runs, over the baseline after the warm-up. */
const MAX_RETAINED_BYTES = 64 << 20;
const WARMUP_RUNS = 20;
/** Ingests into one store before the next gets a fresh one. */
const STORE_RUNS = 100;
const MAX_FAILURES = 5;
const budgetMs = (runs: number): number => BUDGET_MS_PER_RUN * runs + SETUP_MS;
const CLICKHOUSE_URL = process.env['CLICKHOUSE_URL'] || undefined;

const bases = fuzzBases('fuzz-ingest.test');

interface Totals {
  ingests: number;
  trafficPackets: number;
  packetRows: number;
}

async function totals(store: AnalyticsStore): Promise<Totals> {
  const [row] = await store.query<{ ingests: unknown; traffic: unknown; packets: unknown }>({
    sql:
      'SELECT (SELECT count(*) FROM ingests) AS ingests, (SELECT coalesce(sum(packets), 0) FROM traffic_hour_rows) AS traffic, ' +
      '(SELECT count(*) FROM packet_rows) AS packets',
    params: [],
  });
  return { ingests: Number(row!.ingests), trafficPackets: Number(row!.traffic), packetRows: Number(row!.packets) };
}

/** Typed: a `TEITEN_*` code, and a wrapped cause's code (`causeCode`) typed as well when there is a cause. */
function typedCode(error: unknown): string | null {
  const { code, causeCode, cause } = (error ?? {}) as { code?: unknown; causeCode?: unknown; cause?: unknown };
  if (typeof code !== 'string' || !code.startsWith('TEITEN_')) return null;
  if (cause !== undefined && 'causeCode' in (error as object)) {
    return typeof causeCode === 'string' && causeCode.startsWith('TEITEN_') ? causeCode : null;
  }
  return code;
}

let dir: string;
let opened: AnalyticsStore | undefined;
let dropStore: () => Promise<void> = async () => undefined;
let geo: GeoResolver;
let detection: DetectionSetup;

/** Where a run's store lives: a DuckDB file in the test's directory, or a fresh ClickHouse database. */
type StoreKind = 'DuckDB' | 'ClickHouse';

/** A fresh store (the previous one closed and dropped): a store that grew with every run would slow each run down. */
async function freshStore(kind: StoreKind, run: number): Promise<AnalyticsStore> {
  await closeStore();
  let target: string;
  if (kind === 'DuckDB') {
    target = join(dir, `fuzz-${run}.duckdb`);
    dropStore = async () => rmSync(target, { force: true });
  } else {
    const db = clickHouseTestDb(CLICKHOUSE_URL!, 'fuzz_ingest');
    target = db.storeUrl;
    dropStore = () => db.drop();
  }
  const store = await openStore(target, { timeZone: 'UTC' });
  opened = store;
  // Every address is the sensor's and it has always observed: mutated packets are counted, not set aside.
  await store.addSensor({ name: 'fuzz', addresses: ['0.0.0.0/0', '::/0'], operating: [{ from: 0 }] });
  return store;
}

async function closeStore(): Promise<void> {
  await opened?.close();
  opened = undefined;
  await dropStore();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teiten-fuzz-ingest-'));
  geo = await openGeoResolver({});
  detection = await loadDetectionSetup({ signatures: true, bundledRules: true, ruleFiles: [], categoryFiles: [] });
}, SETUP_MS);

afterAll(async () => {
  await closeStore();
  rmSync(dir, { recursive: true, force: true });
});

/** `runs` seeded ingests into stores of `kind`; fails with every run that broke a rule (see the module comment). */
async function fuzzIngests(kind: StoreKind, runs: number): Promise<void> {
  console.log(
    `fuzz-ingest.test: ${kind}, seed ${SEED} (replay with TEITEN_FUZZ_SEED=${SEED}), ${runs} ingests over ${bases.length} base files`,
  );
  const gc = collector();
  const rng = new Rng(SEED);
  const failures: string[] = [];
  const endings = new Map<string, number>();
  let baseline = 0;
  let slowest = 0;
  const started = performance.now();
  let store!: AnalyticsStore;
  for (let run = 0; run < runs && failures.length < MAX_FAILURES; run++) {
    if (run % STORE_RUNS === 0) store = await freshStore(kind, run);
    if (run === Math.min(WARMUP_RUNS, runs - 1)) baseline = await liveBytes(gc);
    const base = rng.pick(bases);
    const { bytes, steps } = mutate(rng, base.bytes, base.layout);
    const options = {
      geo,
      detection,
      fileName: `run-${run}`,
      memoryBudget: MEMORY_BUDGET,
      keepTruncated: rng.chance(0.5),
      refuseForeign: rng.chance(0.5),
      allowOverlap: rng.chance(0.5),
      decodeThread: rng.chance(0.5),
    };
    const file = join(dir, 'capture');
    if (options.decodeThread) writeFileSync(file, bytes);
    const input = options.decodeThread ? file : Readable.from([Buffer.from(bytes)]);
    const before = await totals(store);
    const t0 = performance.now();
    let ending: string;
    const problems: string[] = [];
    let counted = 0;
    try {
      const result = await withTimeout(ingestCapture(store, 'fuzz', input, options), RUN_TIMEOUT_MS, 'ingestCapture()');
      ending = 'ingested';
      counted = result.record.packetsCounted;
    } catch (error: unknown) {
      const code = typedCode(error);
      ending = code ?? 'untyped';
      if (code === null)
        problems.push(
          `untyped error ${error instanceof Error ? `${error.stack}\n  cause: ${String(error.cause)}` : String(error)}`,
        );
    }
    slowest = Math.max(slowest, performance.now() - t0);
    const after = await totals(store);
    const expected =
      ending === 'ingested'
        ? { ...before, ingests: before.ingests + 1, trafficPackets: before.trafficPackets + counted }
        : before;
    if (ending === 'ingested') expected.packetRows = after.packetRows;
    if (JSON.stringify(after) !== JSON.stringify(expected))
      problems.push(`store totals ${JSON.stringify(after)}, expected ${JSON.stringify(expected)} (${ending})`);
    endings.set(ending, (endings.get(ending) ?? 0) + 1);
    if (problems.length > 0) {
      failures.push(
        `run ${run} of seed ${SEED}, base ${base.name}, options ${JSON.stringify({ ...options, geo: undefined, detection: undefined })}, ` +
          `mutations [${steps.join('; ')}]:\n  ${problems.join('\n  ')}\n  input hex: ${Buffer.from(bytes).toString('hex')}`,
      );
    }
  }
  const elapsed = performance.now() - started;
  const retained = (await liveBytes(gc)) - baseline;
  console.log(
    `fuzz-ingest.test: ${kind}, ${runs} ingests in ${(elapsed / 1000).toFixed(1)} s, slowest ${(slowest / 1000).toFixed(2)} s; ` +
      `retained ${(retained / 2 ** 20).toFixed(1)} MiB; endings ${[...endings].map(([e, n]) => `${e} ${n}`).join(', ')}`,
  );
  expect(failures, failures.join('\n\n')).toEqual([]);
  expect(retained, 'memory retained after the runs').toBeLessThan(MAX_RETAINED_BYTES);
}

const TITLE =
  'seeded mutations with typed errors, bounded time and memory, and leaves the store as before when it refuses';

describe('ingestCapture() under fuzzing', () => {
  it(`ingestCapture() into DuckDB survives ${RUNS} ${TITLE}`, () => fuzzIngests('DuckDB', RUNS), budgetMs(RUNS));
  it.skipIf(CLICKHOUSE_URL === undefined)(
    `ingestCapture() into ClickHouse survives ${RUNS} ${TITLE} (needs CLICKHOUSE_URL)`,
    () => fuzzIngests('ClickHouse', RUNS),
    budgetMs(RUNS),
  );
});
