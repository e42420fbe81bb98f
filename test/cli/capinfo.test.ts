import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinkType, PcapngWriter } from '../../src/capture/index.js';
import { buildPacket } from '../../src/simulate/craft/index.js';
import { runCli } from './run-cli.js';

const T0 = 1_275_350_400;

/** Five packets by construction: 2 good IPv4, 1 IPv6, 1 ARP (non-IP), 1 with IHL 3 (malformed). */
function fixture(): Buffer {
  const writer = new PcapngWriter();
  const eth = writer.addInterface({ linkType: LinkType.EN10MB, tsResolution: { base: 10, exponent: 9 } });
  const good = buildPacket({
    link: { kind: 'ethernet' },
    ip: { version: 4, src: '198.51.100.1', dst: '192.0.2.1' },
    l4: { kind: 'udp', srcPort: 1000, dstPort: 1434 },
  });
  const v6 = buildPacket({
    link: { kind: 'ethernet' },
    ip: { version: 6, src: '2001:db8::1', dst: '2001:db8::2' },
    l4: { kind: 'tcp', srcPort: 1000, dstPort: 445, flags: 2 },
  });
  const arp = buildPacket({ link: { kind: 'ethernet', etherType: 0x0806 }, payload: new Uint8Array(28) });
  const badIhl = Uint8Array.from(good);
  badIhl[14] = 0x43; // version 4, IHL 3
  const packets = [good, good, v6, arp, badIhl];
  // Out of order on purpose: capinfo reports the earliest and latest, not first and last.
  const times = [5, 1, 9, 3, 7];
  packets.forEach((bytes, k) => writer.writePacket({ interfaceId: eth, tsSec: T0 + times[k]!, tsNsec: k, bytes }));
  return writer.toBuffer();
}

describe('teiten capinfo', () => {
  it('capinfo --json counts packets, families, non-IP and malformed by reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-capinfo-'));
    const file = join(dir, 'five.pcapng');
    const bytes = fixture();
    writeFileSync(file, bytes);
    const cut = join(dir, 'cut.pcapng');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 3));

    const result = await runCli(['capinfo', file, cut, '--json']);
    expect(result.code).toBe(1);
    const [info, broken] = JSON.parse(result.stdout);
    expect(info).toMatchObject({
      format: 'pcapng',
      compressed: false,
      linkTypes: ['EN10MB (1)'],
      packets: 5,
      ipv4: 2,
      ipv6: 1,
      nonIp: 1,
      malformed: { bad_ihl: 1 },
      error: null,
      firstTime: '2010-06-01T00:00:01.000000001Z',
      lastTime: '2010-06-01T00:00:09.000000002Z',
      durationSec: 8.000000001,
    });
    expect(info.capturedBytes).toBe(info.wireBytes);
    expect(broken.packets).toBe(4);
    expect(broken.error).toMatch(/cut\.pcapng.*byte \d+/);
    // What was read before the cut, consistently: the format, the four packets and their counts.
    expect(broken).toMatchObject({
      format: 'pcapng',
      linkTypes: ['EN10MB (1)'],
      ipv4: 2,
      ipv6: 1,
      nonIp: 1,
      malformed: {},
    });
    expect(broken.capturedBytes).toBeGreaterThan(0);
    expect(broken.capturedBytes).toBe(broken.wireBytes);
  });

  it('capinfo prints a text summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-capinfo-'));
    const file = join(dir, 'five.pcapng');
    writeFileSync(file, fixture());
    const result = await runCli(['capinfo', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Packets:\s+5/);
    expect(result.stdout).toMatch(/Malformed:\s+bad_ihl=1/);
  });

  it('capinfo counts records longer than their packet or the snapshot length as malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teiten-capinfo-'));
    const frame = buildPacket({
      link: { kind: 'ethernet' },
      ip: { version: 4, src: '198.51.100.1', dst: '192.0.2.1' },
      l4: { kind: 'udp', srcPort: 1, dstPort: 53 },
    });
    // Classic pcap written by hand (snaplen 64): fine, more bytes than on the wire, over the snaplen.
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(64, 16);
    header.writeUInt32LE(1, 20);
    const parts = [header];
    for (const [k, [capLen, wireLen]] of [
      [frame.length, frame.length],
      [frame.length + 4, frame.length],
      [70, 70],
    ].entries()) {
      const rec = Buffer.alloc(16);
      rec.writeUInt32LE(T0 + k, 0);
      rec.writeUInt32LE(capLen!, 8);
      rec.writeUInt32LE(wireLen!, 12);
      parts.push(rec, Buffer.concat([frame, Buffer.alloc(80)]).subarray(0, capLen));
    }
    const file = join(dir, 'lengths.pcap');
    writeFileSync(file, Buffer.concat(parts));
    const result = await runCli(['capinfo', file, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({
      packets: 3,
      malformed: { bad_record_length: 2 },
      error: null,
    });
  });
});
