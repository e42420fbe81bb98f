/**
 * Threshold rules over IPv6 traffic, hand-counted: the stored groups carry
 * IPv6 sources and tracked destinations as keys (`ipv6_sources`), and the
 * alerts name the source by its canonical text again. Two sensors, one
 * source, three destinations, on DuckDB and (with `CLICKHOUSE_URL`)
 * ClickHouse.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ingestCapture, loadDetectionSetup } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp, type TestFrame } from '../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { storeTargets } from '../store/testdata/clickhouse-test-db.js';
import { parsePeriod } from '../util/period.js';
import { detectionScopes } from './detection-scope.js';
import { thresholdAlerts } from './signature-thresholds.js';

/** 2010-06-02T00:00:00Z. */
const T1 = 1_275_436_800;
const SOURCE = '2001:db8:ff::1';
const NORTH = { name: 'north', label: '', addresses: ['2001:db8:1::/120'] };
const SOUTH = { name: 'south', label: '', addresses: ['2001:db8:2::/120'] };
const RULES = `
alert udp any any -> any any (msg:"both by_src 3 in 60"; threshold:type both, track by_src, count 3, seconds 60; classtype:network-scan; sid:9300001; rev:1;)
alert udp any any -> any any (msg:"limit by_dst 1 in 60"; threshold:type limit, track by_dst, count 1, seconds 60; classtype:misc-activity; sid:9300002; rev:1;)
`;

const probe = (sec: number, dst: string): TestFrame => ({
  sec,
  spec: {
    ip: { version: 6, src: SOURCE, dst },
    l4: { kind: 'udp', srcPort: 40000 + sec - T1, dstPort: 53 },
    payload: new Uint8Array(8),
  },
});

const url = process.env['CLICKHOUSE_URL'];
if (url === undefined || url === '')
  console.log('signature-thresholds-ipv6: ClickHouse case skipped, CLICKHOUSE_URL is not set');
const targets = storeTargets(url, 'thresholds6');

describe.each(targets)('thresholdAlerts() over IPv6 on %s', (_name, make) => {
  let store: AnalyticsStore | undefined;
  const backend = make();
  afterAll(async () => {
    await store?.close();
    await backend.drop();
  });

  it('decides IPv6 chains across two sensors and names the source by its text', async () => {
    const dir = tempDir('teiten-thresholds6-');
    const setup = await loadDetectionSetup({
      bundledRules: false,
      ruleFiles: [writeTemp(dir, 'v6.rules', Buffer.from(RULES))],
    });
    store = await openStore(backend.target, { timeZone: 'UTC' });
    await store.addSensor(NORTH);
    await store.addSensor(SOUTH);
    // by_src: 4 probes in 60 s over both sensors, the 3rd (south, +20 s) alerts. by_dst: the first probe to each
    // of the three destinations alerts (north ::1 twice, the second within 60 s of the first).
    const north = [probe(T1 + 10, '2001:db8:1::1'), probe(T1 + 30, '2001:db8:1::1')];
    const south = [probe(T1 + 20, '2001:db8:2::5'), probe(T1 + 40, '2001:db8:2::6')];
    await ingestCapture(store, 'north', writeTemp(dir, 'north.pcap', pcapOf(north)), { geo: null, detection: setup });
    await ingestCapture(store, 'south', writeTemp(dir, 'south.pcap', pcapOf(south)), { geo: null, detection: setup });
    const { current } = await detectionScopes(store, parsePeriod('2010-06-02', { timeZone: 'UTC' }));
    const alerts = await thresholdAlerts(store, current);
    expect(alerts.rules.map((r) => [r.sid, r.alerts]).sort()).toEqual([
      [9300001, 1],
      [9300002, 3],
    ]);
    const day = T1 / 86_400;
    expect(alerts.sources.sort((a, b) => (a.category < b.category ? -1 : 1))).toEqual([
      { day, category: 'Others', src: SOURCE, country: 0, packets: 3 },
      { day, category: 'Scan', src: SOURCE, country: 0, packets: 1 },
    ]);
    const [keys] = await store.query<{ n: number }>({
      sql: 'SELECT COUNT(*) AS n FROM ipv6_sources WHERE address IN (?, ?, ?, ?)',
      params: [SOURCE, '2001:db8:1::1', '2001:db8:2::5', '2001:db8:2::6'],
    });
    expect(Number(keys!.n)).toBe(4);
  }, 60_000);
});
