import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MmdbWriter, type MmdbValue } from '../../src/classify/index.js';
import { openStore } from '../../src/store/index.js';
import {
  pcapOf,
  tempDir,
  testGeo,
  trafficRows,
  writeTemp,
  type TestFrame,
} from '../../src/ingest/testdata/captures.js';
import { FRAMES, TOKYO_TRAFFIC } from '../../src/ingest/testdata/scenario.js';
import { besidesStaleGeo, runCli } from './run-cli.js';

let dir = '';
let geoArgs: string[] = [];

beforeAll(async () => {
  dir = tempDir('teiten-cli-ingest-');
  const { countryPath, asnPath } = await testGeo(dir);
  geoArgs = ['--geoip', countryPath, '--asn-db', asnPath];
});

async function newStore(name: string): Promise<string> {
  const db = join(dir, name);
  const added = await runCli([
    'sensors',
    'add',
    'tokyo',
    '--from',
    '2000-01-01T00:00:00Z',
    '--address',
    '192.0.2.0/24',
    '--address',
    '2001:db8:1::/64',
    '--db',
    db,
  ]);
  expect(added).toMatchObject({ code: 0, stderr: '' });
  return db;
}

describe('teiten ingest', () => {
  it('off a terminal, ingest logs progress lines to stderr, through the commit', async () => {
    const db = await newStore('progress.duckdb');
    const file = writeTemp(dir, 'progress.pcap', pcapOf(FRAMES));
    process.env['TEITEN_PROGRESS_SECONDS'] = '0';
    try {
      const result = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, file]);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        new RegExp(`^teiten: .*progress\\.pcap .*100% 10 pkts .* — writing and committing, \\d+ s$`, 'm'),
      );
    } finally {
      delete process.env['TEITEN_PROGRESS_SECONDS'];
    }
  });

  it("refuses a capture whose packets are not the sensor's, naming where they go; --allow-empty stores it", async () => {
    const db = await newStore('foreign.duckdb');
    expect(
      (
        await runCli([
          'sensors',
          'add',
          'kobe',
          '--from',
          '2000-01-01T00:00:00Z',
          '--address',
          '203.0.113.0/29',
          '--db',
          db,
        ])
      ).code,
    ).toBe(0);
    // Five packets to 192.0.2.1, three to 192.0.2.2, two over IPv6: the counts the message must name.
    const udp = (dst: string, version: 4 | 6 = 4): TestFrame => ({
      sec: 1_275_400_000,
      spec: {
        ip: { version, src: version === 4 ? '1.0.16.1' : '2001:db8:ff00::1', dst },
        l4: { kind: 'udp', srcPort: 1025, dstPort: 53 },
      },
    });
    const frames = [
      ...Array.from({ length: 5 }, () => udp('192.0.2.1')),
      ...Array.from({ length: 3 }, () => udp('192.0.2.2')),
      udp('2001:db8:1::1', 6),
      udp('2001:db8:1::2', 6),
    ];
    const file = writeTemp(dir, 'foreign.pcap', pcapOf(frames));
    const refused = await runCli(['ingest', '--db', db, '--sensor', 'kobe', ...geoArgs, file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `Cannot ingest ${file}, nothing of it was stored: it counted 0 of 10 packets; ` +
        '10 go to addresses not of sensor kobe (203.0.113.0/29), most to 192.0.2.1 (5), 192.0.2.2 (3), non-IPv4 (2)',
    );
    expect(besidesStaleGeo(refused.stderr)).toMatch(
      /or pass --allow-empty to store it as it is \[TEITEN_INGEST_NOT_THE_SENSORS\]\n$/,
    );
    expect(JSON.parse((await runCli(['ingests', '--db', db, '--json'])).stdout)).toEqual([]);
    const empty = writeTemp(dir, 'empty.pcap', pcapOf([]));
    const none = await runCli(['ingest', '--db', db, '--sensor', 'kobe', ...geoArgs, '--json', empty]);
    expect(JSON.parse(none.stdout)[0]).toMatchObject({ ok: false, error: { code: 'TEITEN_INGEST_NOT_THE_SENSORS' } });
    expect(JSON.parse(none.stdout)[0].error.message).toMatch(/it holds no packets/);
    const kept = await runCli([
      'ingest',
      '--db',
      db,
      '--sensor',
      'kobe',
      ...geoArgs,
      '--allow-empty',
      '--json',
      file,
      empty,
    ]);
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout).map((r: { packetsCounted: number }) => r.packetsCounted)).toEqual([0, 0]);
  });

  it('ingest of a directory says so once, with the capture source code', async () => {
    const db = await newStore('dir.duckdb');
    const result = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, dir]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `teiten: Cannot ingest ${dir}, nothing of it was stored: Cannot read capture ${dir}: it is a directory ` +
        `(EISDIR; name the capture files in it) (at byte 0 of ${lines[0]!.match(/of (\d+)\)/)![1]}) [TEITEN_CAPTURE_SOURCE]`,
    );
    expect(result.stderr.match(/Cannot read capture/g)).toHaveLength(1);
  });

  it('ingest --json reports each file, keeps the good ones and exits 1 when one failed', async () => {
    const db = await newStore('json.duckdb');
    const bytes = pcapOf(FRAMES);
    const good = writeTemp(dir, 'good.pcap', bytes);
    const cut = writeTemp(dir, 'cut.pcap', bytes.subarray(0, bytes.length - 10));
    const copy = writeTemp(dir, 'copy.pcap', bytes);
    const result = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, '--json', good, cut, copy]);
    expect(result.code).toBe(1);
    expect(besidesStaleGeo(result.stderr)).toBe('');
    const [ok, broken, duplicate] = JSON.parse(result.stdout);
    expect(ok).toMatchObject({
      file: good,
      ok: true,
      packetsRead: 10,
      packetsCounted: 7,
      packetsExcluded: 3,
      excludedOther: 3,
      excludedNotObserving: 0,
      packetsMalformed: 1,
      duplicates: 0,
      firstTime: '2010-06-01T14:59:59Z',
      lastTime: '2010-06-01T15:41:00Z',
      error: null,
    });
    // The cause's own code, not the generic TEITEN_INGEST_FAILED.
    expect(broken).toMatchObject({ file: cut, ok: false, error: { code: 'TEITEN_CAPTURE_TRUNCATED' } });
    expect(broken.error.message).toMatch(/cut\.pcap, nothing of it was stored: .* at byte \d+/);
    expect(duplicate).toMatchObject({ ok: false, error: { code: 'TEITEN_STORE_DUPLICATE_INGEST' } });
    expect(duplicate.error.message).toMatch(/copy\.pcap.*ingest \d+ \(.*good\.pcap\)/);
    const store = await openStore(db);
    try {
      expect(await trafficRows(store)).toEqual(TOKYO_TRAFFIC);
      const [ingest] = await store.listIngests();
      expect(ingest).toMatchObject({ geoipDb: 'country.mmdb (test countries)', asnDb: 'asn.mmdb (test ASNs)' });
    } finally {
      await store.close();
    }
  });

  it('ingest prints a text summary per file and no progress bar off a terminal', async () => {
    const db = await newStore('text.duckdb');
    const file = writeTemp(dir, 'text.pcap', pcapOf(FRAMES));
    const result = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, file]);
    expect(result.code).toBe(0);
    expect(besidesStaleGeo(result.stderr)).toBe('');
    expect(result.stdout).toMatch(/text\.pcap: ingest \d+ in [\d.]+ s/);
    expect(result.stdout).toMatch(
      /read 10, counted 7, excluded 3 \(3 other address or not IP, 0 outside operating time\), malformed 1, duplicates 0/,
    );
    expect(result.stdout).toMatch(/time range 2010-06-01T14:59:59Z \.\. 2010-06-01T15:41:00Z/);
  });

  it('ingest ends by warning once on stderr about each GeoIP database built more than 90 days ago', async () => {
    const db = await newStore('stale.duckdb');
    const bytes = pcapOf(FRAMES);
    const files = [writeTemp(dir, 'stale-a.pcap', bytes), writeTemp(dir, 'stale-b.pcap', bytes)];
    const daysSince = (iso: string): number => Math.floor((Date.now() - Date.parse(iso)) / 86_400_000);
    const before = [daysSince('2010-05-01T00:00:00Z'), daysSince('2010-05-02T00:00:00Z')];
    // Two files in one call (the second a refused copy): still one warning per database, after the files' lines.
    const result = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, ...files]);
    const after = [daysSince('2010-05-01T00:00:00Z'), daysSince('2010-05-02T00:00:00Z')];
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/stale-b\.pcap.*TEITEN_STORE_DUPLICATE_INGEST/);
    const country =
      /^teiten: warning: the GeoIP country database country\.mmdb was built 2010-05-01, (\d+) days ago \(more than 90\): countries of sources may be out of date; give a newer database with --geoip FILE$/.exec(
        lines[1]!,
      );
    const asn =
      /^teiten: warning: the GeoIP ASN database asn\.mmdb was built 2010-05-02, (\d+) days ago \(more than 90\): ASNs of sources may be out of date; give a newer database with --asn-db FILE$/.exec(
        lines[2]!,
      );
    expect([Number(country?.[1]), Number(asn?.[1])]).toEqual(Number(country?.[1]) === before[0] ? before : after);
    expect(besidesStaleGeo(result.stderr)).toBe(`${lines[0]}\n`);

    // Databases built today draw no warning.
    const fresh = (name: string, value: MmdbValue): string => {
      const w = new MmdbWriter({ databaseType: 'teiten-test', buildEpoch: new Date() });
      w.insert('1.0.16.0/20', value);
      return writeTemp(dir, name, w.toBuffer());
    };
    const freshArgs = [
      '--geoip',
      fresh('fresh-country.mmdb', { country_code: 'JP' }),
      '--asn-db',
      fresh('fresh-asn.mmdb', { autonomous_system_number: 2519 }),
    ];
    const quiet = await runCli([
      'ingest',
      '--db',
      await newStore('fresh.duckdb'),
      '--sensor',
      'tokyo',
      ...freshArgs,
      files[0]!,
    ]);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
  });

  it('ingest reads a capture from stdin with -', async () => {
    const db = await newStore('stdin.duckdb');
    const bytes = pcapOf(FRAMES);
    const result = await runCli(['ingest', '--db', db, '--sensor', 'tokyo', ...geoArgs, '--json', '-'], {
      stdin: bytes,
    });
    expect(result.code).toBe(0);
    const [report] = JSON.parse(result.stdout);
    expect(report).toMatchObject({ file: '-', packetsCounted: 7 });
    const { createHash } = await import('node:crypto');
    expect(report.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('ingest refuses an unknown sensor and missing arguments with exit code 2', async () => {
    const db = await newStore('usage.duckdb');
    const file = writeTemp(dir, 'usage.pcap', readFileSync(writeTemp(dir, 'u.pcap', pcapOf(FRAMES))));
    const unknown = await runCli(['ingest', '--db', db, '--sensor', 'osaka', ...geoArgs, file]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no sensor named 'osaka'/);
    expect((await runCli(['ingest', '--db', db, file])).code).toBe(2);
    expect((await runCli(['ingest', '--db', db, '--sensor', 'tokyo'])).code).toBe(2);
    expect((await runCli(['ingest', '--db', db, '--store', db, '--sensor', 'tokyo', file])).stderr).toMatch(
      /--db or --store, not both/,
    );
  });
});
