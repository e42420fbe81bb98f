/**
 * @module
 * `npm run fuzz -- --cases N [--seed S]`: the long fuzz run outside the test
 * suite. It runs the decode fuzz suite (test/decode/fuzz.test.ts: seeded
 * mutations of pcap, pcapng and gzip captures, each run bounded to 5 s, with
 * the memory retained after all runs checked) with N runs instead of the
 * suite's 10,000, and prints the seed so a failing run can be replayed.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

const DEFAULT_CASES = 100_000;
const SEED_LIMIT = 0x1_0000_0000;

const { values } = parseArgs({
  options: { cases: { type: 'string', default: String(DEFAULT_CASES) }, seed: { type: 'string' } },
});
const cases = Number(values.cases);
if (!Number.isSafeInteger(cases) || cases < 1)
  throw new RangeError(`Cannot fuzz: --cases ${values.cases} is not a positive integer`);
const seed = values.seed === undefined ? randomInt(SEED_LIMIT) : Number(values.seed);
if (!Number.isSafeInteger(seed) || seed < 0 || seed >= SEED_LIMIT) {
  throw new RangeError(`Cannot fuzz: --seed ${values.seed} is not in 0..${SEED_LIMIT - 1}`);
}

console.log(`fuzz: ${cases} cases, seed ${seed} (replay with --seed ${seed})`);
const started = performance.now();
const run = spawnSync('npx', ['vitest', 'run', 'test/decode/fuzz.test.ts', '-t', 'survives'], {
  stdio: 'inherit',
  env: { ...process.env, TEITEN_FUZZ_RUNS: String(cases), TEITEN_FUZZ_SEED: String(seed) },
});
console.log(`fuzz: ${((performance.now() - started) / 1000).toFixed(0)} s wall, exit ${run.status}`);
process.exitCode = run.status ?? 1;
