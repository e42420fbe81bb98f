/**
 * Decoding on a worker thread changes nothing but the speed: the same
 * captures ingested with and without the decode thread give the same rows,
 * ingest records and detection, also with a batch per few packets (every
 * shared slot reused many times). Shared slots copy every column.
 */

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrichedBatch, enrichBatch, type EnrichedBatch } from '../classify/enrich.js';
import { PacketBatch } from '../decode/batch.js';
import { decodeCapture } from '../decode/decode-capture.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { loadDetectionSetup } from './detect-setup.js';
import { ingestCapture, type IngestResult } from './ingest-capture.js';
import { createSharedSlot, fillSlot, showFilled, slotBatch } from '../pipeline/shared-batch.js';
import { pcapOf, pcapngOf, sourceRows, tempDir, testGeo, trafficRows, writeTemp } from './testdata/captures.js';
import { FRAMES, TIME_ZONE, TOKYO } from './testdata/scenario.js';

const REAL_CAPTURE = join(import.meta.dirname, '../../../shared/captures/amp.TCP.reflection.SYNACK.pcap');

describe('ingest with and without the decode thread', () => {
  const stores: AnalyticsStore[] = [];
  const results: IngestResult[][] = [];
  let files: string[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    const { geo } = await testGeo(dir);
    if (!existsSync(REAL_CAPTURE))
      console.log(`decode-thread parity without ${REAL_CAPTURE}: ../shared/captures is absent`);
    files = [
      writeTemp(dir, 'scenario.pcap', pcapOf(FRAMES)),
      writeTemp(dir, 'scenario.pcapng', pcapngOf([...FRAMES].reverse())),
      ...(existsSync(REAL_CAPTURE) ? [REAL_CAPTURE] : []),
    ];
    for (const decodeThread of [false, true]) {
      const store = await openStore(':memory:', { timeZone: TIME_ZONE });
      await store.addSensor({ ...TOKYO, addresses: [...TOKYO.addresses, '10.10.10.10'] });
      stores.push(store);
      const list: IngestResult[] = [];
      for (const file of files)
        list.push(await ingestCapture(store, 'tokyo', file, { geo, decodeThread, batchPackets: 3 }));
      results.push(list);
    }
  }, 120_000);

  afterAll(async () => {
    for (const store of stores) await store.close();
  });

  it('stores the same rollups and detection rows', async () => {
    const [local, threaded] = stores;
    expect((await trafficRows(local!)).length).toBeGreaterThan(5);
    expect(await trafficRows(threaded!)).toEqual(await trafficRows(local!));
    expect(await sourceRows(threaded!)).toEqual(await sourceRows(local!));
    // Signatures are matched on the decode thread there (`thread-rules.ts`), here on the ingest's.
    const [evidence] = await local!.query({ sql: 'SELECT COUNT(*) AS n FROM signature_evidence', params: [] });
    expect(Number(evidence!['n'])).toBeGreaterThan(0);
    for (const sql of [
      'SELECT category, SUM(packets) AS p FROM signature_day GROUP BY category ORDER BY category',
      'SELECT category, src, country, SUM(packets) AS p FROM signature_source_day GROUP BY ALL ORDER BY ALL',
      `SELECT sid, src, dst, us, covered, matches, later, packets FROM signature_evidence ORDER BY ALL`,
      'SELECT victim_service, country, response, SUM(packets) AS p FROM backscatter_day GROUP BY ALL ORDER BY ALL',
    ])
      expect(await threaded!.query({ sql, params: [] })).toEqual(await local!.query({ sql, params: [] }));
  });

  it('records the same counts, hashes and duplicates', () => {
    const strip = (r: IngestResult): unknown => {
      const { id: _id, startedSec: _s, ingestedSec: _i, ...record } = r.record;
      const { elapsedSec: _e, record: _r, ...rest } = r;
      return { record, ...rest };
    };
    const [local, threaded] = results;
    expect(threaded!.map(strip)).toEqual(local!.map(strip));
    expect(local![1]).toMatchObject({ duplicatesOfStored: 7 });
    expect(local![0]!.record.packetsRead).toBe(FRAMES.length);
  });
});

describe('signature rules on the decode thread', () => {
  const rule = (rev: number): string =>
    `alert tcp any any -> $HOME_NET 445 (msg:"probe 445"; flags:S; sid:9100001; rev:${rev};)\n`;

  it('a rule file that changed after the ingest loaded it fails the ingest, naming the rule, and stores nothing', async () => {
    const dir = tempDir();
    const rules = writeTemp(dir, 'local.rules', Buffer.from(rule(1)));
    const detection = await loadDetectionSetup({ ruleFiles: [rules] });
    // The decode thread reads the file again once its first batch is sent (`thread-rules.ts`).
    writeFileSync(rules, rule(2));
    const store = await openStore(':memory:', { timeZone: TIME_ZONE });
    try {
      await store.addSensor(TOKYO);
      const file = writeTemp(dir, 'scenario.pcap', pcapOf(FRAMES));
      const options = { geo: null, decodeThread: true, batchPackets: 3, detection };
      const failed = await ingestCapture(store, 'tokyo', file, options).catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: 'TEITEN_INGEST_FAILED', causeCode: 'TEITEN_RULES_CHANGED' });
      expect((failed as Error).message).toContain('gid:sid:rev 1:9100001:2 on the decode thread');
      expect(await store.query({ sql: 'SELECT COUNT(*) AS n FROM ingests', params: [] })).toEqual([{ n: 0 }]);
      // Loaded again, the rules agree and the same capture goes in.
      const again = { ...options, detection: await loadDetectionSetup({ ruleFiles: [rules] }) };
      expect((await ingestCapture(store, 'tokyo', file, again)).detection!.alerts).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });
});

/** Every field of a batch, columns cut to the packets (and frame bytes) in use. */
function used(b: PacketBatch): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(b).map(([k, v]) => {
      if (!ArrayBuffer.isView(v)) return [k, v];
      const column = v as Uint8Array;
      return [k, Array.from(column.subarray(0, k === 'data' ? b.dataUsed : (column.length / b.capacity) * b.length))];
    }),
  );
}

function enrichedColumns(e: EnrichedBatch): Exclude<keyof EnrichedBatch, 'batch'>[] {
  return Object.keys(e)
    .filter((k) => k !== 'batch')
    .sort() as Exclude<keyof EnrichedBatch, 'batch'>[];
}

describe('shared slots', () => {
  it('carry every column of a batch, and frame bytes beyond their own size', async () => {
    const dir = tempDir();
    const slot = createSharedSlot(64, 16);
    let checked = 0;
    await decodeCapture(writeTemp(dir, 'slot.pcap', pcapOf(FRAMES)), {
      capacity: 64,
      // Checked inside the handler: the decoder reuses its batch afterwards.
      onBatch: (batch) => {
        const source = enrichBatch(batch, { geo: null });
        const filled = fillSlot(slotBatch(slot), 2, source);
        expect(filled).toMatchObject({ slot: 2, length: batch.length, dataUsed: batch.dataUsed });
        expect(batch.dataUsed).toBeGreaterThan(16);
        expect(filled.data?.buffer).toBeInstanceOf(SharedArrayBuffer);
        // The reader's view of the same memory, as another thread would make it.
        const view = showFilled(slotBatch(slot), filled);
        expect(used(view.batch)).toEqual(used(batch));
        for (const name of enrichedColumns(source)) {
          expect(Array.from(view[name].subarray(0, batch.length))).toEqual(
            Array.from(source[name].subarray(0, batch.length)),
          );
        }
        checked += batch.length;
      },
    });
    expect(checked).toBe(FRAMES.length);
  });

  it('hold the enrichment columns with the types enrichment makes, in shared memory', () => {
    const made = createEnrichedBatch(new PacketBatch(4, 16));
    const view = slotBatch(createSharedSlot(4, 16));
    expect(enrichedColumns(view)).toEqual(enrichedColumns(made));
    for (const name of enrichedColumns(made)) {
      expect(view[name].constructor).toBe(made[name].constructor);
      expect(view[name].length).toBe(made[name].length);
      expect(view[name].buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });
});
