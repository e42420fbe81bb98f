/**
 * A request replayed after the collector restarted is still refused: the
 * nonces of accepted requests are in the store, and a new collector on the
 * same store loads them (DuckDB file, and ClickHouse when `CLICKHOUSE_URL`
 * is set).
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testdata/captures.js';
import { PATHS, signedHeaders, signingKey, type Heartbeat } from '../sensor/index.js';
import { openStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { loadTls } from './certificate.js';
import { startCollector } from './server.js';
import { send } from './testdata/client.js';

const KEY = signingKey('replay-restart-test-secret-0123456789abcdefgh');
const clickHouseUrl = process.env['CLICKHOUSE_URL'];
const BACKENDS: [string, (dir: string) => { target: string; drop: () => Promise<void> }][] = [
  ['duckdb', (dir) => ({ target: join(dir, 'store.duckdb'), drop: async () => undefined })],
  ...(clickHouseUrl
    ? [
        [
          'clickhouse',
          () => {
            const db = clickHouseTestDb(clickHouseUrl, 'replay');
            return { target: db.storeUrl, drop: db.drop };
          },
        ] as [string, (dir: string) => { target: string; drop: () => Promise<void> }],
      ]
    : []),
];

describe.each(BACKENDS)('replays across a collector restart on %s', (_kind, makeBackend) => {
  it('NonceLedger.load() makes a new collector refuse a request the previous one accepted', async () => {
    const dir = tempDir('teiten-replay-');
    const backend = makeBackend(dir);
    try {
      const setup = await openStore(backend.target);
      const sensor = await setup.addSensor({ name: 'kyoto', addresses: ['192.0.2.0/28'] });
      await setup.network.addKey(sensor.id, KEY, Date.now());
      await setup.close();
      const tls = await loadTls({ dataDir: dir });
      const options = {
        store: backend.target,
        storeOptions: { idleCloseMs: 10 },
        host: '127.0.0.1',
        port: 0,
        tls,
        dataDir: dir,
        geo: null,
        detection: null,
      };
      const beat: Heartbeat = {
        sentUs: Date.now() * 1000,
        capture: 'replay',
        spool: { segments: 0, bytes: 0 },
        lastSequence: -1,
        losses: [],
      };
      const body = Buffer.from(JSON.stringify(beat));
      const headers = signedHeaders(KEY, {
        method: 'POST',
        path: PATHS.heartbeat,
        sensor: 'kyoto',
        segmentHeader: '',
        body,
      });

      const first = await startCollector(options);
      expect((await send(first.url, PATHS.heartbeat, headers, body)).status).toBe(200);
      await first.close();

      const second = await startCollector(options);
      try {
        const replayed = await send(second.url, PATHS.heartbeat, headers, body);
        expect([replayed.status, replayed.body['error']]).toEqual([401, 'TEITEN_COLLECTOR_REPLAY']);
        const count = await second.useStore(
          async (store) =>
            (
              await store.query<{ n: number }>({ sql: 'SELECT COUNT(*) AS n FROM collector_heartbeats', params: [] })
            )[0]!.n,
        );
        expect(count).toBe(1);
      } finally {
        await second.close();
      }
    } finally {
      await backend.drop();
    }
  });
});

// A DuckDB file is open in one process at a time: two collectors share only a ClickHouse store.
describe.skipIf(!clickHouseUrl)('replays between two collectors on one ClickHouse store', () => {
  it('NonceLedger.claim() refuses a nonce another collector of the same store accepted', async () => {
    const dir = tempDir('teiten-replay2-');
    const backend = BACKENDS[1]![1](dir);
    try {
      const setup = await openStore(backend.target);
      const sensor = await setup.addSensor({ name: 'nara', addresses: ['192.0.2.0/28'] });
      await setup.network.addKey(sensor.id, KEY, Date.now());
      await setup.close();
      const tls = await loadTls({ dataDir: dir });
      const options = {
        store: backend.target,
        host: '127.0.0.1',
        port: 0,
        tls,
        dataDir: dir,
        geo: null,
        detection: null,
      };
      const beat: Heartbeat = {
        sentUs: Date.now() * 1000,
        capture: 'replay',
        spool: { segments: 0, bytes: 0 },
        lastSequence: -1,
        losses: [],
      };
      const body = Buffer.from(JSON.stringify(beat));
      const headers = signedHeaders(KEY, {
        method: 'POST',
        path: PATHS.heartbeat,
        sensor: 'nara',
        segmentHeader: '',
        body,
      });
      const [a, b] = [await startCollector(options), await startCollector({ ...options, dataDir: join(dir, 'b') })];
      try {
        expect((await send(a.url, PATHS.heartbeat, headers, body)).status).toBe(200);
        const replayed = await send(b.url, PATHS.heartbeat, headers, body);
        expect([replayed.status, replayed.body['error']]).toEqual([401, 'TEITEN_COLLECTOR_REPLAY']);
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await backend.drop();
    }
  });
});
