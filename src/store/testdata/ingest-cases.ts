/**
 * @module
 * Contract cases for ingest: commit, rollback, duplicates, raw retention
 * (run by `store.case.test.ts`).
 */

import { expect, test } from 'vitest';
import { StoreErrorCode } from '../errors.js';
import { withIngest } from '../ingest-writer.js';
import { sourceListRows } from '../source-lists.js';
import type { SourceKeyColumns, TrafficRow } from '../store.js';
import type { SuiteContext } from './registry-cases.js';
import { ingestScenario, setUpScenario, sorted } from './scenario.js';
import { withSourceTexts } from './source-texts.js';

const TRAFFIC_COLUMNS = `local_day AS "localDay", local_hour AS "localHour", ip_version AS "ipVersion", service,
  sport_class AS "sportClass", country, flag_class AS "flagClass", packet_class AS "packetClass", packets, bytes`;
const SOURCE_COLUMNS = 'local_day AS "localDay", src, country, asn, service, packets';

export function ingestCases(ctx: SuiteContext): void {
  test('commit() makes the appended rows come back exactly', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const id = await ingestScenario(store, s);
    const traffic = await store.query<TrafficRow>({ sql: `SELECT ${TRAFFIC_COLUMNS} FROM traffic_hour`, params: [] });
    expect(sorted(traffic)).toEqual(sorted(s.observed.traffic));
    const sources = await store.query<{ src: number }>({ sql: `SELECT ${SOURCE_COLUMNS} FROM source_day`, params: [] });
    expect(sorted(await withSourceTexts(store, sources))).toEqual(sorted(s.observed.sources));
    const [record] = await store.listIngests(s.tokyo.id);
    expect(record).toMatchObject({ id, ...s.meta, ...s.observed.summary, rawPackets: 11, geoipDb: '', asnDb: '' });
    expect(s.observed.summary).toMatchObject({ packetsRead: 14, packetsCounted: 11, packetsExcluded: 3 });
    expect(await store.findIngestByHash(s.tokyo.id, s.meta.sha256.toUpperCase())).toEqual(record);
    expect(await store.listIngests(s.osaka.id)).toEqual([]);
  });

  test('beginIngest() rows stay invisible until commit and rollback() leaves nothing', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const writer = await store.beginIngest(s.meta);
    await writer.appendTraffic(s.observed.traffic);
    await writer.appendSources(s.observed.sources);
    expect(await writer.appendPackets(s.enriched, s.observed.sensorOf[0]!)).toBe(11);
    const count = { sql: 'SELECT COUNT(*) AS n FROM traffic_hour', params: [] };
    for (const view of ['traffic_hour', 'source_day', 'packets']) {
      expect(await store.query({ sql: `SELECT COUNT(*) AS n FROM ${view}`, params: [] })).toEqual([{ n: 0 }]);
    }
    if (store.kind === 'clickhouse') {
      // No transactions: the rows are in the base table already, and only the view hides them.
      const [base] = await store.query<{ n: number }>({ sql: 'SELECT COUNT(*) AS n FROM source_list_day_rows', params: [] });
      expect(base!.n).toBeGreaterThanOrEqual(3);
    }
    await writer.rollback();
    await writer.rollback();
    for (const table of ['traffic_hour', 'source_day', 'packets', 'traffic_hour_rows', 'source_list_day_rows', 'packet_rows', 'ingests']) {
      expect(await store.query({ sql: `SELECT COUNT(*) AS n FROM ${table}`, params: [] })).toEqual([{ n: 0 }]);
    }
    await expect(writer.appendTraffic(s.observed.traffic)).rejects.toMatchObject({ code: StoreErrorCode.WRITER_CLOSED });
    expect(await store.findIngestByHash(s.tokyo.id, s.meta.sha256)).toBeUndefined();
    await ingestScenario(store, s);
    expect(await store.query(count)).toEqual([{ n: s.observed.traffic.length }]);
  });

  test('appendPackets() reads the batch during the call, and unawaited appends all land', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const writer = await store.beginIngest(s.meta);
    const pending = [
      writer.appendTraffic(s.observed.traffic.slice(0, 2)),
      writer.appendTraffic(s.observed.traffic.slice(2)),
      writer.appendPackets(s.enriched, s.observed.sensorOf[0]!),
    ];
    s.enriched.batch.sport.fill(7); // a decoder refilling its batch right away
    await Promise.all(pending);
    await writer.commit(s.observed.summary);
    const [traffic] = await store.query({ sql: 'SELECT SUM(packets) AS n FROM traffic_hour', params: [] });
    expect(traffic).toEqual({ n: 11 });
    const ports = await store.query({ sql: 'SELECT sport FROM packets WHERE sport = ?', params: [7] });
    expect(ports).toEqual([]);
  });

  test('beginIngest() refuses a capture the sensor already holds', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const id = await ingestScenario(store, s);
    await expect(store.beginIngest(s.meta)).rejects.toMatchObject({ code: StoreErrorCode.DUPLICATE_INGEST, existingIngestId: id });
    const other = await store.beginIngest({ ...s.meta, sensorId: s.osaka.id });
    await other.rollback();
    await expect(store.beginIngest({ ...s.meta, sensorId: 4040 })).rejects.toMatchObject({ code: StoreErrorCode.SENSOR_NOT_FOUND });
    await expect(store.beginIngest({ ...s.meta, sha256: 'xyz' })).rejects.toThrow(TypeError);
  });

  test('commit() refuses a capture committed by another writer meanwhile', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const late = await store.beginIngest(s.meta);
    await late.appendTraffic(s.observed.traffic);
    const first = await ingestScenario(store, s);
    await expect(late.commit(s.observed.summary)).rejects.toMatchObject({ code: StoreErrorCode.DUPLICATE_INGEST, existingIngestId: first });
    await late.rollback();
    expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM traffic_hour_rows', params: [] })).toEqual([{ n: s.observed.traffic.length }]);
  });

  test('commit() takes a hash known only at the end, and refuses a duplicate there', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const first = await store.beginIngest({ ...s.meta, sha256: '', bytes: 0 });
    await first.appendTraffic(s.observed.traffic);
    const record = await first.commit(s.observed.summary, { sha256: s.meta.sha256.toUpperCase(), bytes: 99 });
    expect(record).toMatchObject({ sha256: s.meta.sha256, bytes: 99 });
    expect(await store.findIngestByHash(s.tokyo.id, s.meta.sha256)).toEqual(record);

    const again = await store.beginIngest({ ...s.meta, fileName: 'again.pcap', sha256: '' });
    await again.appendTraffic(s.observed.traffic);
    await expect(again.commit(s.observed.summary, { sha256: s.meta.sha256, bytes: 99 })).rejects.toMatchObject({
      code: StoreErrorCode.DUPLICATE_INGEST,
      existingIngestId: record.id,
      message: expect.stringMatching(/again\.pcap.*ingest \d+ \(crafted\.pcap\)/),
    });
    await again.rollback();
    const unhashed = await store.beginIngest({ ...s.meta, sha256: '' });
    await expect(unhashed.commit(s.observed.summary)).rejects.toThrow(/sha256 was given neither/);
    await unhashed.rollback();
    expect(await store.query({ sql: 'SELECT SUM(packets) AS n FROM traffic_hour', params: [] })).toEqual([{ n: 11 }]);
  });

  test('appendTrafficColumns() and appendSourceColumns() store the same rows as the row form', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const { traffic, sources } = s.observed;
    const columnsOf = <R extends object>(rows: readonly R[], typed: Record<string, (n: number) => { [i: number]: unknown; length: number }>) => {
      const out: Record<string, { [i: number]: unknown; length: number }> = {};
      for (const key of Object.keys(rows[0]!)) {
        const make = typed[key] ?? ((n: number) => new Array<unknown>(n));
        const column = make(rows.length);
        rows.forEach((row, i) => { column[i] = (row as Record<string, unknown>)[key]; });
        out[key] = column;
      }
      return out;
    };
    const writer = await store.beginIngest(s.meta);
    const trafficColumns = columnsOf(traffic, { localDay: (n) => new Int32Array(n), localHour: (n) => new Uint8Array(n), packets: (n) => new Float64Array(n) });
    await writer.appendTrafficColumns({ rowCount: traffic.length, columns: trafficColumns } as never);
    const keyed = (await writer.sourceKeys(sources.map((r) => r.src))).map((src, i) => ({ ...sources[i]!, src }));
    const sourceColumns = (rows: typeof keyed, typed: boolean): SourceKeyColumns => {
      const lists = sourceListRows(rows);
      const starts = [0];
      for (const row of lists) starts.push(starts.at(-1)! + row.services.length);
      const flat = (key: 'services' | 'packets'): number[] => lists.flatMap((row) => row[key]);
      const column = (key: 'localDay' | 'src' | 'country' | 'asn'): ArrayLike<number> =>
        typed ? Float64Array.from(lists, (row) => row[key]) : lists.map((row) => row[key]);
      return {
        rowCount: lists.length,
        columns: {
          localDay: column('localDay'), src: column('src'), country: column('country'), asn: column('asn'),
          services: { starts, values: typed ? Uint32Array.from(flat('services')) : flat('services') }, packets: { starts, values: flat('packets') },
        },
      };
    };
    await writer.appendSourceColumns(sourceColumns(keyed, true));
    const short = { rowCount: traffic.length + 1, columns: trafficColumns };
    await expect(writer.appendTrafficColumns(short as never)).rejects.toThrow(/column \w+ holds \d+ of \d+ values/);
    await writer.rollback();
    const again = await store.beginIngest(s.meta);
    await again.appendTrafficColumns({ rowCount: traffic.length, columns: trafficColumns } as never);
    const rekeyed = (await again.sourceKeys(sources.map((r) => r.src))).map((src, i) => ({ ...sources[i]!, src }));
    await again.appendSourceColumns(sourceColumns(rekeyed, false));
    await again.commit(s.observed.summary);
    const back = await store.query<TrafficRow>({ sql: `SELECT ${TRAFFIC_COLUMNS} FROM traffic_hour`, params: [] });
    expect(sorted(back)).toEqual(sorted(traffic));
    const stored = await store.query<{ src: number }>({ sql: `SELECT ${SOURCE_COLUMNS} FROM source_day`, params: [] });
    expect(sorted(await withSourceTexts(store, stored))).toEqual(sorted(sources));
    const bad = await store.beginIngest({ ...s.meta, sha256: 'cd'.repeat(32) });
    const half = { ...trafficColumns, packets: Float64Array.of(...traffic.map(() => 0.5)) };
    await expect(bad.appendTrafficColumns({ rowCount: traffic.length, columns: half } as never)).rejects.toThrow(/packets must be an integer/);
    await bad.rollback();
  });

  test('appendSourceColumns() keeps long lists across blocks and chunks exact', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    // 3,000 rows (more than a DuckDB chunk), row i with 1 + i % 5 services; row 7 reaches 70,000 (a full port sweep).
    const rows = 3000;
    const starts = [0];
    const services: number[] = [];
    const packets: number[] = [];
    for (let i = 0; i < rows; i++) {
      const n = i === 7 ? 70_000 : 1 + (i % 5);
      for (let k = 0; k < n; k++) {
        services.push(k * 3 + (i % 3));
        packets.push(1 + ((i + k) % 4));
      }
      starts.push(services.length);
    }
    const column = (f: (i: number) => number): Float64Array => Float64Array.from({ length: rows }, (_, i) => f(i));
    const writer = await store.beginIngest(s.meta);
    await writer.appendSourceColumns({
      rowCount: rows,
      columns: {
        localDay: column(() => 14762), src: column((i) => 0x0a00_0000 + i), country: column((i) => i % 7), asn: column(() => 0),
        services: { starts, values: Uint32Array.from(services) }, packets: { starts, values: Float64Array.from(packets) },
      },
    });
    await writer.commit(s.observed.summary);
    const [all] = await store.query<{ n: number; sources: number; packets: number }>({
      sql: 'SELECT COUNT(*) AS n, COUNT(DISTINCT src) AS sources, SUM(packets) AS packets FROM source_day', params: [],
    });
    expect(all).toEqual({ n: services.length, sources: rows, packets: packets.reduce((a, b) => a + b, 0) });
    const sweep = await store.query({
      sql: 'SELECT COUNT(*) AS n, MIN(service) AS lo, MAX(service) AS hi, SUM(packets) AS packets FROM source_day WHERE src = ?',
      params: [0x0a00_0007],
    });
    expect(sweep).toEqual([{ n: 70_000, lo: 1, hi: 3 * 69_999 + 1, packets: packets.slice(starts[7], starts[8]).reduce((a, b) => a + b, 0) }]);
    const last = await store.query({ sql: 'SELECT service, packets FROM source_day WHERE src = ? ORDER BY service', params: [0x0a00_0000 + rows - 1] });
    expect(last).toEqual(services.slice(starts[rows - 1], starts[rows]).map((service, k) => ({ service, packets: packets[starts[rows - 1]! + k] })));
  });

  test('withIngest() rolls back when writing fails mid-file', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const bad = { ...s.observed.traffic[0]!, localHour: 24.5 };
    const failing = withIngest(store, {
      meta: s.meta,
      write: async (writer) => {
        await writer.appendSources(s.observed.sources);
        await writer.appendTraffic([...s.observed.traffic, bad]);
        return s.observed.summary;
      },
    });
    await expect(failing).rejects.toThrow(/local_hour must be an integer in 0\.\.255, got 24\.5/);
    for (const table of ['source_list_day_rows', 'traffic_hour_rows', 'ingests']) {
      expect(await store.query({ sql: `SELECT COUNT(*) AS n FROM ${table}`, params: [] })).toEqual([{ n: 0 }]);
    }
  });

  test('appendPackets() keeps counted packets only, with their fields', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    await ingestScenario(store, s);
    const rows = await store.query({
      sql: `SELECT src, dst, sport, dport, tcp_flags, service, country, packet_class, payload_len, payload_hex, local_day
        FROM packets WHERE payload_len > ? ORDER BY ts_sec`,
      params: [0],
    });
    const e = s.enriched;
    expect(rows).toEqual([
      { src: '1.2.3.4', dst: '192.0.2.3', sport: 40002, dport: 445, tcp_flags: 2, service: e.service[2], country: e.country[2],
        packet_class: 1, payload_len: 5, payload_hex: '68656c6c6f', local_day: 14761 },
      { src: '203.0.113.5', dst: '192.0.2.4', sport: 1025, dport: 1434, tcp_flags: 0, service: e.service[6],
        country: e.country[6], packet_class: 1, payload_len: 100, payload_hex: '78'.repeat(64), local_day: 14761 },
    ]);
    const dsts = await store.query<{ dst: string }>({ sql: 'SELECT dst FROM packets ORDER BY ts_sec', params: [] });
    expect(dsts.map((r) => r.dst)).not.toContain('198.51.100.7');
    expect(dsts.map((r) => r.dst)).toContain('2001:db8:1::5');
  });

  test('applyRetention() deletes raw rows of days past the raw retention and keeps the rollups', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    await ingestScenario(store, s);
    const packetsRemoved = async (): Promise<number | undefined> =>
      (await store.applyRetention()).steps.find((step) => step.class === 'packets')?.rows;
    expect(await packetsRemoved()).toBe(0);
    ctx.clock.now += 31 * 86_400;
    expect(await packetsRemoved()).toBe(11);
    expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM packet_rows', params: [] })).toEqual([{ n: 0 }]);
    expect(await store.query({ sql: 'SELECT SUM(packets) AS n FROM traffic_hour', params: [] })).toEqual([{ n: 11 }]);
  });

  test('raw retention 0 stores no raw packets', async () => {
    const store = ctx.store();
    await store.setMeta('raw_retention_days', '0');
    expect((await store.migrate()).rawRetentionDays).toBe(0);
    const s = await setUpScenario(store);
    const writer = await store.beginIngest(s.meta);
    expect(writer.keepsRawPackets).toBe(false);
    expect(await writer.appendPackets(s.enriched, s.observed.sensorOf[0]!)).toBe(0);
    await writer.appendTraffic(s.observed.traffic);
    expect((await writer.commit(s.observed.summary)).rawPackets).toBe(0);
    expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM packets', params: [] })).toEqual([{ n: 0 }]);
  });

  test('deleteIngest() removes an ingest so the capture can be ingested again', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const id = await ingestScenario(store, s);
    await store.deleteIngest(id);
    expect(await store.listIngests()).toEqual([]);
    expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM source_list_day_rows', params: [] })).toEqual([{ n: 0 }]);
    const again = await ingestScenario(store, s);
    expect(again).not.toBe(id);
    expect(await store.query({ sql: 'SELECT SUM(packets) AS n FROM source_day', params: [] })).toEqual([{ n: 11 }]);
  });
}
