/**
 * `teiten collector serve` and `teiten sensors enroll|status` as processes:
 * a sensor is enrolled while the collector runs (the DuckDB file is shared
 * between them), a segment upload is cut by SIGKILL of the collector while
 * it stores the segment, and after a restart the re-sent segment is counted
 * exactly once, with the same figures as `teiten ingest` of the file.
 */

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { segmentOf, uploadSegment } from '../../src/collector/testdata/client.js';
import { readCredentials, signingKey } from '../../src/sensor/index.js';
import { runCli, startCli, type RunningCli } from './run-cli.js';

const CAPTURE = join(import.meta.dirname, '../../../shared/captures/pkt.TCP.synflood.spoofed.pcap');

async function serve(db: string): Promise<{ cli: RunningCli; url: string; fingerprint: string }> {
  const cli = startCli(['collector', 'serve', '--db', db, '--listen', '127.0.0.1:0']);
  await cli.printed('SHA-256 fingerprint');
  await new Promise((r) => setTimeout(r, 50));
  const { stdout } = cli.output();
  return {
    cli,
    url: /collector listening on (\S+)/.exec(stdout)![1]!,
    fingerprint: /SHA-256 fingerprint (\S+)/.exec(stdout)![1]!,
  };
}

interface IngestJson {
  packetsRead: number;
  packetsCounted: number;
  duplicates: number;
  firstSec: number;
  lastSec: number;
  sha256: string;
}

describe.skipIf(!existsSync(CAPTURE))('teiten collector serve', () => {
  it('counts a segment once after SIGKILL of the collector while storing it and a re-send, like teiten ingest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-collector-cli-'));
    const db = join(dir, 'network.duckdb');
    const credFile = join(dir, 's1.cred');
    const first = await serve(db);
    const enroll = await runCli([
      'sensors',
      'enroll',
      's1',
      '--db',
      db,
      '--wait',
      '60',
      '--address',
      '10.10.10.0/24',
      '--collector',
      first.url,
      '--out',
      credFile,
    ]);
    expect(enroll.code).toBe(0);
    const credentials = await readCredentials(credFile);
    expect(credentials.fingerprint).toBe(first.fingerprint);
    const key = signingKey(credentials.secret);
    const segment = await segmentOf(CAPTURE, 0);

    const cut = uploadSegment({ url: first.url, key, sensor: 's1' }, segment).then(
      (a) => a.status,
      (e: Error) => e.message,
    );
    await first.cli.printed('segments s1 #0: storing');
    first.cli.child.kill('SIGKILL');
    expect((await first.cli.result).signal).toBe('SIGKILL');
    // Killed before its answer: the agent saw no acknowledgement and sends the segment again.
    expect(await cut).toMatch(/socket hang up|ECONNRESET/);

    const second = await serve(db);
    expect(second.fingerprint).toBe(first.fingerprint);
    const target = { url: second.url, key, sensor: 's1' };
    const resent = await uploadSegment(target, segment);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: 'stored', packets: segment.meta.packets });
    expect((await uploadSegment(target, segment)).body).toMatchObject({ status: 'duplicate' });
    const status = await runCli(['sensors', 'status', 's1', '--db', db, '--wait', '60', '--json']);
    expect(status.code).toBe(0);
    const [s1] = JSON.parse(status.stdout) as [
      { segments: { received: number }; packets: { received: number }; credentials: string },
    ];
    expect([s1.credentials, s1.segments.received, s1.packets.received]).toEqual(['active', 1, segment.meta.packets]);
    second.cli.child.kill('SIGTERM');
    expect((await second.cli.result).code).toBe(0);

    const reference = join(dir, 'reference.duckdb');
    expect(
      (
        await runCli([
          'sensors',
          'add',
          's1',
          '--from',
          '2000-01-01T00:00:00Z',
          '--db',
          reference,
          '--address',
          '10.10.10.0/24',
        ])
      ).code,
    ).toBe(0);
    expect((await runCli(['ingest', '--db', reference, '--sensor', 's1', '--json', CAPTURE])).code).toBe(0);
    const pick = ({ packetsRead, packetsCounted, duplicates, firstSec, lastSec, sha256 }: IngestJson): object => ({
      packetsRead,
      packetsCounted,
      duplicates,
      firstSec,
      lastSec,
      sha256,
    });
    const collected = JSON.parse((await runCli(['ingests', '--db', db, '--json'])).stdout) as IngestJson[];
    const direct = JSON.parse((await runCli(['ingests', '--db', reference, '--json'])).stdout) as IngestJson[];
    expect(collected).toHaveLength(1);
    expect(collected.map(pick)).toEqual(direct.map(pick));
  });
});
