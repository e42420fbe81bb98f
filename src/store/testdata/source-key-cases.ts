/**
 * @module
 * Contract cases for source keys (run by `store.case.test.ts`): IPv4 by
 * value, IPv6 through `ipv6_sources`, the same key in every ingest, and bad
 * input refused. The probe past a key another address holds is in
 * `ipv6-sources.test.ts` (it plants rows with SQL only DuckDB runs).
 */

import { expect, test } from 'vitest';
import { sourceKeyTexts } from '../ipv6-sources.js';
import { IPV6_KEY_BASE, ipv6KeyCandidate } from '../source-key.js';
import type { SuiteContext } from './registry-cases.js';
import { setUpScenario } from './scenario.js';

const SUMMARY = { packetsRead: 1, packetsCounted: 1, packetsExcluded: 0, packetsMalformed: 0, duplicates: 0, firstSec: 0, lastSec: 0 };

export function sourceKeyCases(ctx: SuiteContext): void {
  test('sourceKeys() gives IPv4 its value and an IPv6 address one key in every ingest', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const first = await store.beginIngest({ ...s.meta, sha256: '01'.repeat(32) });
    const keys = await first.sourceKeys(['203.0.113.9', '2001:DB8::0:1', '2001:db8::1', '0.0.0.0']);
    expect(keys[0]).toBe(0xcb00_7109);
    expect(keys[3]).toBe(0);
    expect(keys[1]).toBe(keys[2]);
    expect(keys[1]).toBe(ipv6KeyCandidate('2001:db8::1'));
    expect(keys[1]!).toBeGreaterThanOrEqual(IPV6_KEY_BASE);
    expect(Number.isSafeInteger(keys[1])).toBe(true);
    await first.appendSourceColumns({
      rowCount: 2,
      columns: {
        localDay: [1, 1], src: [keys[0]!, keys[1]!], country: [0, 0], asn: [0, 0],
        services: { starts: [0, 1, 2], values: [5, 5] }, packets: { starts: [0, 1, 2], values: [1, 2] },
      },
    });
    await first.commit(SUMMARY);
    const second = await store.beginIngest({ ...s.meta, sha256: '02'.repeat(32) });
    expect(await second.sourceKeys(['2001:db8:0:0::1'])).toEqual([keys[1]]);
    await second.commit(SUMMARY);
    expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM ipv6_sources', params: [] })).toEqual([{ n: 1 }]);
    const texts = await sourceKeyTexts([keys[0]!, keys[1]!], (q) => store.query(q));
    expect([...texts]).toEqual([[keys[0], '203.0.113.9'], [keys[1], '2001:db8::1']]);
    const v6 = await store.query({ sql: 'SELECT COUNT(*) AS n FROM source_day WHERE src >= ?', params: [IPV6_KEY_BASE] });
    expect(v6).toEqual([{ n: 1 }]);
  });

  test('bad sources are refused with the row and value; a rolled-back DuckDB ingest keeps no keys', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const writer = await store.beginIngest(s.meta);
    await expect(writer.sourceKeys(['192.0.2.1', '192.0.2.300'])).rejects.toThrow('source_day row 1: src "192.0.2.300" is not an IPv4 or IPv6 address');
    await writer.rollback();
    const other = await store.beginIngest(s.meta);
    await other.sourceKeys(['2001:db8::5']);
    const unknown = ipv6KeyCandidate('2001:db8::6');
    const lists = { starts: [0, 1], values: [5] };
    const columns = { localDay: [1], src: [unknown], country: [0], asn: [0], services: lists, packets: lists };
    await expect(other.appendSourceColumns({ rowCount: 1, columns })).rejects.toThrow(`source key ${unknown} was not given by sourceKeys()`);
    await other.rollback();
    if (store.kind === 'duckdb') {
      expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM ipv6_sources', params: [] })).toEqual([{ n: 0 }]);
    }
  });
}
