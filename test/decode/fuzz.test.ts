/**
 * Acceptance suite (issue 2): seeded random mutations of valid captures (the
 * project's fixtures, and prefixes of the real captures when present) fed
 * through `decodeCapture()` from memory. Every run must end in a result or a
 * typed `TEITEN_*` error, in bounded time and memory, delivering no more
 * packets than the file could hold, in batches whose columns are consistent.
 * Also a property: an unmutated file decodes to the same columns whatever the
 * batch capacity and however the stream is chunked.
 *
 * TEITEN_FUZZ_SEED replays a seed (printed on every run); TEITEN_FUZZ_RUNS
 * sets the number of mutations (default 10,000).
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  CaptureFormatError,
  CaptureSourceError,
  LinkType,
  PcapWriter,
  chunkedStream,
} from '../../src/capture/index.js';
import {
  DECODE_STATUS_NAMES,
  TcpFlag,
  UnsupportedLinkTypeError,
  decodeCapture,
  type DecodeCaptureResult,
} from '../../src/decode/index.js';
import { buildPacket } from '../../src/simulate/craft/index.js';
import { BatchChecker, snapshotRows } from './batch-invariants.js';
import { collector, fuzzBases, fuzzRuns, fuzzSeed, liveBytes, withTimeout } from './fuzz-kit.js';
import { Rng } from '../../src/util/random.js';
import { mutate } from './mutate.js';

const RUNS = fuzzRuns('TEITEN_FUZZ_RUNS', 10_000);
const SEED = fuzzSeed();
/** A single decode of a few KB takes about a millisecond; anything near this is a hang. */
const RUN_TIMEOUT_MS = 5_000;
/**
 * Wall-clock budget per 10,000 runs. Measured: about 19 s alone, 23 s beside the
 * tshark suite, most of it allocating a fresh 4 MiB batch per decode (and one
 * per packet at capacity 1); the margin is for a busy machine.
 */
const BUDGET_MS_PER_10K = 90_000;
/** Live memory after the runs, over the baseline: a leak would grow with the run count. */
const MAX_RETAINED_BYTES = 64 << 20;
/** Smallest record or packet block: a pcap record header, or a pcapng simple packet block. */
const MIN_RECORD_BYTES = 16;
/** Deflate's worst-case expansion, bounding what a mutated gzip file can inflate to. */
const DEFLATE_MAX_RATIO = 1032;
const BUDGET_MS = (BUDGET_MS_PER_10K * Math.max(RUNS, 10_000)) / 10_000;
const MAX_FAILURES = 5;
/** Least share of runs that must end each way (decoded to the end, typed error). */
const MIN_SHARE = 0.1;
const TIMEOUT_MARGIN_MS = 30_000;
/** Small packets in one stream chunk, decoded one per batch. */
const SMALL_PACKETS = 2_000;
/** ArrayBuffer bytes a decode may hold at once: a few batches, whatever their capacity. */
const MAX_DECODE_BYTES = 64 << 20;
/** Mostly the default; 1 and 7 make batches fill, get delivered and come back recycled mid-file. */
const CAPACITIES = [1, 7, undefined, undefined, undefined, undefined, undefined, undefined] as const;
/** Below this many runs, reaching every status and both endings is not expected. */
const MIN_RUNS_FOR_COVERAGE = 5_000;
const CHUNK_SIZES = [1, 7, 64, 1500];

const bases = fuzzBases('fuzz.test');

function isTypedError(error: unknown): boolean {
  const typed =
    error instanceof CaptureFormatError ||
    error instanceof CaptureSourceError ||
    error instanceof UnsupportedLinkTypeError;
  return typed && typeof error.code === 'string' && error.code.startsWith('TEITEN_');
}

interface RunOutcome {
  /** Broken expectations; empty when the run is fine. */
  problems: string[];
  /** `ok`, or the code of the typed error the decode ended with. */
  ending: string;
}

/** Decodes one input, checking every batch, the ending and the counts. */
async function decodeChecked(bytes: Uint8Array, gzip: boolean, rng: Rng, checker: BatchChecker): Promise<RunOutcome> {
  const capacity = rng.pick(CAPACITIES);
  const stream = rng.chance(0.25) ? chunkedStream(bytes, rng.pick(CHUNK_SIZES)) : Readable.from([Buffer.from(bytes)]);
  let result: DecodeCaptureResult | undefined;
  let ending = 'ok';
  const problems: string[] = [];
  try {
    result = await withTimeout(
      decodeCapture(stream, {
        name: 'fuzz',
        onBatch: (batch) => checker.check(batch),
        ...(capacity === undefined ? {} : { capacity }),
      }),
      RUN_TIMEOUT_MS,
      'decodeCapture()',
    );
  } catch (error: unknown) {
    ending = String((error as { code?: unknown }).code);
    if (!isTypedError(error))
      problems.push(
        `untyped error ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`,
      );
  }
  problems.push(...checker.problems);
  const maxPackets = Math.floor((bytes.length * (gzip ? DEFLATE_MAX_RATIO : 1)) / MIN_RECORD_BYTES);
  if (checker.packets > maxPackets)
    problems.push(`${checker.packets} packets delivered from ${bytes.length} bytes (at most ${maxPackets})`);
  if (result !== undefined) {
    const { decode, capture } = result;
    const byStatus = decode.byStatus.reduce((a, b) => a + b, 0);
    if (decode.packets !== checker.packets || capture.records !== checker.packets || byStatus !== checker.packets) {
      problems.push(
        `counts disagree: delivered ${checker.packets}, decode.packets ${decode.packets}, records ${capture.records}, by status ${byStatus}`,
      );
    }
  }
  return { problems: problems.length === 0 ? [] : [`capacity ${capacity ?? 'default'}`, ...problems], ending };
}

describe('decodeCapture() under fuzzing', () => {
  it(
    `decodeCapture() survives ${RUNS} seeded mutations with typed errors, bounded time and memory, consistent batches`,
    async () => {
      console.log(
        `fuzz.test: seed ${SEED} (replay with TEITEN_FUZZ_SEED=${SEED}), ${RUNS} runs over ${bases.length} base files`,
      );
      const rng = new Rng(SEED);
      const gc = collector();
      const failures: string[] = [];
      const warmup = Math.min(RUNS, 200);
      let baseline = 0;
      const started = performance.now();
      let totalBytes = 0;
      const endings = new Map<string, number>();
      const statuses = new Array<number>(DECODE_STATUS_NAMES.length).fill(0);
      for (let run = 0; run < RUNS && failures.length < MAX_FAILURES; run++) {
        if (run === warmup) baseline = await liveBytes(gc);
        const base = rng.pick(bases);
        const { bytes, steps } = mutate(rng, base.bytes, base.layout);
        totalBytes += bytes.length;
        const checker = new BatchChecker();
        const { problems, ending } = await decodeChecked(bytes, base.gzip, rng, checker);
        endings.set(ending, (endings.get(ending) ?? 0) + 1);
        checker.statuses.forEach((n, status) => (statuses[status] = statuses[status]! + n));
        if (problems.length > 0) {
          failures.push(
            `run ${run} of seed ${SEED}, base ${base.name}, mutations [${steps.join('; ')}]:\n  ${problems.join('\n  ')}\n  input hex: ${Buffer.from(bytes).toString('hex')}`,
          );
        }
      }
      const elapsed = performance.now() - started;
      const retained = (await liveBytes(gc)) - baseline;
      console.log(
        `fuzz.test: ${RUNS} runs, ${(totalBytes / RUNS).toFixed(0)} bytes on average, in ${(elapsed / 1000).toFixed(1)} s; retained ${(retained / 2 ** 20).toFixed(1)} MiB`,
      );
      console.log(`fuzz.test: endings ${[...endings].map(([e, n]) => `${e} ${n}`).join(', ')}`);
      console.log(
        `fuzz.test: packets by status ${statuses.map((n, k) => `${DECODE_STATUS_NAMES[k]} ${n}`).join(', ')}`,
      );
      expect(failures, failures.join('\n\n')).toEqual([]);
      if (RUNS >= MIN_RUNS_FOR_COVERAGE) {
        // The mutations must reach both endings and every decoder path, or the run proves little.
        expect(endings.get('ok') ?? 0, 'runs decoded to the end').toBeGreaterThan(RUNS * MIN_SHARE);
        expect(RUNS - (endings.get('ok') ?? 0), 'runs ending in a typed error').toBeGreaterThan(RUNS * MIN_SHARE);
        expect(
          statuses.every((n) => n > 0),
          'every decode status reached',
        ).toBe(true);
      }
      expect(elapsed, 'time budget').toBeLessThan(BUDGET_MS);
      expect(retained, 'memory retained after the runs').toBeLessThan(MAX_RETAINED_BYTES);
    },
    BUDGET_MS + TIMEOUT_MARGIN_MS,
  );

  it(
    `decodeCapture() keeps memory bounded with batch capacity 1 on ${SMALL_PACKETS} small packets in one chunk`,
    async () => {
      const writer = new PcapWriter({ linkType: LinkType.RAW });
      const frame = buildPacket({
        ip: { version: 4, src: '192.0.2.1', dst: '192.0.2.2' },
        l4: { kind: 'tcp', srcPort: 1, dstPort: 2, flags: TcpFlag.SYN },
      });
      for (let k = 0; k < SMALL_PACKETS; k++) writer.writePacket({ tsSec: k, tsNsec: 0, bytes: frame });
      const input = writer.toBuffer();
      await liveBytes(collector());
      const before = process.memoryUsage().arrayBuffers;
      let peak = before;
      let packets = 0;
      await decodeCapture(Readable.from([input]), {
        capacity: 1,
        onBatch: (batch) => {
          packets += batch.length;
          peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        },
      });
      expect(packets).toBe(SMALL_PACKETS);
      expect(peak - before, `ArrayBuffer bytes held while decoding ${input.length} bytes`).toBeLessThan(
        MAX_DECODE_BYTES,
      );
    },
    BUDGET_MS,
  );

  it.each(bases.map((b) => [b.name, b] as const))(
    'decodeCapture() gives identical columns for batch capacities 1, 7 and default, and for a chunked stream, on %s',
    async (_, base) => {
      const decodeRows = async (capacity: number | undefined, chunked: boolean): Promise<string[]> => {
        const rows: string[] = [];
        const checker = new BatchChecker();
        const input = chunked ? chunkedStream(base.bytes, CHUNK_SIZES) : Readable.from([Buffer.from(base.bytes)]);
        await decodeCapture(input, {
          onBatch: (batch) => {
            checker.check(batch);
            rows.push(...snapshotRows(batch));
          },
          ...(capacity === undefined ? {} : { capacity }),
        });
        expect(checker.problems).toEqual([]);
        return rows;
      };
      const reference = await decodeRows(undefined, false);
      expect(reference.length).toBeGreaterThan(0);
      expect(await decodeRows(1, false)).toEqual(reference);
      expect(await decodeRows(7, false)).toEqual(reference);
      expect(await decodeRows(undefined, true)).toEqual(reference);
      if (base.frames !== undefined) {
        expect(reference.map((row) => row.slice(row.indexOf(' bytes=') + 7))).toEqual(
          base.frames.map((f) => Buffer.from(f.bytes.subarray(0, f.capLen)).toString('hex')),
        );
      }
    },
  );
});
