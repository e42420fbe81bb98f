import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCountryDb } from '../classify/geo-sources.js';
import { unpackCountry } from '../classify/country-code.js';
import { formatLocalDate, TzClock } from '../util/tz.js';
import { simulateAndRead } from './testdata/simulate-read.js';
import { truthTables } from './testdata/decode-tally.js';
import { haveCommand } from '../util/have-command.js';
import { parseIpv4 } from '../util/ip-address.js';

const HAS_TSHARK = haveCommand('tshark');
const PROTO_NAMES: Record<string, string> = { '1': 'ICMP', '6': 'TCP', '17': 'UDP' };

describe('truth.json against independent readers', () => {
  it.skipIf(!HAS_TSHARK)(
    'tshark counts the same packets per day, sensor and service, and the same sources per day',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'teiten-tshark-'));
      const { truth } = await simulateAndRead('detector-check', { outDir: dir, scale: 0.3, seed: 21 });
      const clock = new TzClock(truth.scenario.timeZone);
      const packets = new Map<string, number>();
      const sources = new Map<string, Set<string>>();
      for (const sensor of truth.sensors) {
        const own = new Set<number>();
        for (const cidr of sensor.addresses) {
          const [base, len] = cidr.split('/') as [string, string];
          for (let k = 0; k < 2 ** (32 - Number(len)); k++) own.add(parseIpv4(base) + k);
        }
        // First occurrence only: an ICMP error's quoted header repeats ip.* and udp.* fields.
        const out = execFileSync(
          'tshark',
          [
            '-r',
            join(dir, sensor.file),
            '-T',
            'fields',
            '-E',
            'occurrence=f',
            '-E',
            'separator=\t',
            '-e',
            'frame.time_epoch',
            '-e',
            'ip.src',
            '-e',
            'ip.dst',
            '-e',
            'ip.proto',
            '-e',
            'tcp.dstport',
            '-e',
            'udp.dstport',
            '-e',
            'icmp.type',
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 },
        );
        for (const line of out.trim().split('\n')) {
          const [time, src, dst, proto, tcp, udp, icmp] = line.split('\t') as [
            string,
            string,
            string,
            string,
            string,
            string,
            string,
          ];
          if (!own.has(parseIpv4(dst))) continue;
          const port = proto === '6' ? tcp : proto === '17' ? udp : icmp;
          const date = formatLocalDate(clock.localDay(Math.floor(Number(time))));
          const key = `${date}|${sensor.name}|${port}/${PROTO_NAMES[proto]}`;
          packets.set(key, (packets.get(key) ?? 0) + 1);
          if (!sources.has(date)) sources.set(date, new Set());
          sources.get(date)!.add(src);
        }
      }
      const expected = new Map<string, number>();
      for (const [key, n] of truthTables(truth).traffic) {
        const short = key.slice(0, key.lastIndexOf('|'));
        expected.set(short, (expected.get(short) ?? 0) + n);
      }
      expect(new Map([...packets].sort())).toEqual(new Map([...expected].sort()));
      expect(new Map([...sources].map(([d, s]) => [d, s.size] as const).sort())).toEqual(
        new Map([...truthTables(truth).sourcesByDay].sort()),
      );
    },
  );

  it('truth hosts resolve to their planted country in the GeoIP database', async () => {
    const { truth } = await simulateAndRead('detector-check', {
      outDir: mkdtempSync(join(tmpdir(), 'teiten-geo-')),
      scale: 0.2,
    });
    const db = openCountryDb();
    expect(truth.hosts.length).toBeGreaterThan(20);
    for (const [, address, country] of truth.hosts) {
      expect(unpackCountry(db.lookup.lookup4(parseIpv4(address))), address).toBe(truth.countries[country]);
    }
  });
});
