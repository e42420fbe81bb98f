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
import { SignatureAlerts } from '../detect/index.js';
import { errorData, type DecodeWorkerData, type MatchColumns, type WorkerMessage } from './decode-thread.js';
import { openEnrichedSource, type EnrichedSource } from './enriched-source.js';
import { fillSlot, slotBatch } from './shared-batch.js';
import { loadThreadEngine } from './thread-rules.js';

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
  const engine = data.rules === null ? null : await loadThreadEngine(data.rules);
  const alerts = new SignatureAlerts();
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
      let matches: MatchColumns | null = null;
      if (engine !== null) {
        const n = engine.match(enriched.batch, alerts);
        matches = {
          packet: new Uint32Array(alerts.packet.subarray(0, n)),
          rule: new Uint32Array(alerts.rule.subarray(0, n)),
        };
      }
      const slot = await takeSlot();
      const filled = fillSlot(targets[slot]!, slot, enriched);
      post({ type: 'batch', filled, matches }, matches === null ? [] : [matches.packet.buffer, matches.rule.buffer]);
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
