/**
 * Reads every capture in /work/shared/captures (when present) and compares the
 * record count and the first and last timestamps with tshark's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from './read-capture.js';
import { haveCommand } from '../util/have-command.js';

const CAPTURES_DIR = resolve(import.meta.dirname, '../../../shared/captures');
const haveCaptures = existsSync(CAPTURES_DIR);
const haveTshark = haveCommand('tshark');
if (!haveCaptures) console.log(`real-captures.test: skipped, ${CAPTURES_DIR} is absent`);
else if (!haveTshark) console.log('real-captures.test: skipped, tshark is not installed');

const files = haveCaptures ? readdirSync(CAPTURES_DIR).filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f)) : [];

/** tshark's epoch times ("1622865525.697945000") as exact integers. */
function parseEpoch(text: string): { sec: number; nsec: number } {
  const [sec = '', frac = ''] = text.split('.');
  return { sec: Number(sec), nsec: Number(frac.padEnd(9, '0')) };
}

describe.skipIf(!haveCaptures || !haveTshark)('readCapture() on real captures', () => {
  it.each(files)('readCapture() matches tshark frame by frame on %s', async (file) => {
    const path = join(CAPTURES_DIR, file);
    const fields = ['frame.number', 'frame.time_epoch', 'frame.cap_len', 'frame.len'];
    const out = execFileSync('tshark', ['-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const expected = out
      .trim()
      .split('\n')
      .map((line) => {
        const [, epoch = '', capLen, wireLen] = line.split('\t');
        const { sec, nsec } = parseEpoch(epoch);
        return `${sec}.${nsec} ${capLen} ${wireLen}`;
      });
    const actual: string[] = [];
    const summary = await readCapture(path, {
      onRecord: (r) => {
        actual.push(`${r.tsSec}.${r.tsNsec} ${r.capLen} ${r.wireLen}`);
      },
    });
    expect(actual.length).toBe(expected.length);
    expect(actual).toEqual(expected);
    const first = parseEpoch(out.slice(0, out.indexOf('\n')).split('\t')[1] ?? '');
    expect(summary.records).toBe(expected.length);
    expect(summary.firstTimestamp).toEqual(first);
    expect(`${summary.lastTimestamp?.sec}.${summary.lastTimestamp?.nsec}`).toBe(expected.at(-1)?.split(' ')[0]);
    expect(summary.compressed).toBe(false);
  });
});
