/**
 * @module
 * `LossLedger`: the spool's record of segments it deleted unsent, kept in
 * `losses.json` until a heartbeat that carried them is acknowledged. A loss is
 * written to disk before the segment files are deleted, so a crash can
 * duplicate neither a segment (the spool deletes files whose sequence a loss
 * covers when it reopens) nor lose the record of one.
 *
 * Consecutive drops merge into one entry (one range per outage), except into
 * an entry a heartbeat in flight carries: that one is cleared, exactly as
 * sent, when the heartbeat is acknowledged.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileDurable } from './durable-file.js';
import { AgentError, AgentErrorCode } from './errors.js';
import { SpoolLoss } from './protocol.js';

export const LOSSES_FILE = 'losses.json';
/** The heartbeat schema's cap on losses per heartbeat. */
const MAX_LOSSES_PER_HEARTBEAT = 10_000;

export interface DroppedSegment {
  sequence: number;
  packets: number;
  firstPacketUs: number;
  lastPacketUs: number;
}

export class LossLedger {
  readonly #dir: string;
  #pending: SpoolLoss[];
  /** Entries (by firstSequence) the last unacknowledged heartbeat carried. */
  #sent = new Set<number>();

  private constructor(dir: string, pending: SpoolLoss[]) {
    this.#dir = dir;
    this.#pending = pending;
  }

  static async open(dir: string): Promise<LossLedger> {
    let text: string | undefined;
    try {
      text = await readFile(join(dir, LOSSES_FILE), 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text === undefined) return new LossLedger(dir, []);
    const parsed = z.array(SpoolLoss).safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new AgentError(AgentErrorCode.SPOOL, `Cannot read ${join(dir, LOSSES_FILE)}: not a list of losses`);
    return new LossLedger(dir, parsed.data);
  }

  /** Losses not yet acknowledged, oldest first. */
  get pending(): readonly SpoolLoss[] {
    return this.#pending;
  }

  /** Whether a recorded loss covers this sequence number. */
  covers(sequence: number): boolean {
    return this.#pending.some((l) => sequence >= l.firstSequence && sequence <= l.lastSequence);
  }

  /** Highest sequence a pending loss covers, or -1. */
  get lastSequence(): number {
    return this.#pending.reduce((max, l) => Math.max(max, l.lastSequence), -1);
  }

  /** Record dropped segments durably (call before deleting their files). */
  async record(dropped: readonly DroppedSegment[]): Promise<void> {
    for (const d of dropped) {
      const last = this.#pending[this.#pending.length - 1];
      if (last !== undefined && !this.#sent.has(last.firstSequence) && last.lastSequence === d.sequence - 1) {
        last.lastSequence = d.sequence;
        last.segments++;
        last.packets += d.packets;
        last.fromUs = Math.min(last.fromUs, d.firstPacketUs);
        last.toUs = Math.max(last.toUs, d.lastPacketUs);
      } else {
        this.#pending.push({
          firstSequence: d.sequence,
          lastSequence: d.sequence,
          segments: 1,
          packets: d.packets,
          fromUs: d.firstPacketUs,
          toUs: d.lastPacketUs,
        });
      }
    }
    await this.#save();
  }

  /** Copies of the losses for the next heartbeat; they stay pending until {@link acknowledge}. */
  forHeartbeat(): SpoolLoss[] {
    const batch = this.#pending.slice(0, MAX_LOSSES_PER_HEARTBEAT).map((l) => ({ ...l }));
    this.#sent = new Set(batch.map((l) => l.firstSequence));
    return batch;
  }

  /** The heartbeat carrying `sent` was acknowledged: clear exactly those entries. */
  async acknowledge(sent: readonly SpoolLoss[]): Promise<void> {
    this.#sent = new Set();
    if (sent.length === 0) return;
    const done = new Set(sent.map((l) => `${l.firstSequence}-${l.lastSequence}`));
    this.#pending = this.#pending.filter((l) => !done.has(`${l.firstSequence}-${l.lastSequence}`));
    await this.#save();
  }

  /** The heartbeat failed: its entries may merge again. */
  heartbeatFailed(): void {
    this.#sent = new Set();
  }

  #save(): Promise<void> {
    return writeFileDurable(this.#dir, LOSSES_FILE, `${JSON.stringify(this.#pending)}\n`);
  }
}
