/**
 * @module
 * A one-line progress bar on stderr for long commands (`teiten ingest`):
 * percent of bytes read, packets and packets per second, redrawn at most ten
 * times a second. Only on a terminal; `progressBar()` returns undefined
 * otherwise (pipes, CI logs, `--json`), so output stays clean.
 */
import type { WriteStream } from 'node:tty';

const REDRAW_MS = 100;
const BAR_WIDTH = 24;
const MIN_COLUMNS = 40;
const DEFAULT_COLUMNS = 80;
const PERCENT = 100;
const MS_PER_SECOND = 1000;

export interface ProgressState {
  /** What is being worked on (a file name). */
  label: string;
  bytesRead: number;
  totalBytes: number | undefined;
  packets: number;
}

export class ProgressBar {
  private readonly out: WriteStream;
  private lastDraw = 0;
  private startedAt = performance.now();
  private label = '';
  private drawn = false;

  constructor(out: WriteStream) {
    this.out = out;
  }

  /** Redraws when due; a new label restarts the rate. */
  update(state: ProgressState): void {
    const now = performance.now();
    if (state.label !== this.label) {
      this.label = state.label;
      this.startedAt = now;
    } else if (now - this.lastDraw < REDRAW_MS) {
      return;
    }
    this.lastDraw = now;
    this.out.write(`\r${this.line(state, now)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line, so the next output starts clean. */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  private line(state: ProgressState, now: number): string {
    const seconds = Math.max((now - this.startedAt) / MS_PER_SECOND, 1e-3);
    const rate = state.packets / seconds;
    const share = state.totalBytes ? Math.min(1, state.bytesRead / state.totalBytes) : undefined;
    const bar = share === undefined ? '' : `[${'#'.repeat(Math.round(share * BAR_WIDTH)).padEnd(BAR_WIDTH, '-')}] ${(share * PERCENT).toFixed(0).padStart(3)}% `;
    const stats = `${bar}${state.packets.toLocaleString('en')} pkts ${formatRate(rate)}`;
    const columns = Math.max(MIN_COLUMNS, this.out.columns || DEFAULT_COLUMNS);
    const room = columns - stats.length - 2;
    const label = state.label.length <= room ? state.label : `…${state.label.slice(state.label.length - room + 1)}`;
    return `${label} ${stats}`.slice(0, columns - 1);
  }
}

function formatRate(packetsPerSecond: number): string {
  if (packetsPerSecond >= 1e6) return `${(packetsPerSecond / 1e6).toFixed(2)} Mpkt/s`;
  if (packetsPerSecond >= 1e3) return `${(packetsPerSecond / 1e3).toFixed(1)} kpkt/s`;
  return `${packetsPerSecond.toFixed(0)} pkt/s`;
}

/** A bar on stderr when it is a terminal and `enabled`; otherwise undefined. */
export function progressBar(enabled: boolean): ProgressBar | undefined {
  const err = process.stderr as WriteStream;
  return enabled && err.isTTY === true ? new ProgressBar(err) : undefined;
}
