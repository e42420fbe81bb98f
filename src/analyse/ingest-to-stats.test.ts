/**
 * End to end: a hand-built pcap through the real ingest (`ingestCapture`)
 * into DuckDB, then the period statistics, with every figure counted by
 * hand from the frames below. Local days are Asia/Tokyo (UTC+9), so
 * 2010-03-31T15:00:00Z is the first second of FY2010Q1.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkType, PcapWriter } from '../capture/index.js';
import { MmdbWriter, openCountryDb } from '../classify/index.js';
import { TcpFlag } from '../decode/index.js';
import { ingestCapture } from '../ingest/index.js';
import { buildPacket, type PacketSpec } from '../simulate/craft/index.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { breakdown } from './breakdown.js';
import { parsePeriod } from '../util/period.js';
import { periodSummary } from './period-summary.js';
import { rankingTable } from './ranking-table.js';

const SENSOR = { name: 'edge', addresses: ['192.0.2.0/30', '2001:db8:1::/64'] };
/** 4 IPv4 addresses + 1 IPv6 entry. */
const ADDRESSES = 5;

const syn = (src: string, dst: string, sport: number, id: number): PacketSpec => ({
  ip: { version: 4, src, dst, id },
  l4: { kind: 'tcp', srcPort: sport, dstPort: 445, flags: TcpFlag.SYN },
});
const echo = (src: string, dst: string, id: number): PacketSpec => ({
  ip: { version: 4, src, dst, id },
  l4: { kind: 'icmp', type: 8, id },
});
const dns = (dport: number, id: number): PacketSpec => ({
  ip: { version: 4, src: '1.0.16.6', dst: '192.0.2.0', id },
  l4: { kind: 'udp', srcPort: 53, dstPort: dport },
});

const FRAMES: readonly [string, PacketSpec][] = [
  ['2010-03-31T14:59:59Z', syn('61.1.1.1', '192.0.2.1', 40000, 1)], // 23:59:59 JST: FY2009Q4
  ['2010-03-31T15:00:00Z', syn('61.1.1.1', '192.0.2.2', 40001, 2)], // 00:00:00 JST 04-01: FY2010Q1
  ['2010-04-02T00:00:00Z', syn('61.1.1.1', '10.0.0.1', 40009, 9)], // not the sensor's: excluded
  ['2010-04-15T03:00:00Z', syn('61.1.1.2', '192.0.2.3', 40002, 3)],
  ['2010-05-01T00:00:00Z', echo('1.0.16.5', '192.0.2.1', 4)],
  ['2010-05-01T00:00:01Z', echo('1.0.16.5', '192.0.2.2', 5)],
  [
    '2010-05-20T00:00:00Z',
    { ip: { version: 6, src: '2001:db8:ff00::1', dst: '2001:db8:1::5' }, l4: { kind: 'icmpv6', type: 128, id: 6 } },
  ],
  ['2010-06-30T14:59:59Z', dns(33000, 7)], // 23:59:59 JST 06-30: last second of FY2010Q1
  ['2010-06-30T15:00:00Z', dns(33001, 8)], // 07-01 JST: FY2010Q2
];

let store: AnalyticsStore;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'teiten-analyse-e2e-'));
  const countries = new MmdbWriter({
    databaseType: 'teiten-test-country',
    buildEpoch: new Date('2010-05-01T00:00:00Z'),
  });
  countries.insert('1.0.16.0/20', { country_code: 'JP' });
  countries.insert('61.0.0.0/8', { country_code: 'CN' });
  countries.insert('2001:db8:ff00::/40', { country_code: 'TW' });
  writeFileSync(join(dir, 'country.mmdb'), countries.toBuffer());
  const pcap = new PcapWriter({ linkType: LinkType.EN10MB });
  for (const [time, spec] of FRAMES) {
    pcap.writePacket({
      tsSec: Date.parse(time) / 1000,
      tsNsec: 0,
      bytes: buildPacket({ link: { kind: 'ethernet' }, ...spec }),
    });
  }
  writeFileSync(join(dir, 'edge.pcap'), pcap.toBuffer());
  store = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
  await store.addSensor(SENSOR);
  const geo = { country: openCountryDb(join(dir, 'country.mmdb')), asn: null };
  const result = await ingestCapture(store, 'edge', join(dir, 'edge.pcap'), { geo });
  expect(result.record).toMatchObject({ packetsRead: 9, packetsCounted: 8, packetsExcluded: 1 });
});

afterAll(async () => {
  await store.close();
});

describe('ingested capture to statistics', () => {
  const q1 = parsePeriod('FY2010Q1', { timeZone: 'Asia/Tokyo' });

  it('periodSummary() splits the capture at JST midnight into FY2009Q4, FY2010Q1 and FY2010Q2', async () => {
    const s = await periodSummary(store, { period: q1 });
    expect(s.current).toMatchObject({ packets: 6, addressDays: ADDRESSES * 91, observedDays: 91, sources: 5 });
    expect(s.current.perDayPerAddress).toBeCloseTo(6 / 455, 12);
    expect(s.current.sourcesPerDay).toBeCloseTo(5 / 91, 12);
    expect(s.previous).toMatchObject({ packets: 1, addressDays: ADDRESSES * 90, sources: 1 });
    const q2 = await periodSummary(store, { period: parsePeriod('FY2010Q2', { timeZone: 'Asia/Tokyo' }) });
    expect(q2.current.packets).toBe(1);
  });

  it('rankingTable() ranks services and countries looked up at ingest, ties by key', async () => {
    const services = await rankingTable(store, { period: q1, by: 'service' });
    expect(services.rows.map((r) => [r.key, r.rank, r.previousRank, r.packets])).toEqual([
      ['445/TCP', 1, 1, 2],
      ['8/ICMP', 2, null, 2],
      ['128/ICMPv6', 3, null, 1],
      ['33000/UDP', 4, null, 1],
    ]);
    const countries = await rankingTable(store, { period: q1, by: 'country' });
    expect(countries.rows.map((r) => [r.key, r.packets, r.label.countryJa])).toEqual([
      ['JP', 3, '日本'],
      ['CN', 2, '中国'],
      ['TW', 1, '台湾'],
    ]);
  });

  it('breakdown() gives source port classes from rollups and exact source ports from raw packets', async () => {
    const sport = await breakdown(store, { period: q1, by: 'sport-class', filter: { service: '33000/UDP' } });
    expect(sport.items.map((i) => [i.key, i.packets])).toEqual([['53/UDP', 1]]);
    const classes = await breakdown(store, { period: q1, by: 'sport-class', filter: { service: '445/TCP' } });
    expect(classes.items.map((i) => [i.key, i.packets])).toEqual([['eph/TCP', 2]]);
    const exact = await breakdown(store, { period: q1, by: 'country-source-port', filter: { service: '445/TCP' } });
    expect(exact.items.map((i) => [i.key, i.packets, i.sources, i.sharePct])).toEqual([
      ['CN 40001/TCP', 1, 1, 50],
      ['CN 40002/TCP', 1, 1, 50],
    ]);
  });
});
