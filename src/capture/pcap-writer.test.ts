import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapWriter } from './pcap-writer.js';
import { haveCommand } from '../util/have-command.js';

const dir = mkdtempSync(join(tmpdir(), 'teiten-pcap-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const haveTshark = haveCommand('tshark');
if (!haveTshark) console.log('pcap-writer.test: tshark comparison skipped, tshark is not installed');

describe('PcapWriter', () => {
  it('PcapWriter writes the exact bytes of a little-endian microsecond file', () => {
    const w = new PcapWriter({ linkType: 1, byteOrder: 'le', nanosecond: false, snaplen: 65535 });
    w.writePacket({ tsSec: 1_600_000_000, tsNsec: 123_456_789, bytes: Buffer.from('deadbeef', 'hex'), wireLen: 60 });
    expect(w.toBuffer().toString('hex')).toBe(
      'd4c3b2a1' +
        '0200' +
        '0400' +
        '00000000' +
        '00000000' +
        'ffff0000' +
        '01000000' +
        '00105e5f' +
        '40e20100' +
        '04000000' +
        '3c000000' +
        'deadbeef',
    );
  });

  it('PcapWriter writes the exact bytes of a big-endian nanosecond file', () => {
    const w = new PcapWriter({ linkType: 101, byteOrder: 'be', nanosecond: true, snaplen: 262_144 });
    w.writePacket({ tsSec: 1_600_000_000, tsNsec: 999_999_999, bytes: Uint8Array.of(0x45, 0) });
    expect(w.toBuffer().toString('hex')).toBe(
      'a1b23c4d' +
        '0002' +
        '0004' +
        '00000000' +
        '00000000' +
        '00040000' +
        '00000065' +
        '5f5e1000' +
        '3b9ac9ff' +
        '00000002' +
        '00000002' +
        '4500',
    );
  });

  it('PcapWriter cuts packets to the snaplen and keeps the wire length', () => {
    const w = new PcapWriter({ linkType: 1, snaplen: 3 });
    w.writePacket({ tsSec: 0, tsNsec: 0, bytes: Uint8Array.of(1, 2, 3, 4, 5) });
    const record = w.toBuffer().subarray(24);
    expect(record.readUInt32LE(8)).toBe(3);
    expect(record.readUInt32LE(12)).toBe(5);
    expect(record.subarray(16).toString('hex')).toBe('010203');
  });

  it('PcapWriter rejects values it cannot encode', () => {
    const w = new PcapWriter({ linkType: 1 });
    const bytes = new Uint8Array(4);
    expect(() => w.writePacket({ tsSec: -1, tsNsec: 0, bytes })).toThrow(RangeError);
    expect(() => w.writePacket({ tsSec: 2 ** 32, tsNsec: 0, bytes })).toThrow(RangeError);
    expect(() => w.writePacket({ tsSec: 0, tsNsec: 1e9, bytes })).toThrow(/nanoseconds/);
    expect(() => w.writePacket({ tsSec: 0, tsNsec: 0, bytes, wireLen: 3 })).toThrow(/wire length 3/);
    expect(() => w.writePacket({ interfaceId: 1, tsSec: 0, tsNsec: 0, bytes })).toThrow(/interface 1/);
    expect(() => new PcapWriter({ linkType: 1, snaplen: 0 })).toThrow(/snaplen 0/);
    expect(w.bytesWritten).toBe(24);
  });

  it.skipIf(!haveTshark)('PcapWriter output reads the same in tshark (all four magics)', async () => {
    for (const byteOrder of ['le', 'be'] as const) {
      for (const nanosecond of [false, true]) {
        const path = join(dir, `${byteOrder}-${nanosecond}.pcap`);
        const w = new PcapWriter({ linkType: 1, byteOrder, nanosecond, snaplen: 64, output: path });
        const expected: string[] = [];
        for (let i = 0; i < 50; i++) {
          const tsNsec = (i * 123_456_789) % 1e9;
          const length = 14 + i * 3;
          w.writePacket({ tsSec: 1_600_000_000 + i, tsNsec, bytes: new Uint8Array(length), wireLen: length + i });
          const frac = nanosecond ? tsNsec : Math.floor(tsNsec / 1000) * 1000;
          expected.push(
            `${1_600_000_000 + i}.${String(frac).padStart(9, '0')}\t${Math.min(64, length)}\t${length + i}`,
          );
        }
        await w.close();
        const out = execFileSync(
          'tshark',
          ['-r', path, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.cap_len', '-e', 'frame.len'],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        );
        expect(out.trim().split('\n'), `${byteOrder} nanosecond=${nanosecond}`).toEqual(expected);
      }
    }
  });
});
