/**
 * @module
 * Progress of long commands (`teiten ingest`) on stderr: percent of bytes
 * read, packets and packets per second, and the commit once reading ends.
 * On a terminal, one bar redrawn at most ten times a second; otherwise (a
 * log, a pipe, CI) a plain line every ten seconds and when a phase starts,
 * so a long run is never silent. `--json` turns both off.
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
  /** Reading, or writing out and committing (default reading). */
  phase?: 'read' | 'commit';
}

/** Seconds between lines when stderr is not a terminal (`TEITEN_PROGRESS_SECONDS` overrides, for tests). */
const LOG_EVERY_SECONDS = 10;

export class ProgressBar {
  private readonly out: WriteStream;
  /** Terminal: redraw one line; else: append lines at `everyMs`. */
  private readonly terminal: boolean;
  private readonly everyMs: number;
  private lastDraw = 0;
  private startedAt = performance.now();
  private label = '';
  private phase = 'read';
  private drawn = false;

  constructor(out: WriteStream, options: { terminal: boolean; everySeconds?: number }) {
    this.out = out;
    this.terminal = options.terminal;
    this.everyMs = options.terminal ? REDRAW_MS : (options.everySeconds ?? LOG_EVERY_SECONDS) * MS_PER_SECOND;
  }

  /**
   * On a terminal, redraws when due and at once for a new label or phase.
   * Off one, writes a line every `everySeconds` of a file's work, and when a
   * phase starts in a run already that long: short runs stay quiet.
   */
  update(state: ProgressState): void {
    const now = performance.now();
    const phase = state.phase ?? 'read';
    const fresh = state.label !== this.label;
    if (fresh) {
      this.label = state.label;
      this.startedAt = now;
      if (!this.terminal) this.lastDraw = now;
    }
    const phaseChanged = phase !== this.phase;
    this.phase = phase;
    const due = now - this.lastDraw >= this.everyMs;
    const draw = this.terminal
      ? fresh || phaseChanged || due
      : due || (phaseChanged && now - this.startedAt >= this.everyMs);
    if (!draw) return;
    this.lastDraw = now;
    if (this.terminal) {
      this.out.write(`\r${this.line(state, now)}\x1b[K`);
      this.drawn = true;
    } else {
      this.out.write(`teiten: ${this.line(state, now)}, ${((now - this.startedAt) / MS_PER_SECOND).toFixed(0)} s\n`);
    }
  }

  /** Clears the bar's line, so the next output starts clean (nothing to clear in log lines). */
  clear(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }

  private line(state: ProgressState, now: number): string {
    const seconds = Math.max((now - this.startedAt) / MS_PER_SECOND, 1e-3);
    const rate = state.packets / seconds;
    const share = state.totalBytes ? Math.min(1, state.bytesRead / state.totalBytes) : undefined;
    const bar =
      share === undefined
        ? ''
        : `[${'#'.repeat(Math.round(share * BAR_WIDTH)).padEnd(BAR_WIDTH, '-')}] ${(share * PERCENT).toFixed(0).padStart(3)}% `;
    const committing = state.phase === 'commit' ? ' — writing and committing' : '';
    const stats = `${bar}${state.packets.toLocaleString('en')} pkts ${formatRate(rate)}${committing}`;
    // A log line keeps the whole name; a bar must fit the terminal's line.
    if (!this.terminal) return `${state.label} ${stats}`;
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

/** Progress on stderr when `enabled`: a bar on a terminal, periodic lines otherwise. */
export function progressBar(enabled: boolean): ProgressBar | undefined {
  if (!enabled) return undefined;
  const err = process.stderr as WriteStream;
  const every = Number(process.env['TEITEN_PROGRESS_SECONDS']);
  return new ProgressBar(err, {
    terminal: err.isTTY === true,
    ...(Number.isFinite(every) && every >= 0 ? { everySeconds: every } : {}),
  });
}
