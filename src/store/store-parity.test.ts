/**
 * The acceptance check: the same ingest of real captures into DuckDB
 * and ClickHouse gives the same statistics through the same SQL. Runs when
 * `CLICKHOUSE_URL` is set and the shared captures are present.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serviceKey } from '../classify/service-key.js';
import { IpProto } from '../decode/batch.js';
import { TzClock } from '../util/tz.js';
import { AddressMatcher } from './address-matcher.js';
import { openStore } from './index.js';
import type { AnalyticsStore, SqlQuery } from './store.js';
import { clickHouseTestDb } from './testdata/clickhouse-test-db.js';
import { captureEnriched, observe } from './testdata/observe.js';
import { enrichContext, TIME_ZONE } from './testdata/scenario.js';

const CAPTURES_DIR = join(import.meta.dirname, '../../../shared/captures');
const FILES = ['pkt.TCP.synflood.spoofed.pcap', 'amp.dns.RRSIG.fragmented.pcap', 'amp.TCP.reflection.SYNACK.pcap'];
const url = process.env['CLICKHOUSE_URL'];
const haveCaptures = FILES.every((f) => existsSync(join(CAPTURES_DIR, f)));

const QUERIES: Record<string, SqlQuery> = {
  hourly: {
    sql: `SELECT local_day, local_hour, SUM(packets) AS packets, SUM(bytes) AS bytes FROM traffic_hour
      GROUP BY local_day, local_hour ORDER BY local_day, local_hour`,
    params: [],
  },
  topServices: {
    sql: 'SELECT service, SUM(packets) AS packets FROM traffic_hour GROUP BY service ORDER BY packets DESC, service LIMIT ?',
    params: [10],
  },
  classes: {
    sql: `SELECT ip_version, sport_class, flag_class, packet_class, SUM(packets) AS packets FROM traffic_hour
      GROUP BY ip_version, sport_class, flag_class, packet_class ORDER BY ip_version, sport_class, flag_class, packet_class`,
    params: [],
  },
  countries: {
    sql: `SELECT country, COUNT(DISTINCT src) AS sources, SUM(packets) AS packets FROM source_day
      GROUP BY country ORDER BY sources DESC, country`,
    params: [],
  },
  distinctSyn: {
    sql: 'SELECT COUNT(DISTINCT src) AS sources FROM source_day WHERE local_day BETWEEN ? AND ? AND service = ?',
    params: [0, 100_000, serviceKey(IpProto.TCP, 25565)],
  },
  topSources: {
    sql: 'SELECT src, SUM(packets) AS packets FROM source_day GROUP BY src ORDER BY packets DESC, src LIMIT 20',
    params: [],
  },
  ingests: {
    sql: `SELECT file_name, packets_read, packets_counted, packets_excluded, raw_packets, first_sec, last_sec
      FROM ingests ORDER BY file_name`,
    params: [],
  },
  raw: {
    sql: `SELECT proto, COUNT(*) AS n, COUNT(DISTINCT src) AS sources, SUM(ip_len) AS ip_bytes, MAX(payload_len) AS payload
      FROM packets WHERE dst = ? GROUP BY proto ORDER BY proto`,
    params: ['10.10.10.10'],
  },
};

describe.skipIf(url === undefined || url === '' || !haveCaptures)('DuckDB and ClickHouse parity', () => {
  const stores: AnalyticsStore[] = [];
  const clickHouse = clickHouseTestDb(url || 'http://127.0.0.1:8123', 'parity');
  let counted = 0;

  beforeAll(async () => {
    for (const target of [':memory:', clickHouse.storeUrl]) {
      const store = await openStore(target, { timeZone: TIME_ZONE });
      stores.push(store);
      const sensor = await store.addSensor({ name: 'lab', addresses: ['10.10.10.0/24'] });
      const matcher = AddressMatcher.fromSensors([sensor]);
      for (const [k, file] of FILES.entries()) {
        const batches = await captureEnriched(join(CAPTURES_DIR, file), enrichContext());
        const obs = observe(batches, { sensorId: sensor.id, matcher, clock: new TzClock(TIME_ZONE) });
        if (target === ':memory:') counted += obs.summary.packetsCounted;
        const writer = await store.beginIngest({
          sensorId: sensor.id,
          fileName: file,
          sha256: String(k).repeat(64),
          bytes: 1,
        });
        await writer.appendTraffic(obs.traffic);
        await writer.appendSources(obs.sources);
        for (const [b, enriched] of batches.entries()) await writer.appendPackets(enriched, obs.sensorOf[b]!);
        await writer.commit(obs.summary);
      }
    }
  }, 300_000);

  afterAll(async () => {
    for (const store of stores) await store.close();
    await clickHouse.drop();
  });

  test('query() totals equal the packets counted at ingest on both stores', async () => {
    for (const store of stores) {
      const [row] = await store.query<{ packets: number }>({
        sql: 'SELECT SUM(packets) AS packets FROM traffic_hour',
        params: [],
      });
      expect(row!.packets).toBe(counted);
    }
    expect(counted).toBeGreaterThan(50_000);
  });

  for (const [name, query] of Object.entries(QUERIES)) {
    test(`query() gives identical ${name} rows on DuckDB and ClickHouse`, async () => {
      const [duck, click] = await Promise.all(stores.map((s) => s.query(query)));
      expect(duck!.length).toBeGreaterThan(0);
      expect(click).toEqual(duck);
    });
  }
});
