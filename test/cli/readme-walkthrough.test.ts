/**
 * The README's walk-through, run verbatim: every line of the block between
 * the walkthrough markers is executed by bash in an empty directory with
 * `teiten` on the PATH (the built CLI), and must succeed; the `sensors`
 * lines must be exactly those `simulate` prints, so the README cannot drift.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The lines of the README's block between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
function readmeBlock(name: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = new RegExp(`<!-- ${name}:start -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`).exec(
    readme,
  );
  if (block === null) throw new Error(`README.md has no ${name} block`);
  return block[1]!.trim().split('\n');
}

describe('README walk-through', () => {
  it('runs verbatim: every command succeeds, the sensors lines are what simulate prints, the report is written', () => {
    const lines = readmeBlock('walkthrough');
    const dir = mkdtempSync(join(tmpdir(), 'teiten-walkthrough-'));
    const bin = join(dir, 'bin');
    spawnSync('mkdir', [bin]);
    writeFileSync(join(bin, 'teiten'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/teiten.js')}" "$@"\n`);
    chmodSync(join(bin, 'teiten'), 0o755);
    const work = join(dir, 'work');
    spawnSync('mkdir', [work]);
    // Each command's output is kept apart, so a failure names its line.
    const script = [
      'set -e',
      ...lines.map(
        (line, k) =>
          `${line} > out-${k}.txt 2> err-${k}.txt || { echo "line ${k + 1} failed: ${line.replace(/"/g, '\\"')}"; cat err-${k}.txt; exit 1; }`,
      ),
    ].join('\n');
    const run = spawnSync('bash', ['-c', script], {
      cwd: work,
      env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const printed = readFileSync(join(work, 'out-0.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('  teiten sensors '))
      .map((l) => l.trim());
    expect(lines.filter((l) => l.startsWith('teiten sensors add') || l.startsWith('teiten sensors down'))).toEqual(
      printed,
    );
    for (const [k, line] of lines.entries()) {
      if (line.startsWith('teiten ingest'))
        expect(readFileSync(join(work, `out-${k}.txt`), 'utf8')).toMatch(/counted [1-9][\d,]*, /);
    }
    expect(existsSync(join(work, 'june-2010.html'))).toBe(true);
    expect(readFileSync(join(work, 'june-2010.html'), 'utf8')).toMatch(/2010/);

    // The network block, as one script in the same directory (it starts and stops background processes).
    const network = spawnSync('bash', ['-c', ['set -e', ...readmeBlock('walkthrough-network')].join('\n')], {
      cwd: work,
      env: { ...process.env, PATH: `${bin}:${process.env['PATH']}` },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(network.status, `${network.stdout}${network.stderr}`).toBe(0);
    expect(network.stdout).toMatch(/check-a/); // sensors status names the enrolled sensor
    // The dashboard's API gave the same month's total as the store holds: every packet the three ingests counted.
    const { summary } = JSON.parse(readFileSync(join(work, 'june-summary.json'), 'utf8')) as {
      summary: { current: { packets: number } };
    };
    const counted = lines
      .flatMap((line, k) =>
        line.startsWith('teiten ingest') ? [readFileSync(join(work, `out-${k}.txt`), 'utf8')] : [],
      )
      .reduce((n, out) => n + Number(/counted ([\d,]+),/.exec(out)![1]!.replace(/,/g, '')), 0);
    expect(summary.current.packets).toBe(counted);
  }, 600_000);
});
