/**
 * `teiten serve --collector` as a user runs it: one process serving the
 * dashboard over a DuckDB file and the collector on its own HTTPS port over
 * the same open store. A sensor is enrolled through the admin route (its
 * credentials pin the running collector), a capture of packets from the
 * last minutes is uploaded as an agent would, and the read API then shows
 * it: the segment in `/api/sensors`, the packets and sources per minute in
 * `/api/live`, both against the frames counted here.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { segmentOf, uploadSegment } from '../../src/collector/testdata/client.js';
import { pcapOf, writeTemp, type TestFrame } from '../../src/ingest/testdata/captures.js';
import { signingKey } from '../../src/sensor/index.js';
import { runCli, startCli } from './run-cli.js';

const TOKEN = 'serve-collector-test-token-0123';

const udp = (sec: number, src: string, dst = '192.0.2.7'): TestFrame => ({
  sec,
  spec: { ip: { version: 4, src, dst }, l4: { kind: 'udp', srcPort: 40000, dstPort: 53 } },
});

describe('teiten serve --collector', () => {
  it('takes an upload from a sensor enrolled through the admin route and shows it in /api/sensors and /api/live', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-serve-collector-'));
    const db = join(dir, 'live.duckdb');
    const tokenFile = join(dir, 'admin.token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    expect(
      (await runCli(['sensors', 'add', 'seed', '--db', db, '--address', '203.0.113.0/24', '--from', '0'])).code,
    ).toBe(0);

    // Three minutes ago: three packets from two sources; two minutes ago: two from a third; one to an address no sensor has.
    const minute = Math.floor(Date.now() / 60_000) - 3;
    const frames = [
      udp(minute * 60 + 1, '1.0.16.1'),
      udp(minute * 60 + 20, '1.0.16.1'),
      udp(minute * 60 + 40, '1.0.16.2'),
      udp((minute + 1) * 60 + 5, '1.0.16.3'),
      udp((minute + 1) * 60 + 6, '1.0.16.3'),
      udp(minute * 60 + 3, '1.0.16.9', '198.51.100.1'),
    ];
    const capture = writeTemp(dir, 'live.pcap', pcapOf(frames));

    const cli = startCli([
      'serve',
      '--db',
      db,
      '--listen',
      '127.0.0.1:0',
      '--collector',
      '127.0.0.1:0',
      '--admin-token-file',
      tokenFile,
      '--quiet',
    ]);
    try {
      await cli.printed('collector listening on');
      const { stdout } = cli.output();
      const base = /serving (http:\/\/[^ ]+)\//.exec(stdout)![1]!;
      const collectorUrl = /collector listening on (\S+),/.exec(stdout)![1]!;
      const fingerprint = /SHA-256 fingerprint (\S+)/.exec(stdout)![1]!;

      const enrolled = await fetch(`${base}/api/admin/sensors/tokyo/enroll`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ addresses: ['192.0.2.0/24'] }),
      });
      expect(enrolled.status).toBe(200);
      const { credentials } = (await enrolled.json()) as {
        credentials: { collector: string; fingerprint: string; secret: string };
      };
      expect(credentials).toMatchObject({ collector: collectorUrl, fingerprint });

      const segment = await segmentOf(capture, 0, 'live');
      const answer = await uploadSegment(
        { url: collectorUrl, key: signingKey(credentials.secret), sensor: 'tokyo' },
        segment,
      );
      expect(answer.fingerprint).toBe(fingerprint);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toMatchObject({ status: 'stored', packets: frames.length });

      const sensors = (await (await fetch(`${base}/api/sensors`)).json()) as {
        sensors: {
          sensor: string;
          credentials: string;
          segments: { received: number };
          packets: { received: number };
        }[];
      };
      expect(sensors.sensors.find((s) => s.sensor === 'tokyo')).toMatchObject({
        credentials: 'active',
        segments: { received: 1 },
        packets: { received: frames.length },
      });
      const live = (await (await fetch(`${base}/api/live?minutes=10`)).json()) as {
        minutes: { minute: string; packets: number; sources: number }[];
      };
      const at = (m: number): { packets: number; sources: number } | undefined => {
        const row = live.minutes.find((x) => Date.parse(x.minute) === m * 60_000);
        return row === undefined ? undefined : { packets: row.packets, sources: row.sources };
      };
      expect(at(minute)).toEqual({ packets: 3, sources: 2 });
      expect(at(minute + 1)).toEqual({ packets: 2, sources: 1 });
      expect(live.minutes.reduce((n, m) => n + m.packets, 0)).toBe(5);
    } finally {
      cli.child.kill('SIGTERM');
    }
    const ended = await cli.result;
    expect(ended.code, ended.stderr).toBe(0);
  }, 120_000);

  it('refuses a bad --collector address or a short admin token before looking for the store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-serve-collector-'));
    const db = join(dir, 'absent.duckdb');
    const bad = await runCli(['serve', '--db', db, '--collector', 'nowhere']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--collector must be HOST:PORT/);
    writeFileSync(join(dir, 'short'), 'secret');
    const short = await runCli(['serve', '--db', db, '--admin-token-file', join(dir, 'short')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/the token has 6 characters, at least 16/);
  });
});
