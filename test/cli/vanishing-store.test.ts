/**
 * A ClickHouse store that vanishes mid-ingest (`CLICKHOUSE_URL` needed): the
 * ingest reaches the server through a TCP relay owned by the test, which is
 * shut (listener closed, connections cut) once the ingest's first rows are in.
 * The ingest fails naming the file and the byte offset, nothing of the capture
 * is counted, and once the relay is back the same command ingests it whole.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { clickHouseTestDb, type ClickHouseTestDb } from '../../src/store/testdata/clickhouse-test-db.js';
import { tempDir, testGeo, writeTemp } from '../../src/ingest/testdata/captures.js';
import { bulkCapture } from '../../src/ingest/testdata/bulk-capture.js';
import { runCli, startCli } from './run-cli.js';

const PACKETS = 400_000;
const PER_SECOND = 20;
const START_SEC = Date.parse('2010-06-01T00:00:00Z') / 1000;
const TIMEOUT_MS = 120_000;
const POLL_MS = 100;

const url = process.env['CLICKHOUSE_URL'];
const needs = url === undefined || url === '';
if (needs) console.log('vanishing-store test skipped: set CLICKHOUSE_URL (e.g. http://127.0.0.1:8123) to a server');

/** A TCP relay to the ClickHouse server that can be cut and brought back on the same port. */
class Relay {
  port = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly upstream: URL;

  constructor(upstream: string) {
    this.upstream = new URL(upstream);
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      const up = connect(Number(this.upstream.port || '8123'), this.upstream.hostname);
      for (const s of [client, up]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(up).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Stops listening and cuts every open connection. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe.skipIf(needs)('teiten ingest when the ClickHouse store vanishes mid-ingest', () => {
  let db: ClickHouseTestDb;
  let relay: Relay;
  let capture = '';
  let geoArgs: string[] = [];

  beforeAll(async () => {
    const dir = tempDir('teiten-cli-vanish-');
    const { countryPath, asnPath } = await testGeo(dir);
    geoArgs = ['--geoip', countryPath, '--asn-db', asnPath, '--no-signatures'];
    capture = writeTemp(
      dir,
      'long.pcap',
      bulkCapture({ packets: PACKETS, startSec: START_SEC, perSecond: PER_SECOND, format: 'pcap' }),
    );
    db = clickHouseTestDb(url!, 'vanish');
    relay = new Relay(url!);
    await relay.start();
  });
  afterAll(async () => {
    await relay.cut();
    await db.drop();
  });

  async function direct<T>(fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
    const store = await openStore(db.storeUrl);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }
  const one = (sql: string): Promise<number> =>
    direct(async (s) => (await s.query<{ n: number }>({ sql, params: [] }))[0]!.n);

  it(
    'ingest fails naming file and offset, counts nothing, and the same command succeeds once the store is back',
    async () => {
      expect(
        await runCli([
          'sensors',
          'add',
          'tokyo',
          '--from',
          '2000-01-01T00:00:00Z',
          '--address',
          '192.0.2.0/24',
          '--store',
          db.storeUrl,
        ]),
      ).toMatchObject({ code: 0 });
      const viaRelay = `clickhouse://127.0.0.1:${relay.port}/${db.database}`;
      const args = ['ingest', '--store', viaRelay, '--sensor', 'tokyo', ...geoArgs, '--json', capture];
      const run = startCli(args);
      while (run.child.exitCode === null && (await one('SELECT COUNT(*) AS n FROM packet_rows')) === 0) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      expect(run.child.exitCode, 'the ingest ended before the store could vanish').toBeNull();
      await relay.cut();
      const failed = await run.result;
      expect(failed.code).toBe(1);
      const [report] = JSON.parse(failed.stdout);
      expect(report).toMatchObject({ ok: false });
      expect(report.error.code).toMatch(/^TEITEN_STORE_/);
      expect(report.error.message).toMatch(
        new RegExp(`^Cannot ingest ${capture}, nothing of it was stored: .*\\(at byte \\d+ of \\d+\\)`),
      );
      // The reason is the lost connection, not only that the writer had failed.
      expect(report.error.message).toMatch(/ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|other side closed|timeout/i);
      expect(await direct((s) => s.listIngests())).toEqual([]);
      expect(await one('SELECT COALESCE(SUM(packets), 0) AS n FROM traffic_hour')).toBe(0);
      expect(await one('SELECT COUNT(*) AS n FROM packets')).toBe(0);
      await relay.start();
      const again = await runCli(args);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)[0]).toMatchObject({ ok: true, packetsCounted: PACKETS });
      expect(await one('SELECT COALESCE(SUM(packets), 0) AS n FROM traffic_hour')).toBe(PACKETS);
    },
    TIMEOUT_MS,
  );
});
