/**
 * @module
 * The worker thread of `decode-thread.ts`: reads, hashes, decodes and
 * enriches one capture file on this thread, copying each batch into a free
 * shared slot and telling the ingest thread, with the batch's signature
 * matches when it was given rules; a slot number coming back means that
 * slot is free again.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { geoFromTransfer } from '../classify/index.js';
import { errorData, type DecodeWorkerData, type WorkerMessage } from './decode-thread.js';
import { openEnrichedSource, type EnrichedSource } from './enriched-source.js';
import { fillSlot, slotBatch } from './shared-batch.js';
import type { MatchColumns, ThreadMatcher } from './thread-rules.js';

const port = parentPort!;
const data = workerData as DecodeWorkerData;
const targets = data.slots.map(slotBatch);
const free: number[] = data.slots.map((_, i) => i);
let wake: (() => void) | undefined;

port.on('message', (slot: number) => {
  free.push(slot);
  wake?.();
  wake = undefined;
});

async function takeSlot(): Promise<number> {
  while (free.length === 0) await new Promise<void>((resolve) => (wake = resolve));
  return free.shift()!;
}

const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

let source: EnrichedSource | undefined;
try {
  const geo = data.geo === null ? null : geoFromTransfer(data.geo);
  const rules = data.rules;
  let matcher: ThreadMatcher | null = null;
  source = await openEnrichedSource(data.path, {
    name: data.name,
    geo,
    capacity: data.capacity,
    thread: false,
    keepTruncated: data.keepTruncated,
  });
  const opened = source;
  await opened.run({
    onBatch: async (enriched) => {
      const matches: MatchColumns | null = matcher === null ? null : matcher.match(enriched.batch);
      const slot = await takeSlot();
      const filled = fillSlot(targets[slot]!, slot, enriched);
      post({ type: 'batch', filled, matches }, matches === null ? [] : [matches.packet.buffer, matches.rule.buffer]);
      // The rules load once the first batch is on its way: their modules, parsing and the first
      // matching held it back ~70 ms. The ingest thread matches the batches sent without matches.
      if (matcher === null && rules !== null)
        matcher = await (await import('./thread-rules.js')).ThreadMatcher.load(rules);
    },
    onProgress: (p) =>
      post({ type: 'progress', sourceBytes: p.sourceBytes, packets: p.packets, bytesRead: opened.bytesRead }),
  });
  post({ type: 'done', digest: opened.digest(), bytesRead: opened.bytesRead, truncation: opened.truncation });
} catch (error) {
  post({ type: 'error', error: errorData(error), bytesRead: source?.bytesRead ?? 0 });
} finally {
  source?.close();
  port.close();
}
