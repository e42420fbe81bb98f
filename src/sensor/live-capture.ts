/**
 * @module
 * `captureLive()`: runs tcpdump, frames its pcap stream, segments it by the
 * clock and commits the segments, restarting tcpdump with backoff when it
 * ends (interface gone or down, killed) until the agent stops. A segmenter
 * lives as long as one tcpdump run: empty segments prove listening, so none
 * is cut while tcpdump is not running.
 */
import { Readable } from 'node:stream';
import { PCAP_FILE_HEADER_SIZE, PCAP_MAGIC, readCapture } from '../capture/index.js';
import type { AgentLog } from './agent-log.js';
import { backoffDelay, sleep } from './backoff.js';
import type { CaptureStatus } from './heartbeat-sender.js';
import type { KernelCounts, SegmentCommitter } from './segment-committer.js';
import { Segmenter } from './segmenter.js';
import { Tcpdump, type KernelStats, type TcpdumpOptions } from './tcpdump.js';

/** A window is sealed this long after its end, so packets still in libpcap's ring block (up to 1 s) and tcpdump's pipe make it in. */
const SEAL_GRACE_US = 2_000_000;
const SEAL_CHECK_MS = 250;
const RESTART_BACKOFF = { baseMs: 1000, maxMs: 30_000 };
const LINKTYPE_OFFSET = 20;
/** The upper bits of the link-type field carry FCS flags. */
const LINKTYPE_MASK = 0x0fff_ffff;

export interface LiveCaptureOptions extends TcpdumpOptions {
  committer: SegmentCommitter;
  segmentSeconds: number;
  segmentBytes: number;
  log: AgentLog;
  /** Updated as the capture starts and stops, for heartbeats. */
  status: CaptureStatus;
}

const nowUs = (): number => Date.now() * 1000;

export async function captureLive(options: LiveCaptureOptions, signal: AbortSignal): Promise<void> {
  const { committer, log, status } = options;
  for (let attempt = 0; !signal.aborted;) {
    const tcpdump = new Tcpdump(options);
    const stop = (): void => tcpdump.stop();
    signal.addEventListener('abort', stop, { once: true });
    let segmenter: Segmenter | undefined;
    let previous: KernelStats = { received: 0, dropped: 0 };
    const kernel = async (): Promise<KernelCounts | undefined> => {
      const now = await tcpdump.stats();
      if (now === undefined) return undefined;
      const counts = {
        kernelReceived: Math.max(0, now.received - previous.received),
        kernelDropped: Math.max(0, now.dropped - previous.dropped),
      };
      previous = now;
      return counts;
    };
    const stream = Readable.from(
      watchHeader(tcpdump.stdout, (linkType) => {
        segmenter = new Segmenter({
          mode: 'live',
          segmentSeconds: options.segmentSeconds,
          segmentBytes: options.segmentBytes,
          linkType,
          startUs: nowUs(),
          onSegment: (sealed) => committer.push(sealed, kernel),
        });
        status.state = 'running';
        delete status.reason;
        attempt = 0;
        log('capture-started', { interface: options.iface, linkType, outbound: options.includeOutbound });
      }),
    );
    const timer = setInterval(() => segmenter?.sealWindow(nowUs() - SEAL_GRACE_US), SEAL_CHECK_MS);
    try {
      await readCapture(stream, {
        name: `tcpdump -i ${options.iface}`,
        onRecord: (record) => segmenter?.push(record),
        onChunk: () => committer.settle(),
      });
    } catch (error: unknown) {
      // An empty stream (tcpdump failed to start) is explained by its exit below.
      if (segmenter !== undefined) log('capture-error', { reason: (error as Error).message });
      tcpdump.stop();
    } finally {
      clearInterval(timer);
      signal.removeEventListener('abort', stop);
    }
    segmenter?.finish(nowUs());
    await committer.settle();
    const exit = await tcpdump.exited;
    status.state = signal.aborted ? 'stopped' : exit.state;
    status.reason = signal.aborted ? 'agent stopped' : exit.reason;
    log('capture-stopped', { state: status.state, reason: status.reason });
    if (signal.aborted) break;
    const delay = backoffDelay(attempt++, RESTART_BACKOFF);
    log('capture-restart', { inMs: Math.round(delay) });
    await sleep(delay, signal);
  }
}

/** Passes tcpdump's stream through, calling `onHeader` with the link type once the pcap file header has arrived. */
async function* watchHeader(source: Readable, onHeader: (linkType: number) => void): AsyncGenerator<Uint8Array> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (head !== undefined) {
      head = Buffer.concat([head, chunk]);
      if (head.length < PCAP_FILE_HEADER_SIZE) continue;
      const magic = head.readUInt32LE(0);
      const le = magic === PCAP_MAGIC.MICRO_LE || magic === PCAP_MAGIC.NANO_LE;
      onHeader((le ? head.readUInt32LE(LINKTYPE_OFFSET) : head.readUInt32BE(LINKTYPE_OFFSET)) & LINKTYPE_MASK);
      const all = head;
      head = undefined;
      yield all;
      continue;
    }
    yield chunk;
  }
  if (head !== undefined && head.length > 0) yield head;
}
