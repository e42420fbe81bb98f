import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { LinkType, PcapWriter } from '../../src/capture/index.js';
import { TcpFlag } from '../../src/decode/index.js';
import { buildPacket } from '../../src/simulate/craft/index.js';
import { runCli, startCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../bin/teiten.js', import.meta.url));

const ETH = { kind: 'ethernet' } as const;
const T0 = 1_275_350_400; // 2010-06-01T00:00:00Z

/** Three packets whose every field is known by construction. */
function fixture(): Buffer {
  const writer = new PcapWriter({ linkType: LinkType.EN10MB, nanosecond: true });
  const synAck = buildPacket({
    link: ETH,
    ip: { version: 4, src: '203.0.113.7', dst: '192.0.2.10', ttl: 52, id: 4660 },
    l4: {
      kind: 'tcp',
      srcPort: 6667,
      dstPort: 40000,
      seq: 1000,
      ack: 2001,
      flags: TcpFlag.SYN | TcpFlag.ACK,
      window: 5840,
    },
  });
  const udp = buildPacket({
    link: ETH,
    ip: { version: 4, src: '198.51.100.1', dst: '192.0.2.10', ttl: 110 },
    l4: { kind: 'udp', srcPort: 53, dstPort: 1434 },
    payload: 'hello',
  });
  const unreachable = buildPacket({
    link: ETH,
    ip: { version: 4, src: '198.51.100.9', dst: '192.0.2.10' },
    l4: {
      kind: 'icmp',
      type: 3,
      code: 3,
      quote: {
        ip: { version: 4, src: '192.0.2.10', dst: '198.51.100.9' },
        l4: { kind: 'udp', srcPort: 5060, dstPort: 53 },
      },
    },
  });
  writer.writePacket({ tsSec: T0, tsNsec: 1, bytes: synAck });
  writer.writePacket({ tsSec: T0 + 1, tsNsec: 500_000_000, bytes: udp });
  writer.writePacket({ tsSec: T0 + 2, tsNsec: 999_999_999, bytes: unreachable });
  return writer.toBuffer();
}

describe('teiten decode', () => {
  let dir = '';
  let file = '';
  let bytes: Buffer = Buffer.alloc(0);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'teiten-cli-'));
    bytes = fixture();
    file = join(dir, 'three.pcap');
    writeFileSync(file, bytes);
  });

  it('decode prints one NDJSON record per packet with every field', async () => {
    const result = await runCli(['decode', file]);
    expect(result.code).toBe(0);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      frame: 1,
      ts: `${T0}.000000001`,
      status: 'ok',
      src: '203.0.113.7',
      dst: '192.0.2.10',
      proto: 6,
      ttl: 52,
      ip_id: 4660,
      sport: 6667,
      dport: 40000,
      tcp_flags: 'SA',
      tcp_seq: 1000,
      tcp_ack: 2001,
      tcp_win: 5840,
      icmp_type: null,
      inner_src: null,
    });
    expect(records[1]).toMatchObject({
      src: '198.51.100.1',
      proto: 17,
      sport: 53,
      dport: 1434,
      payload_len: 5,
      tcp_flags: null,
    });
    expect(records[2]).toMatchObject({
      ts: `${T0 + 2}.999999999`,
      proto: 1,
      icmp_type: 3,
      icmp_code: 3,
      sport: null,
      inner_src: '192.0.2.10',
      inner_dst: '198.51.100.9',
      inner_proto: 17,
      inner_sport: 5060,
      inner_dport: 53,
    });
  });

  it('decode --format csv writes a header and the same values', async () => {
    const result = await runCli(['decode', file, '--format', 'csv']);
    const [header, first] = result.stdout.split('\n');
    const columns = header!.split(',');
    const cells = first!.split(',');
    expect(cells[columns.indexOf('tcp_flags')]).toBe('SA');
    expect(cells[columns.indexOf('icmp_type')]).toBe('');
  });

  it('decode --limit stops after N packets', async () => {
    const result = await runCli(['decode', file, '--limit', '2']);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('decode - reads a gzip-compressed capture from stdin', async () => {
    const result = await runCli(['decode', '-'], { stdin: gzipSync(bytes) });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('decode prints every complete packet of a truncated file, then fails naming the offset', async () => {
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
    const result = await runCli(['decode', cut]);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    // pcap: 24-byte file header, then a 16-byte header before each record's bytes.
    const caplen = (k: number): number => bytes.readUInt32LE(k + 8);
    const second = 24 + 16 + caplen(24);
    const third = second + 16 + caplen(second);
    expect(result.stderr).toContain('cut.pcap');
    expect(result.stderr).toContain(`byte ${third}`);
    expect(result.stderr).toMatch(/TEITEN_CAPTURE_TRUNCATED/);
  });

  it('decode rejects bad options with exit code 2', async () => {
    expect((await runCli(['decode', file, '--format', 'xml'])).code).toBe(2);
    expect((await runCli(['decode', file, '--limit', '0'])).code).toBe(2);
    expect((await runCli(['decode'])).code).toBe(2);
    expect((await runCli(['nosuch'])).code).toBe(2);
  });

  it('decode names an unsupported link type', async () => {
    const writer = new PcapWriter({ linkType: 147 });
    writer.writePacket({ tsSec: T0, tsNsec: 0, bytes: new Uint8Array(20) });
    const odd = join(dir, 'dlt147.pcap');
    writeFileSync(odd, writer.toBuffer());
    const result = await runCli(['decode', odd]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/link type unknown \(147\)/);
  });

  it('decode - shows each packet of a live pipe as it arrives, not at the end', async () => {
    const bytes = fixture();
    const firstRecordEnd = 24 + 16 + bytes.readUInt32LE(24 + 8);
    const run = startCli(['decode', '-'], { pipeStdin: true });
    run.child.stdin!.write(bytes.subarray(0, firstRecordEnd));
    // The pipe stays open: the first packet must be printed while the writer waits.
    await run.printed('"frame":1');
    expect(run.output().stdout).not.toContain('"frame":2');
    run.child.stdin!.end(bytes.subarray(firstRecordEnd));
    const result = await run.result;
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
  }, 30_000);

  it('decode into a pipe closed early (like | head -1) ends silently with exit 0', async () => {
    // Enough packets that the output outlives the reader: repeat the fixture's frames.
    const writer = new PcapWriter({ linkType: LinkType.EN10MB });
    const frame = buildPacket({
      link: ETH,
      ip: { version: 4, src: '203.0.113.7', dst: '192.0.2.10' },
      l4: { kind: 'udp', srcPort: 1, dstPort: 53 },
    });
    for (let k = 0; k < 50_000; k++) writer.writePacket({ interfaceId: 0, tsSec: T0 + k, tsNsec: 0, bytes: frame });
    const file = join(mkdtempSync(join(tmpdir(), 'teiten-decode-pipe-')), 'many.pcap');
    writeFileSync(file, writer.toBuffer());
    const child = spawn(process.execPath, [BIN, 'decode', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy(); // the reader goes away after its first line, as head does
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
