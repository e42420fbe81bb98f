/**
 * @module
 * `npm run bench:simulate`: how fast `teiten simulate` generates a bundled
 * scenario (default the quarterly one at scale 1), measured as its own
 * process under GNU time: wall and CPU seconds, packets per second and peak
 * RSS. Memory must not grow with the period: the generator holds one
 * sensor-day of packets and one day of source sets.
 *
 * Options (env): BENCH_SCENARIO (default quarterly-2010q1fy), BENCH_SCALE
 * (default 1), BENCH_RUNS (default 1).
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { best } from './measure.js';

const scenario = process.env.BENCH_SCENARIO ?? 'quarterly-2010q1fy';
const scale = process.env.BENCH_SCALE ?? '1';
const runs = Number(process.env.BENCH_RUNS ?? 1);
const out = fileURLToPath(new URL('../../.bench/simulate/', import.meta.url));
const cli = fileURLToPath(new URL('../../bin/teiten.js', import.meta.url));

rmSync(out, { recursive: true, force: true });
const measured = best(runs, process.execPath, [
  cli,
  'simulate',
  '--scenario',
  scenario,
  '--out',
  out,
  '--scale',
  scale,
  '--json',
]);
const result = JSON.parse(measured.stdout) as {
  packets: number;
  written: number;
  elapsedMs: number;
  truthPath: string;
  files: { bytes: number }[];
};
const megabytes = (bytes: number): string => (bytes / (1 << 20)).toFixed(1);
console.log(`teiten simulate ${scenario} --scale ${scale}`);
console.log(
  `  packets written   ${result.written.toLocaleString('en-US')} (${result.packets.toLocaleString('en-US')} to sensors)`,
);
console.log(
  `  captures          ${megabytes(result.files.reduce((a, f) => a + f.bytes, 0))} MB, truth.json ${megabytes(statSync(result.truthPath).size)} MB`,
);
console.log(
  `  wall              ${measured.seconds.toFixed(1)} s (process), ${(result.elapsedMs / 1000).toFixed(1)} s (generator)`,
);
console.log(
  `  rate              ${Math.round(result.written / (result.elapsedMs / 1000)).toLocaleString('en-US')} packets/s`,
);
console.log(`  peak RSS          ${(measured.maxRssKiB / 1024).toFixed(0)} MiB`);
JSON.parse(readFileSync(result.truthPath, 'utf8'));
