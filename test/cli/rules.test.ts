import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytes, dnsQuery, ID20, slammerPayload } from '../../bench/darknet-payloads.js';
import { LinkType, PcapWriter } from '../../src/capture/index.js';
import { buildPacket, type PacketSpec } from '../../src/simulate/craft/index.js';
import { runCli } from './run-cli.js';

const T0 = 1_275_350_400;
const SYN = 0x02;

function udp(dstPort: number, payload: Uint8Array | string, src = '198.51.100.7'): PacketSpec {
  return {
    link: { kind: 'ethernet' },
    ip: { version: 4, src, dst: '192.0.2.10' },
    l4: { kind: 'udp', srcPort: 40000, dstPort },
    payload,
  };
}

/** Known traffic: 1 Slammer, 2 DHT queries, 1 DNS ANY query, 3 SYNs to 9415, 1 packet for the user rule. */
function capture(dir: string): string {
  const writer = new PcapWriter({ linkType: LinkType.EN10MB });
  const packets: PacketSpec[] = [
    udp(1434, slammerPayload()),
    udp(6881, bytes('d1:ad2:id20:', ID20, 'e1:q4:ping1:t2:aa1:y1:qe')),
    udp(6881, bytes('d1:ad2:id20:', ID20, 'e1:q9:find_node1:t2:ab1:y1:qe'), '203.0.113.5'),
    udp(53, dnsQuery('isc.org', 255)),
    ...[1, 2, 3].map((k): PacketSpec => ({
      link: { kind: 'ethernet' },
      ip: { version: 4, src: `198.51.100.${k}`, dst: '192.0.2.10' },
      l4: { kind: 'tcp', srcPort: 5000 + k, dstPort: 9415, flags: SYN },
    })),
    udp(7777, 'teiten-test-marker'),
  ];
  packets.forEach((spec, k) => writer.writePacket({ tsSec: T0 + k, tsNsec: 0, bytes: buildPacket(spec) }));
  const file = join(dir, 'darknet.pcap');
  writeFileSync(file, writer.toBuffer());
  return file;
}

describe('teiten rules', () => {
  it('rules check reports the bundled set as fully loaded', async () => {
    const result = await runCli(['rules', 'check']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/teiten-darknet\.rules: loaded \d+, skipped 0, errors 0/);
  });

  it('rules check --json lists loaded, skipped (with keyword and sid) and errors (with file and line)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-rules-'));
    const file = join(dir, 'mixed.rules');
    writeFileSync(
      file,
      [
        'alert udp any any -> any 53 (msg:"ok"; content:"x"; sid:1;)',
        'alert tcp any any -> any 80 (msg:"web"; flow:established,to_server; content:"GET"; http.method; sid:2;)',
        'alert tcp any any -> any 80 (msg:"bad"; content:"|zz|"; sid:3;)',
      ].join('\n'),
    );
    const result = await runCli(['rules', 'check', file, '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.files).toEqual([{ file, loaded: 1, skipped: 1, errors: 1 }]);
    expect(report.skipped).toEqual([
      {
        file,
        line: 2,
        sid: 2,
        msg: 'web',
        keyword: 'flow:established',
        reason: 'a stateless darknet sensor sees no established connections',
      },
    ]);
    expect(report.errors).toEqual([
      { file, line: 3, sid: 3, message: `${file}:3: content has bad hex 'zz' at character 2 (sid 3)` },
    ]);
  });

  it('rules match --json counts alerts by signature and category, with user rules and categories', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-rules-'));
    const pcap = capture(dir);
    const rules = join(dir, 'user.rules');
    writeFileSync(
      rules,
      'alert udp any any -> any 7777 (msg:"USER marker"; content:"teiten-test-marker"; classtype:attempted-dos; sid:1000001; rev:2;)\n',
    );
    const categories = join(dir, 'user.map');
    writeFileSync(categories, 'sid 9000200 = Others\n');
    const result = await runCli(['rules', 'match', pcap, '--rules', rules, '--categories', categories, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ packets: 8, alerts: 8, alertedPackets: 8, rules: { skipped: 0 } });
    const bySid = Object.fromEntries(
      summary.signatures.map((s: { sid: number; alerts: number; category: string }) => [s.sid, [s.alerts, s.category]]),
    );
    expect(bySid).toEqual({
      9000001: [1, 'Worm'],
      9000200: [2, 'Others'],
      9000500: [1, 'DNS'],
      9000100: [3, 'Scan'],
      1000001: [1, 'DoS'],
    });
    expect(summary.byCategory).toEqual({ Worm: 1, Scan: 3, 'Scan(P2P)': 0, 'UDP spam': 0, DoS: 1, DNS: 1, Others: 2 });
  });

  it('rules match warns about skipped rules and stops on a rule syntax error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-rules-'));
    const pcap = capture(dir);
    const skipped = join(dir, 'skipped.rules');
    writeFileSync(skipped, 'alert tcp any any -> any 80 (msg:"w"; flowbits:set,a; sid:5;)\n');
    const warned = await runCli(['rules', 'match', pcap, '--rules', skipped]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toBe('teiten: warning: skipped 1 rule(s) using flowbits (sid 5)\n');
    expect(warned.stdout).toMatch(/packets: 8, alerts: 7 on 7 packets/);
    const broken = join(dir, 'broken.rules');
    writeFileSync(broken, '\nalert tcp any any -> any 80 (msg:"b"; sid:x;)\n');
    const failed = await runCli(['rules', 'match', pcap, '--rules', broken]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${broken}:2: sid 'x' is not a positive number`);
  });

  it('rules without a subcommand is a usage error', async () => {
    const result = await runCli(['rules', 'frob']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rules expects a subcommand: check or match, got 'frob'/);
  });
});
