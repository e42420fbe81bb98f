/**
 * What the fuzz suites (decode, ingest) share: the inputs they mutate (the
 * project's pcap, pcapng and gzip fixtures, a few frames each, and prefixes
 * of `../shared/captures` when present, each with its field layout for
 * `mutate()`), the seed and run count from the environment, a time bound per
 * run and a measure of live memory.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { captureLayout, type CaptureLayout } from './capture-layout.js';
import { fixtureCaptures, type FixtureFrame } from './fixture-captures.js';

const CAPTURES_DIR = resolve(import.meta.dirname, '../../../shared/captures');
/** Keep inputs small so that 10,000 runs take seconds. */
const FIXTURE_MAX_FRAMES = 8;
const REAL_PREFIX_BYTES = 2000;
const REAL_READ_BYTES = 64 * 1024;

export interface FuzzBase {
  name: string;
  bytes: Uint8Array;
  layout: CaptureLayout;
  gzip: boolean;
  frames?: FixtureFrame[];
}

function realPrefixes(suite: string): FuzzBase[] {
  if (!existsSync(CAPTURES_DIR)) {
    console.log(`${suite}: real-capture prefixes skipped, ${CAPTURES_DIR} is absent`);
    return [];
  }
  return readdirSync(CAPTURES_DIR)
    .filter((f) => /\.pcap(ng)?$/.test(f))
    .sort()
    .map((file) => {
      const head = readFileSync(join(CAPTURES_DIR, file)).subarray(0, REAL_READ_BYTES);
      const ends = captureLayout(head).recordEnds;
      const cut = ends.filter((e) => e <= REAL_PREFIX_BYTES).at(-1) ?? ends[0] ?? head.length;
      const bytes = Uint8Array.from(head.subarray(0, cut));
      return { name: `${file} prefix`, bytes, layout: captureLayout(bytes), gzip: false };
    });
}

/** Every base file; `suite` names the caller in the note printed when the real captures are absent. */
export function fuzzBases(suite: string): FuzzBase[] {
  return [
    ...fixtureCaptures({ allTcpFlags: false, maxFrames: FIXTURE_MAX_FRAMES }).map((c) => {
      const gzip = c.name.endsWith('.gz');
      return { name: c.name, bytes: Uint8Array.from(c.bytes), layout: captureLayout(c.bytes), gzip, frames: c.frames };
    }),
    ...realPrefixes(suite),
  ];
}

const SEED_LIMIT = 0x1_0000_0000;
const GC_PASSES = 3;
const GC_SETTLE_MS = 20;

/** `TEITEN_FUZZ_SEED` (replays a run), else a random seed. */
export function fuzzSeed(): number {
  const text = process.env.TEITEN_FUZZ_SEED;
  const seed = text === undefined ? Math.floor(Math.random() * SEED_LIMIT) : Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed >= SEED_LIMIT)
    throw new RangeError(`Cannot fuzz: TEITEN_FUZZ_SEED is ${text} (must be 0..${SEED_LIMIT - 1})`);
  return seed;
}

/** The run count in environment variable `name`, else `fallback`. */
export function fuzzRuns(name: string, fallback: number): number {
  const runs = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`Cannot fuzz: ${name} is ${process.env[name]}`);
  return runs;
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A garbage collector, for measuring what stays live (vitest does not pass --expose-gc). */
export function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Live heap and ArrayBuffer bytes; V8 frees ArrayBuffer memory after a GC on a background thread, so settle first. */
export async function liveBytes(gc: () => void): Promise<number> {
  let least = Infinity;
  for (let k = 0; k < GC_PASSES; k++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, GC_SETTLE_MS));
    const m = process.memoryUsage();
    least = Math.min(least, m.heapUsed + m.arrayBuffers);
  }
  return least;
}
