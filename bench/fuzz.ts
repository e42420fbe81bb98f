/**
 * @module
 * `npm run fuzz -- --cases N [--ingest-cases M] [--seed S]`: the long fuzz
 * run outside the test suite. It runs the decode fuzz suite
 * (test/decode/fuzz.test.ts: seeded mutations of pcap, pcapng and gzip
 * captures, each run bounded to 5 s, with the memory retained after all
 * runs checked) with N runs instead of the suite's 10,000, then the ingest
 * fuzz suite (test/ingest/fuzz-ingest.test.ts: the same mutations through
 * decode and ingest into a DuckDB store, each bounded in time and memory,
 * the store checked unchanged after every refused ingest) with M runs
 * (default N / 50: an ingest costs about fifty decodes). It prints the seed
 * so a failing run can be replayed.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

const DEFAULT_CASES = 100_000;
/** Decodes per ingest in the default: an ingest commits to a store, a decode only reads. */
const DECODES_PER_INGEST = 50;
const SEED_LIMIT = 0x1_0000_0000;

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: String(DEFAULT_CASES) },
    'ingest-cases': { type: 'string' },
    seed: { type: 'string' },
  },
});

function count(option: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RangeError(`Cannot fuzz: --${option} ${text} is not a positive integer`);
  return n;
}

const cases = count('cases', values.cases);
const ingestCases =
  values['ingest-cases'] === undefined
    ? Math.max(1, Math.round(cases / DECODES_PER_INGEST))
    : count('ingest-cases', values['ingest-cases']);
const seed = values.seed === undefined ? randomInt(SEED_LIMIT) : Number(values.seed);
if (!Number.isSafeInteger(seed) || seed < 0 || seed >= SEED_LIMIT) {
  throw new RangeError(`Cannot fuzz: --seed ${values.seed} is not in 0..${SEED_LIMIT - 1}`);
}

console.log(`fuzz: ${cases} decode cases, ${ingestCases} ingest cases, seed ${seed} (replay with --seed ${seed})`);
const suites = [
  { file: 'test/decode/fuzz.test.ts', env: { TEITEN_FUZZ_RUNS: String(cases) } },
  { file: 'test/ingest/fuzz-ingest.test.ts', env: { TEITEN_FUZZ_INGEST_RUNS: String(ingestCases) } },
];
let status = 0;
for (const suite of suites) {
  const started = performance.now();
  const run = spawnSync('npx', ['vitest', 'run', suite.file, '-t', 'survives'], {
    stdio: 'inherit',
    env: { ...process.env, ...suite.env, TEITEN_FUZZ_SEED: String(seed) },
  });
  console.log(`fuzz: ${suite.file} ${((performance.now() - started) / 1000).toFixed(0)} s wall, exit ${run.status}`);
  if (run.status !== 0) status = run.status ?? 1;
}
process.exitCode = status;
