/**
 * @module
 * `SegmentCommitter`: takes sealed segments from the segmenter (synchronous,
 * inside the record loop) and commits them to the spool one after another
 * (asynchronous, fsync), with the kernel counters of live capture. The input
 * awaits `settle()` after each chunk, so at most one chunk's segments wait in
 * memory: when the disk is slow, tcpdump's pipe fills and the kernel counts
 * the drops.
 */
import type { AgentLog } from './agent-log.js';
import type { SealedSegment } from './segmenter.js';
import type { Spool } from './spool.js';

export interface KernelCounts {
  kernelReceived: number;
  kernelDropped: number;
}

export interface CommitterOptions {
  spool: Spool;
  log: AgentLog;
  mode: 'live' | 'replay';
  /** Identity of the replayed file, for resuming it (absent for stdin). */
  replayKey?: string;
}

const isoUs = (us: number): string => new Date(Math.floor(us / 1000)).toISOString();

export class SegmentCommitter {
  readonly #o: CommitterOptions;
  #chain: Promise<void> = Promise.resolve();
  /** Segments and packets committed in this run (dropped ones included). */
  segments = 0;
  packets = 0;

  constructor(options: CommitterOptions) {
    this.#o = options;
  }

  /** Queue a sealed segment; `kernel` gives the live capture's counters for its span. */
  push(sealed: SealedSegment, kernel?: () => Promise<KernelCounts | undefined>): void {
    this.#chain = this.#chain.then(() => this.#commit(sealed, kernel));
  }

  /** Resolves when every queued segment is in the spool; rejects with the first commit failure. */
  settle(): Promise<void> {
    return this.#chain;
  }

  async #commit(sealed: SealedSegment, kernel?: () => Promise<KernelCounts | undefined>): Promise<void> {
    const { spool, log, mode, replayKey } = this.#o;
    const counts = kernel === undefined ? undefined : await kernel();
    const result = await spool.commit(sealed, { mode, ...counts, ...(replayKey === undefined ? {} : { replayKey }) });
    this.segments++;
    this.packets += sealed.packets;
    if (result.status === 'spooled') {
      const { meta } = result.entry;
      log('segment-cut', {
        seq: meta.sequence,
        packets: meta.packets,
        bytes: sealed.bytes.length,
        reason: sealed.reason,
        from: isoUs(meta.firstPacketUs),
        to: isoUs(meta.lastPacketUs),
        kernelReceived: counts?.kernelReceived,
        kernelDropped: counts?.kernelDropped,
        spool: spool.depth.segments,
      });
    }
    for (const d of result.dropped) {
      log('spool-loss', {
        seq: d.sequence,
        packets: d.packets,
        from: isoUs(d.firstPacketUs),
        to: isoUs(d.lastPacketUs),
        policy: 'drop-oldest-unsent',
        spoolBytes: spool.depth.bytes,
      });
    }
  }
}
