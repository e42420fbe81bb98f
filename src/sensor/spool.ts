/**
 * @module
 * `Spool`: the agent's durable queue of capture segments, a directory of
 * `seg-SEQUENCE.pcap` files (the exact bytes to upload) each with a
 * `seg-SEQUENCE.json` sidecar (its metadata), plus `state.json` (the next
 * sequence number and how far a replay got) and `losses.json`.
 *
 * A segment is committed when both its files are renamed into place and the
 * directory is fsynced; either one alone is the debris of a crash and is
 * removed when the spool reopens (its packets never left memory, and its
 * sequence number is reused). Files are deleted only after the collector
 * acknowledged them.
 *
 * Full-spool policy (`--spool-max`), live capture: **drop the oldest unsent
 * segments** (never the one being uploaded) until the new one fits, so the
 * spool keeps the most recent traffic; if the new segment alone does not fit,
 * it is the one dropped. Every drop is recorded in the {@link LossLedger}
 * before a file is deleted. A replay instead waits for room: it has nothing
 * to lose by going slower.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { syncDir, TEMP_SUFFIX, writeFileDurable, writeTemp } from './durable-file.js';
import { AgentError, AgentErrorCode } from './errors.js';
import { LossLedger, type DroppedSegment } from './loss-ledger.js';
import { SegmentMeta } from './protocol.js';
import type { SealedSegment } from './segmenter.js';
import { SpoolLock } from './spool-lock.js';

const STATE_FILE = 'state.json';
const SEGMENT_FILE = /^seg-(\d{12})\.(pcap|json)$/;
const SEQUENCE_DIGITS = 12;

const SpoolState = z.object({
  version: z.literal(1),
  nextSequence: z.number().int().nonnegative(),
  /** The replay input (`path:size:mtime`) and the records of it already in committed segments. */
  replay: z.object({ key: z.string(), recordsEnd: z.number().int().nonnegative() }).optional(),
});
type SpoolState = z.infer<typeof SpoolState>;

const Sidecar = z.object({
  meta: SegmentMeta,
  recordsEnd: z.number().int().nonnegative(),
  replayKey: z.string().optional(),
});
type Sidecar = z.infer<typeof Sidecar>;

export interface SpoolEntry {
  meta: SegmentMeta;
  /** File bytes (pcap and sidecar) counted against `--spool-max`. */
  bytes: number;
  pcapPath: string;
}

export interface CommitInfo {
  mode: 'live' | 'replay';
  kernelReceived?: number;
  kernelDropped?: number;
  agentDropped?: number;
  replayKey?: string;
}

export type CommitResult =
  | { status: 'spooled'; entry: SpoolEntry; dropped: DroppedSegment[] }
  | { status: 'dropped'; dropped: DroppedSegment[] };

export function segmentName(sequence: number, ext: 'pcap' | 'json'): string {
  return `seg-${String(sequence).padStart(SEQUENCE_DIGITS, '0')}.${ext}`;
}

export class Spool {
  readonly dir: string;
  readonly maxBytes: number;
  readonly losses: LossLedger;
  readonly #lock: SpoolLock;
  readonly #entries = new Map<number, SpoolEntry>();
  #state: SpoolState;
  #bytes = 0;
  /** The sequences the uploader is sending: never dropped. */
  readonly inFlight = new Set<number>();
  #changed: (() => void)[] = [];

  private constructor(dir: string, maxBytes: number, state: SpoolState, losses: LossLedger, lock: SpoolLock) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.#state = state;
    this.losses = losses;
    this.#lock = lock;
  }

  static async open(dir: string, options: { maxBytes: number }): Promise<Spool> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const lock = await SpoolLock.acquire(dir);
    try {
      const state = await readState(dir);
      const losses = await LossLedger.open(dir);
      const spool = new Spool(dir, options.maxBytes, state, losses, lock);
      await spool.#load();
      return spool;
    } catch (error: unknown) {
      await lock.release();
      throw error;
    }
  }

  /** Spooled segments in sequence order. */
  entries(): SpoolEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.meta.sequence - b.meta.sequence);
  }

  get depth(): { segments: number; bytes: number } {
    return { segments: this.#entries.size, bytes: this.#bytes };
  }

  /** Highest sequence number cut so far, -1 before the first. */
  get lastSequence(): number {
    return this.#state.nextSequence - 1;
  }

  /** Records of replay input `key` already in committed segments (0 for another input). */
  replayedRecords(key: string): number {
    return this.#state.replay?.key === key ? this.#state.replay.recordsEnd : 0;
  }

  /** Resolves at the next commit or removal. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#changed.push(resolve));
  }

  /** Give the segment the next sequence number and store it durably (see the module's full-spool policy). */
  async commit(sealed: SealedSegment, info: CommitInfo): Promise<CommitResult> {
    const sequence = this.#state.nextSequence;
    const meta = SegmentMeta.parse({
      segmentId: createHash('sha256').update(sealed.bytes).digest('hex'),
      sequence,
      firstPacketUs: sealed.firstPacketUs,
      lastPacketUs: sealed.lastPacketUs,
      packets: sealed.packets,
      kernelReceived: info.kernelReceived,
      kernelDropped: info.kernelDropped,
      agentDropped: info.agentDropped ?? 0,
      mode: info.mode,
    });
    const sidecar: Sidecar = { meta, recordsEnd: sealed.recordsEnd, replayKey: info.replayKey };
    const sidecarText = `${JSON.stringify(sidecar)}\n`;
    const size = sealed.bytes.length + Buffer.byteLength(sidecarText);
    if (info.mode === 'replay') {
      while (this.#bytes + size > this.maxBytes && this.#entries.size > 0) await this.changed();
    }
    const dropped = info.mode === 'live' ? await this.#makeRoom(size) : [];
    const next: SpoolState = { version: 1, nextSequence: sequence + 1, replay: this.#state.replay };
    if (info.replayKey !== undefined) next.replay = { key: info.replayKey, recordsEnd: sealed.recordsEnd };
    if (this.#bytes + size > this.maxBytes) {
      const own = {
        sequence,
        packets: meta.packets,
        firstPacketUs: meta.firstPacketUs,
        lastPacketUs: meta.lastPacketUs,
      };
      await this.losses.record([own]);
      await this.#saveState(next);
      this.#notify();
      return { status: 'dropped', dropped: [...dropped, own] };
    }
    const pcapTemp = await writeTemp(this.dir, segmentName(sequence, 'pcap'), sealed.bytes);
    const jsonTemp = await writeTemp(this.dir, segmentName(sequence, 'json'), sidecarText);
    const pcapPath = join(this.dir, segmentName(sequence, 'pcap'));
    await rename(jsonTemp, join(this.dir, segmentName(sequence, 'json')));
    await rename(pcapTemp, pcapPath);
    await syncDir(this.dir);
    await this.#saveState(next);
    const entry: SpoolEntry = { meta, bytes: size, pcapPath };
    this.#entries.set(sequence, entry);
    this.#bytes += size;
    this.#notify();
    return { status: 'spooled', entry, dropped };
  }

  /** The collector acknowledged this segment: delete its files. */
  async remove(sequence: number): Promise<void> {
    const entry = this.#entries.get(sequence);
    if (entry === undefined) return;
    await this.#deleteFiles(sequence);
    this.#entries.delete(sequence);
    this.#bytes -= entry.bytes;
    this.#notify();
  }

  async close(): Promise<void> {
    await this.#lock.release();
  }

  async #makeRoom(size: number): Promise<DroppedSegment[]> {
    const victims: SpoolEntry[] = [];
    let bytes = this.#bytes;
    for (const entry of this.entries()) {
      if (bytes + size <= this.maxBytes) break;
      if (this.inFlight.has(entry.meta.sequence)) continue;
      victims.push(entry);
      bytes -= entry.bytes;
    }
    if (bytes + size > this.maxBytes) return []; // even dropping every other segment would not make room: drop the new one
    const dropped = victims.map(({ meta }) => ({
      sequence: meta.sequence,
      packets: meta.packets,
      firstPacketUs: meta.firstPacketUs,
      lastPacketUs: meta.lastPacketUs,
    }));
    if (dropped.length === 0) return dropped;
    await this.losses.record(dropped);
    for (const victim of victims) await this.remove(victim.meta.sequence);
    return dropped;
  }

  async #deleteFiles(sequence: number): Promise<void> {
    for (const ext of ['pcap', 'json'] as const) {
      await unlink(join(this.dir, segmentName(sequence, ext))).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }

  async #saveState(state: SpoolState): Promise<void> {
    await writeFileDurable(this.dir, STATE_FILE, `${JSON.stringify(state)}\n`);
    this.#state = state;
  }

  #notify(): void {
    const waiting = this.#changed;
    this.#changed = [];
    for (const resolve of waiting) resolve();
  }

  /** Rebuild the index from the directory, clearing crash debris (see the module comment). */
  async #load(): Promise<void> {
    const names = await readdir(this.dir);
    const found = new Map<number, Set<string>>();
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX)) {
        await unlink(join(this.dir, name));
        continue;
      }
      const match = SEGMENT_FILE.exec(name);
      if (match === null) continue;
      const sequence = Number(match[1]);
      const exts = found.get(sequence) ?? new Set<string>();
      exts.add(match[2]!);
      found.set(sequence, exts);
    }
    let next = Math.max(this.#state.nextSequence, this.losses.lastSequence + 1);
    let replay = this.#state.replay;
    for (const [sequence, exts] of [...found].sort((a, b) => a[0] - b[0])) {
      if (exts.size < 2 || this.losses.covers(sequence)) {
        await this.#deleteFiles(sequence);
        continue;
      }
      const loaded = await this.#loadEntry(sequence);
      if (loaded === undefined) continue;
      this.#entries.set(sequence, loaded.entry);
      this.#bytes += loaded.entry.bytes;
      // A segment committed after the last state write (a crash in between) holds the newer replay position.
      const { replayKey, recordsEnd } = loaded.sidecar;
      if (replayKey !== undefined && sequence >= this.#state.nextSequence) replay = { key: replayKey, recordsEnd };
      next = Math.max(next, sequence + 1);
    }
    await syncDir(this.dir);
    if (next !== this.#state.nextSequence || replay !== this.#state.replay) {
      await this.#saveState({ version: 1, nextSequence: next, replay });
    }
  }

  /** One committed segment; a damaged one (bytes not matching its id) is recorded as a loss and deleted. */
  async #loadEntry(sequence: number): Promise<{ entry: SpoolEntry; sidecar: Sidecar } | undefined> {
    const pcapPath = join(this.dir, segmentName(sequence, 'pcap'));
    const sidecarText = await readFile(join(this.dir, segmentName(sequence, 'json')), 'utf8');
    let sidecar: Sidecar | undefined;
    try {
      sidecar = Sidecar.parse(JSON.parse(sidecarText));
    } catch {
      sidecar = undefined;
    }
    const bytes = await readFile(pcapPath);
    const id = createHash('sha256').update(bytes).digest('hex');
    if (sidecar === undefined || sidecar.meta.sequence !== sequence || sidecar.meta.segmentId !== id) {
      const meta = sidecar?.meta;
      await this.losses.record([
        {
          sequence,
          packets: meta?.packets ?? 0,
          firstPacketUs: meta?.firstPacketUs ?? 0,
          lastPacketUs: meta?.lastPacketUs ?? 0,
        },
      ]);
      await this.#deleteFiles(sequence);
      return undefined;
    }
    return { entry: { meta: sidecar.meta, bytes: bytes.length + Buffer.byteLength(sidecarText), pcapPath }, sidecar };
  }
}

async function readState(dir: string): Promise<SpoolState> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, nextSequence: 0 };
    throw new AgentError(AgentErrorCode.SPOOL, `Cannot read the spool state in ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const parsed = SpoolState.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new AgentError(AgentErrorCode.SPOOL, `Cannot use the spool state ${join(dir, STATE_FILE)}: damaged`);
  return parsed.data;
}
