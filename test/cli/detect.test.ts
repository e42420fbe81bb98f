import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrafficBuilder } from '../detect/traffic-kit.js';
import { runCli } from './run-cli.js';

const T0 = 1_275_350_400; // 2010-06-01T00:00:00Z
const SENSOR = ((198 << 24) | (18 << 16)) >>> 0; // 198.18.0.0/24
const VICTIM = ((203 << 24) | (0 << 16) | (113 << 8) | 5) >>> 0; // 203.0.113.5
const ZMAP_SOURCE = ((192 << 24) | (0 << 16) | (2 << 8) | 44) >>> 0; // 192.0.2.44
const DNS_SERVER = ((198 << 24) | (51 << 16) | (100 << 8) | 53) >>> 0; // 198.51.100.53

/** 150 SYN/ACKs from 203.0.113.5:80 over 300 s, 20 ZMap probes, 5 DNS replies, and one packet outside the sensor. */
function fixture(): Buffer {
  const t = new TrafficBuilder();
  for (let k = 0; k < 150; k++) {
    t.add({
      ts: T0 + k * 2,
      src: VICTIM,
      dst: SENSOR + (k % 50),
      l4: { kind: 'tcp', srcPort: 80, dstPort: 1024 + k, flags: 0x12 },
    });
  }
  for (let k = 0; k < 20; k++) {
    t.add({
      ts: T0 + 1000 + k,
      src: ZMAP_SOURCE,
      dst: SENSOR + k,
      id: 54321,
      ttl: 255,
      l4: { kind: 'tcp', srcPort: 40000 + k, dstPort: 445, flags: 0x02 },
    });
  }
  for (let k = 0; k < 5; k++) {
    t.add({
      ts: T0 + 2000 + k,
      src: DNS_SERVER,
      dst: SENSOR + 7,
      l4: { kind: 'udp', srcPort: 53, dstPort: 33000 },
      payload: new Uint8Array(400),
    });
  }
  t.add({
    ts: T0 + 3000,
    src: VICTIM,
    dst: (10 << 24) >>> 0,
    l4: { kind: 'tcp', srcPort: 80, dstPort: 5000, flags: 0x12 },
  });
  return t.toPcap();
}

function writeFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teiten-detect-'));
  const file = join(dir, 'detect.pcap');
  writeFileSync(file, fixture());
  return file;
}

describe('teiten detect', () => {
  it('detect --json reports the attack, the ZMap scanner and the DNS reflection', async () => {
    const file = writeFixture();
    const result = await runCli(['detect', file, '--sensor-cidr', '198.18.0.0/24', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.backscatter.attacks).toHaveLength(1);
    expect(out.backscatter.attacks[0]).toMatchObject({
      victim: '203.0.113.5',
      protocol: 'TCP',
      packets: 150,
      sensorAddresses: 50,
      durationSec: 298,
      victimPorts: [{ service: '80/TCP', port: 80, packets: 150 }],
      responses: { 'TCP SYN/ACK': 150 },
      meanRatePps: Number((150 / 298).toFixed(3)),
      extrapolatedRatePps: Number(((150 / 298) * 2 ** 24).toFixed(3)),
    });
    expect(out.backscatter.stats.outsideSensor).toBe(1);
    expect(out.backscatter.days).toMatchObject([{ day: '2010-06-01', packets: 150, victims: 1, attacks: 1 }]);
    expect(out.scanners.sources).toMatchObject([
      { source: '192.0.2.44', scanType: 'horizontal', tools: ['zmap'], addresses: 20 },
    ]);
    expect(out.reflection.byService).toMatchObject([
      { service: '53/UDP', protocol: 'DNS', replies: 5, reflectors: 1, meanReplyBytes: 20 + 8 + 400 },
    ]);
  });

  it('detect prints text sections and applies --attack-min-packets and --attack-timeout', async () => {
    const file = writeFixture();
    const loose = await runCli(['detect', file, '--addresses', '256', '--attack-min-packets', '151']);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toMatch(/^DoS backscatter: 0 attacks from 151 response packets \(≥ 151 packets/);
    // Counts of one read in the singular.
    expect(loose.stdout).toMatch(/\n  2010-06-01: 151 packets, 1 victim, 0 attacks; /);
    expect(loose.stdout).toContain('192.0.2.44');
    expect(loose.stdout).toMatch(/53\/UDP\s+DNS\s+5 replies/);
    // A 1 s timeout splits the SYN/ACKs (2 s apart) into flows too short for an attack.
    const split = await runCli(['detect', file, '--addresses', '256', '--attack-timeout', '1', '--json']);
    expect(JSON.parse(split.stdout).backscatter.attacks).toEqual([]);
  });

  it('detect rejects a missing sensor size and a bad network with exit code 2', async () => {
    const file = writeFixture();
    const none = await runCli(['detect', file]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--addresses N or --sensor-cidr CIDR');
    const bad = await runCli(['detect', file, '--sensor-cidr', '198.18.0.0/40']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--sensor-cidr '198.18.0.0/40'");
    const v6 = await runCli(['detect', file, '--sensor-cidr', '2001:db8::/32']);
    expect(v6.code).toBe(2);
  });

  it('detect reports a truncated capture and still counts its packets', async () => {
    const file = writeFixture();
    const cut = `${file}.cut`;
    const bytes = fixture();
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const result = await runCli(['detect', cut, '--addresses', '256', '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^teiten: .*detect\.pcap\.cut/);
    expect(JSON.parse(result.stdout).backscatter.attacks[0].packets).toBe(150);
  });
  it('detect applies --scan-… thresholds to captures, and --period --rerun records them for every later read', async () => {
    const file = writeFixture();
    // The ZMap source sends exactly 20 probes to 20 sensor addresses (the fixture above): reported as wide or as a tool.
    const over = (n: number): string[] => ['--scan-min-addresses', String(n), '--scan-min-tool-packets', String(n)];
    const at = async (n: number): Promise<unknown[]> =>
      JSON.parse((await runCli(['detect', file, '--sensor-cidr', '198.18.0.0/24', '--json', ...over(n)])).stdout)
        .scanners.sources;
    expect(await at(20)).toHaveLength(1);
    expect(await at(21)).toHaveLength(0);
    const bad = await runCli(['detect', file, '--addresses', '256', '--scan-min-tool-fraction', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/minToolFraction is 2, expected at most 1/);

    const db = join(mkdtempSync(join(tmpdir(), 'teiten-detect-store-')), 't.duckdb');
    expect(
      (
        await runCli([
          'sensors',
          'add',
          's',
          '--from',
          '2000-01-01T00:00:00Z',
          '--address',
          '198.18.0.0/24',
          '--db',
          db,
        ])
      ).code,
    ).toBe(0);
    expect((await runCli(['ingest', '--db', db, '--sensor', 's', file])).code).toBe(0);
    const scanners = async (): Promise<{ windows: number; thresholds: { minAddresses: number } }> =>
      JSON.parse((await runCli(['detections', '--db', db, '--period', '2010-06-01', '--json'])).stdout).scanners;
    expect(await scanners()).toMatchObject({ windows: 1, thresholds: { minAddresses: 10 } });
    const tried = await runCli(['detect', '--db', db, '--period', '2010-06-01', ...over(21), '--json']);
    expect(JSON.parse(tried.stdout)).toMatchObject({
      recorded: false,
      scanners: { windows: 0, sources: 0, thresholds: { minAddresses: 21 } },
    });
    // Trying thresholds records nothing …
    expect(await scanners()).toMatchObject({ windows: 1, thresholds: { minAddresses: 10 } });
    const rerun = await runCli(['detect', '--db', db, '--period', '2010-06-01', ...over(21), '--rerun']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/Scanners of 2010-06-01: 0 scanner windows from 0 sources \(≥ 21 addresses/);
    // … --rerun does, and every statistic reads them from then on.
    expect(await scanners()).toMatchObject({ windows: 0, thresholds: { minAddresses: 21 } });
    const back = await runCli(['detect', '--db', db, '--period', '2010-06-01', ...over(20), '--rerun', '--json']);
    expect(JSON.parse(back.stdout)).toMatchObject({ recorded: true, scanners: { windows: 1, sources: 1 } });
    expect(await scanners()).toMatchObject({ windows: 1, thresholds: { minAddresses: 20 } });
  });
});
