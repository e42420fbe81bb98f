import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unpackCountry } from '../classify/country-code.js';
import type { GeoResolver } from '../classify/geoip.js';
import { formatServiceKey, serviceKey } from '../classify/service-key.js';
import {
  BUNDLED_RULES_PATH,
  DEFAULT_SCAN_THRESHOLDS,
  deriveScanners,
  DistinctCounter,
  type ScannerEvidenceRows,
} from '../detect/index.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { formatLocalDate } from '../util/tz.js';
import { DetectionSetupError, loadDetectionSetup } from './detect-setup.js';
import { ingestCapture } from './ingest-capture.js';
import { pcapOf, sortRows, tempDir, testGeo, writeTemp } from './testdata/captures.js';
import { ATTACK, CURRENT_FRAMES, DETECT_SENSOR, DETECT_TIME_ZONE, SCANNER } from './testdata/detection-scenario.js';
import { parseIpv4 } from '../util/ip-address.js';

const dir = tempDir('teiten-detect-');
let geo: GeoResolver;
let store: AnalyticsStore;

beforeAll(async () => {
  geo = (await testGeo(dir)).geo;
});
beforeEach(async () => {
  store = await openStore(':memory:', { timeZone: DETECT_TIME_ZONE });
  await store.addSensor(DETECT_SENSOR);
});
afterEach(async () => {
  await store.close();
});

type Row = Record<string, string | number>;

async function rows(sql: string): Promise<Row[]> {
  return store.query<Row>({ sql, params: [] });
}

const day = (d: unknown): string => formatLocalDate(Number(d));

/** The stored scanner evidence as the detect stage reads it. */
async function evidenceRows(): Promise<ScannerEvidenceRows> {
  const r = await rows('SELECT * FROM scanner_evidence');
  const num = (key: string): number[] => r.map((x) => Number(x[key]));
  return {
    rowCount: r.length,
    columns: {
      sensorId: num('sensor_id'),
      windowStart: num('window_start'),
      windowEnd: num('window_end'),
      src: num('src'),
      country: num('country'),
      asn: num('asn'),
      packets: num('packets'),
      firstSec: num('first_sec'),
      lastSec: num('last_sec'),
      dst: num('dst'),
      service: num('service'),
      zmapPackets: num('zmap_packets'),
      masscanPackets: num('masscan_packets'),
      miraiPackets: num('mirai_packets'),
      nmapPackets: num('nmap_packets'),
      addresses: r.map((x) => String(x['addresses'])),
      services: r.map((x) => String(x['services'])),
    },
  };
}

async function signatureRows(): Promise<unknown[]> {
  const r = await rows(
    'SELECT local_day, sid, category, country, service, SUM(packets) AS packets FROM signature_day GROUP BY local_day, sid, category, country, service',
  );
  return sortRows(
    r.map(
      (x) =>
        `${day(x['local_day'])} ${x['sid']} ${x['category']} ${unpackCountry(Number(x['country']))} ${formatServiceKey(Number(x['service']))} ${x['packets']}`,
    ),
  );
}

async function signatureSources(): Promise<unknown[]> {
  const r = await rows('SELECT local_day, category, src, country, packets FROM signature_source_day');
  return sortRows(
    r.map(
      (x) =>
        `${day(x['local_day'])} ${x['category']} ${x['src']} ${unpackCountry(Number(x['country']))} ${x['packets']}`,
    ),
  );
}

describe('DetectionPass', () => {
  it('ingestCapture() stores exact signature rows and source sets over the counted packets only', async () => {
    const file = writeTemp(dir, 'current.pcap', pcapOf(CURRENT_FRAMES));
    const result = await ingestCapture(store, 'tokyo', file, { geo });
    expect(result.record).toMatchObject({ packetsCounted: 151, duplicates: 2, packetsExcluded: 1 });
    expect(await signatureRows()).toEqual(
      sortRows([
        '2010-06-01 9000001 Worm CN 1434/UDP 1',
        '2010-06-01 9000002 Worm JP 8/ICMP 3',
        '2010-06-02 9000002 Worm JP 8/ICMP 1',
        '2010-06-01 9000200 Scan(P2P) CN 6881/UDP 1',
        '2010-06-02 9000200 Scan(P2P) TW 6881/UDP 1',
        '2010-06-01 9000402 DoS CN 0/ICMP 3',
      ]),
    );
    expect(await signatureSources()).toEqual(
      sortRows([
        '2010-06-01 Worm 61.1.1.1 CN 1',
        '2010-06-01 Worm 1.0.16.5 JP 3',
        '2010-06-02 Worm 1.0.16.5 JP 1',
        '2010-06-01 Scan(P2P) 61.2.2.2 CN 1',
        '2010-06-02 Scan(P2P) 2001:db8:ff00::1 TW 1',
        '2010-06-01 DoS 61.6.6.6 CN 3',
      ]),
    );
    // Scanner evidence: one piece per IPv4 probing source in the one UTC-day window (1.0.16.5, 61.1.1.1, 61.2.2.2, 61.7.7.7).
    expect(result.detection).toMatchObject({
      alerts: 10,
      signaturePackets: 10,
      backscatterPackets: 128,
      scannerEvidenceRows: 4,
    });
    expect(await rows('SELECT COUNT(*) AS n, SUM(packets) AS p FROM scanner_evidence')).toEqual([{ n: 4, p: 22 }]);
    // Every match of the bundled threshold rules is kept undecided: the ZMap scan's 16 SYNs, the Slammer datagram
    // and the two DHT pings (UDP), the four Nachi echo requests.
    expect(
      await rows(
        'SELECT sid, SUM(matches) AS n, SUM(covered * matches) AS covered FROM signature_evidence GROUP BY sid ORDER BY sid',
      ),
    ).toEqual([
      { sid: 9000101, n: 16, covered: 0 },
      { sid: 9000102, n: 3, covered: 0 },
      { sid: 9000103, n: 4, covered: 0 },
    ]);
    expect(await rows('SELECT COUNT(*) AS n, SUM(packets) AS p FROM backscatter_evidence')).toEqual([
      { n: result.detection!.evidenceRows, p: 128 },
    ]);
  });

  it('ingestCapture() stores backscatter by victim service, country and response, victim sets and the evidence of the attack', async () => {
    await ingestCapture(store, 'tokyo', writeTemp(dir, 'bs.pcap', pcapOf(CURRENT_FRAMES)), { geo });
    const days = await rows('SELECT local_day, victim_service, country, response, packets FROM backscatter_day');
    expect(
      sortRows(
        days.map(
          (x) =>
            `${day(x['local_day'])} ${x['victim_service']} ${unpackCountry(Number(x['country']))} ${x['response']} ${x['packets']}`,
        ),
      ),
    ).toEqual(
      sortRows([
        `2010-06-01 ${6 * 2 ** 17 + 6667} CN 1 120`,
        `2010-06-01 ${6 * 2 ** 17 + 80} JP 5 5`,
        `2010-06-01 ${1 * 2 ** 17 + 0x10000} CN 4 3`,
      ]),
    );
    const victims = await rows('SELECT local_day, victim, country, packets FROM backscatter_victim_day');
    expect(
      sortRows(
        victims.map(
          (x) => `${day(x['local_day'])} ${x['victim']} ${unpackCountry(Number(x['country']))} ${x['packets']}`,
        ),
      ),
    ).toEqual(sortRows(['2010-06-01 61.5.5.5 CN 120', '2010-06-01 1.0.16.9 JP 5', '2010-06-01 61.6.6.6 CN 3']));
    // The attack's evidence: one row per second, its sensor address and victim port, from start to end.
    const evidence =
      await rows(`SELECT COUNT(*) AS n, SUM(packets) AS p, MIN(sec) AS first, MAX(sec) AS last, COUNT(DISTINCT dst) AS dsts,
      MIN(port) AS port, MIN(kind) AS kind, MAX(kind) AS kind2 FROM backscatter_evidence WHERE victim = ${0x3d05_0505}`);
    expect(evidence).toEqual([
      { n: 120, p: 120, first: ATTACK.startSec, last: ATTACK.endSec, dsts: 8, port: 6667, kind: 1, kind2: 1 },
    ]);
  });

  it('ingestCapture() stores the ZMap scanner with its tool tag and the rules it matched with', async () => {
    const { record } = await ingestCapture(store, 'tokyo', writeTemp(dir, 'scan.pcap', pcapOf(CURRENT_FRAMES)), {
      geo,
    });
    // Evidence of every probing source; the ZMap scanner's piece holds its probes, tool matches, addresses and services.
    const evidence = await rows(`SELECT * FROM scanner_evidence WHERE src = ${parseIpv4(SCANNER.src)}`);
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({
      src: parseIpv4(SCANNER.src),
      first_sec: SCANNER.firstSec,
      last_sec: SCANNER.lastSec,
      packets: 16,
      zmap_packets: 16,
      masscan_packets: 0,
      mirai_packets: 0,
      nmap_packets: 0,
      window_start: SCANNER.windowStart,
      window_end: SCANNER.windowStart + 86_400,
      country: 0x434e,
      services: `${serviceKey(6, 80)}:8 ${serviceKey(6, 443)}:8`,
    });
    const addresses = new DistinctCounter();
    addresses.mergeText(String(evidence[0]!['addresses']));
    expect([addresses.size, addresses.exact]).toEqual([8, true]);
    const summaries = deriveScanners(await evidenceRows(), DEFAULT_SCAN_THRESHOLDS).sources;
    expect(summaries.map((s) => [s.source, s.tools, s.addresses, s.services])).toEqual([[SCANNER.src, ['zmap'], 8, 2]]);
    const [run] = await rows('SELECT * FROM detection_runs');
    const setup = await loadDetectionSetup();
    expect(run).toMatchObject({
      ingest_id: record.id,
      signatures: 1,
      rules_loaded: setup.signatures!.rules.length,
      rules_skipped: 0,
      rules_sha256: setup.signatures!.rulesSha256,
      monitored_addresses: 8,
      alerts: 10,
      signature_packets: 10,
      backscatter_packets: 128,
      attacks: 0,
      scanners: 0,
    });
    expect(JSON.parse(String(run!['rule_files']))).toEqual([
      { file: 'teiten-darknet.rules', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), rules: 36, skipped: 0 },
    ]);
    expect(JSON.parse(String(run!['settings']))).toEqual({
      scanners: expect.objectContaining({ windowSec: 86_400, minAddresses: 10 }),
    });
  });

  it('ingestCapture() with detection null stores no detection rows, and without signatures no signature rows', async () => {
    const file = writeTemp(dir, 'off.pcap', pcapOf(CURRENT_FRAMES));
    const off = await ingestCapture(store, 'tokyo', file, { geo, detection: null });
    expect(off.detection).toBeNull();
    expect(await rows('SELECT COUNT(*) AS n FROM detection_runs')).toEqual([{ n: 0 }]);
    await store.deleteIngest(off.record.id);
    const noSig = await ingestCapture(store, 'tokyo', file, {
      geo,
      detection: await loadDetectionSetup({ signatures: false }),
    });
    expect(noSig.detection).toMatchObject({ alerts: 0, backscatterPackets: 128 });
    expect(await rows('SELECT COUNT(*) AS n FROM signature_day')).toEqual([{ n: 0 }]);
    expect(await rows('SELECT signatures, rule_files, rules_loaded FROM detection_runs')).toEqual([
      { signatures: 0, rule_files: '[]', rules_loaded: 0 },
    ]);
  });

  it('ingestCapture() leaves no detection rows behind when the capture fails', async () => {
    const bytes = pcapOf(CURRENT_FRAMES);
    const cut = writeTemp(dir, 'cut.pcap', bytes.subarray(0, bytes.length - 7));
    await expect(ingestCapture(store, 'tokyo', cut, { geo })).rejects.toMatchObject({ code: 'TEITEN_INGEST_FAILED' });
    for (const view of [
      'signature_day',
      'signature_source_day',
      'signature_evidence',
      'signature_rules',
      'backscatter_day',
      'backscatter_victim_day',
      'backscatter_evidence',
      'scanner_evidence',
      'detection_runs',
    ]) {
      expect(await rows(`SELECT COUNT(*) AS n FROM ${view}`)).toEqual([{ n: 0 }]);
    }
  });

  it('loadDetectionSetup() adds rule files with their hashes and refuses a rule syntax error naming file and line', async () => {
    const extra = writeTemp(
      dir,
      'extra.rules',
      Buffer.from(
        'alert udp any any -> any 6881 (msg:"TEST DHT port"; sid:1000001; rev:2; classtype:policy-violation;)\n',
      ),
    );
    const setup = await loadDetectionSetup({ ruleFiles: [extra], bundledRules: false });
    expect(setup.signatures!.ruleFiles).toEqual([
      { file: extra, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), rules: 1, skipped: 0 },
    ]);
    expect(setup.signatures!.rules.map((r) => r.sid)).toEqual([1_000_001]);
    const bad = writeTemp(
      dir,
      'bad.rules',
      Buffer.from('alert udp any any -> any 53 (msg:"ok"; sid:1;)\nalert udp any any -> (msg:"broken"; sid:2;)\n'),
    );
    const error = await loadDetectionSetup({ ruleFiles: [bad] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DetectionSetupError);
    expect(error).toMatchObject({ code: 'TEITEN_DETECTION_RULES', file: bad, line: 2 });
    await expect(loadDetectionSetup({ bundledRules: false })).rejects.toThrow(/no rule file/);
    expect(BUNDLED_RULES_PATH).toMatch(/teiten-darknet\.rules$/);
  });
});
