/**
 * Acceptance suite (issue 2): `decodeCapture()` agrees with `tshark -T fields`
 * field by field on every real capture in /work/shared/captures and on the
 * project's own fixtures (every link type and format variant, written with the
 * project's writers and craft library into a temporary directory). tshark runs
 * once per file; differences are mismatches unless `ACCEPTED_DIFFERENCES`
 * names their reason. Skipped, with the reason printed, without tshark or the
 * captures folder.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/index.js';
import { DecodeStatus, PacketFlag, decodeCapture, type DecodeCaptureResult } from '../../src/decode/index.js';
import { ACCEPTED_DIFFERENCES } from './accepted-differences.js';
import { fixtureCaptures } from './fixture-captures.js';
import { COMPARED_FIELDS, ComparisonReport, comparePacket } from './tshark-compare.js';
import { readTsharkFields, tsharkVersion } from './tshark-fields.js';

const CAPTURES_DIR = resolve(import.meta.dirname, '../../../shared/captures');
const version = tsharkVersion();
const haveCaptures = existsSync(CAPTURES_DIR);
if (version === undefined) console.log('tshark-agreement.test: skipped, tshark is not installed');
else if (!haveCaptures) console.log(`tshark-agreement.test: real captures skipped, ${CAPTURES_DIR} is absent`);
const realFiles = haveCaptures
  ? readdirSync(CAPTURES_DIR)
      .filter((f) => /\.pcap(ng)?(\.gz)?$/.test(f))
      .sort()
  : [];
const ALL_TCP_FLAG_SETS = 512;

/** What the decoded fixtures contained, to prove they exercise everything the suite claims to check. */
class Coverage {
  readonly statuses = new Set<number>();
  readonly tcpFlags = new Set<number>();
  readonly pflags = new Set<number>();
  readonly quotes = new Set<string>();
  readonly linkTypes = new Set<number>();
  readonly formats = new Set<string>();

  add(result: DecodeCaptureResult): void {
    for (const type of result.decode.byLinkType.keys()) this.linkTypes.add(type);
    this.formats.add(`${result.capture.format}${result.capture.compressed ? '+gzip' : ''}`);
  }
}

async function agree(
  path: string,
  coverage?: Coverage,
): Promise<{ report: ComparisonReport; result: DecodeCaptureResult }> {
  const rows = readTsharkFields(path, COMPARED_FIELDS);
  const report = new ComparisonReport();
  let beyondTshark = 0;
  const result = await decodeCapture(path, {
    onBatch: (batch) => {
      for (let i = 0; i < batch.length; i++) {
        const row = rows[batch.frame[i]! - 1];
        if (row === undefined) {
          beyondTshark++;
          continue;
        }
        comparePacket(report, batch, i, row);
        if (coverage === undefined) continue;
        coverage.statuses.add(batch.status[i]!);
        coverage.pflags.add(batch.pflags[i]!);
        if (batch.proto[i] === 6 && batch.status[i] === DecodeStatus.OK) coverage.tcpFlags.add(batch.tcpFlags[i]!);
        if ((batch.pflags[i]! & PacketFlag.HAS_INNER) !== 0)
          coverage.quotes.add(`v${batch.ipVersion[i]} quoting v${batch.innerVersion[i]} proto ${batch.innerProto[i]}`);
      }
    },
  });
  coverage?.add(result);
  console.log(`${path}: ${report.summary()}`);
  if (report.mismatches > 0) console.log(`first mismatches:\n  ${report.examples.join('\n  ')}`);
  expect(beyondTshark, 'frames decoded beyond those tshark printed').toBe(0);
  expect(result.decode.packets, 'packet count').toBe(rows.length);
  return { report, result };
}

function printAcceptedReasons(reports: ComparisonReport[]): void {
  const used = new Set(reports.flatMap((r) => [...r.accepted.keys()]));
  for (const kind of used) console.log(`accepted difference "${kind}": ${ACCEPTED_DIFFERENCES[kind].reason}`);
}

describe.skipIf(version === undefined)(
  `decodeCapture() against ${version ?? 'tshark'} on the project's fixtures`,
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-decode-agreement-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const captures = fixtureCaptures({ allTcpFlags: true });
    const coverage = new Coverage();
    const reports: ComparisonReport[] = [];
    afterAll(() => printAcceptedReasons(reports));

    it.each(captures.map((c) => [c.name, c] as const))(
      'decodeCapture() agrees with tshark field by field on %s',
      async (name, capture) => {
        const path = join(dir, name);
        writeFileSync(path, capture.bytes);
        const { report, result } = await agree(path, coverage);
        reports.push(report);
        expect(result.decode.packets).toBe(capture.frames.length);
        expect(report.mismatches, report.examples.join('\n')).toBe(0);
      },
    );

    it('fixtureCaptures() exercise every link type, format, status, header kind and accepted difference', () => {
      expect([...coverage.linkTypes].sort((a, b) => a - b)).toEqual(Object.values(LinkType).sort((a, b) => a - b));
      expect([...coverage.formats].sort()).toEqual(['pcap', 'pcap+gzip', 'pcapng', 'pcapng+gzip']);
      expect(coverage.tcpFlags.size).toBe(ALL_TCP_FLAG_SETS);
      // A record longer than its packet or the file's snapshot length is a fault of the file that tshark decodes
      // without comment, and the project's writers cannot make one: src/decode/record-length.test.ts covers it.
      const decodable = Object.values(DecodeStatus).filter((s) => s !== DecodeStatus.BAD_RECORD_LENGTH);
      expect([...coverage.statuses].sort((a, b) => a - b)).toEqual(decodable);
      const has = (flag: number): boolean => [...coverage.pflags].some((f) => (f & flag) !== 0);
      for (const flag of Object.values(PacketFlag)) expect(has(flag), `PacketFlag ${flag}`).toBe(true);
      const exercised = new Set(reports.flatMap((r) => [...r.accepted.keys()]));
      expect([...exercised].sort(), 'every accepted difference is exercised by a fixture').toEqual(
        Object.keys(ACCEPTED_DIFFERENCES).sort(),
      );
      expect(coverage.quotes).toEqual(
        new Set(['v4 quoting v4 proto 6', 'v4 quoting v4 proto 17', 'v6 quoting v6 proto 17', 'v6 quoting v6 proto 6']),
      );
    });
  },
);

describe.skipIf(version === undefined || !haveCaptures)(
  `decodeCapture() against ${version ?? 'tshark'} on real captures`,
  () => {
    const reports: ComparisonReport[] = [];
    afterAll(() => printAcceptedReasons(reports));

    it.each(realFiles)('decodeCapture() agrees with tshark field by field on %s', async (file) => {
      const { report } = await agree(join(CAPTURES_DIR, file));
      reports.push(report);
      expect(report.mismatches, report.examples.join('\n')).toBe(0);
    });
  },
);
