/**
 * @module
 * `Tcpdump`: the live capture process, Debian's `tcpdump -i IF -w - -U`,
 * whose stdout is a pcap stream teiten frames itself. `-Q in` keeps the
 * sensor's own outbound traffic (its uploads, its answers) out of the
 * telescope's data unless asked otherwise; `-U` flushes every packet so a
 * segment boundary does not wait for a full buffer.
 *
 * Kernel counters: on Linux tcpdump prints its pcap statistics to stderr on
 * SIGUSR1 ("N packets captured, M packets received by filter, K packets
 * dropped by kernel", checked with tcpdump 4.99.3 / libpcap 1.10.3) and again
 * at exit, one counter per line. The counters are cumulative since tcpdump
 * started.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { AgentError, AgentErrorCode } from './errors.js';

export const TCPDUMP = process.env.TEITEN_TCPDUMP ?? 'tcpdump';
const STATS_TIMEOUT_MS = 1000;
/**
 * libpcap's TPACKET_V3 ring hands a block of packets to tcpdump when it fills
 * or after tcpdump's 1000 ms buffer timeout, `-U` notwithstanding; packets
 * still in a block when tcpdump gets SIGTERM are never written. So a stop
 * waits that long first (measured: 20 datagrams on lo, all written with a
 * 1 s wait, none with 300 ms).
 */
const STOP_FLUSH_MS = 1500;
const RECEIVED = /(\d+) packets? received by filter/;
const DROPPED = /(\d+) packets? dropped by kernel/;
/** tcpdump/libpcap wording when the interface is missing or down. */
const INTERFACE_DOWN = /no such device|not up|went down|network is down|ENETDOWN|ENODEV|ENXIO/i;

export interface KernelStats {
  received: number;
  dropped: number;
}

export interface TcpdumpExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** `interface-down` when stderr says so, else `stopped`. */
  state: 'stopped' | 'interface-down';
  /** tcpdump's last error line, or how it ended. */
  reason: string;
}

export interface TcpdumpOptions {
  iface: string;
  bpf?: string;
  includeOutbound: boolean;
}

export function tcpdumpArgs(options: TcpdumpOptions): string[] {
  const args = ['-i', options.iface, '-w', '-', '-U', '-n'];
  if (!options.includeOutbound) args.push('-Q', 'in');
  if (options.bpf !== undefined && options.bpf.trim() !== '') args.push(options.bpf);
  return args;
}

export class Tcpdump {
  readonly #child: ChildProcessByStdio<null, Readable, Readable>;
  readonly exited: Promise<TcpdumpExit>;
  #stats: KernelStats | undefined = undefined;
  #partialReceived: number | undefined = undefined;
  #waiting: ((stats: KernelStats | undefined) => void)[] = [];
  #lastError = '';
  #running = true;
  #stopping = false;

  constructor(options: TcpdumpOptions) {
    const child = spawn(TCPDUMP, tcpdumpArgs(options), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    let stderrTail = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      const lines = (stderrTail + text).split('\n');
      stderrTail = lines.pop() ?? '';
      for (const line of lines) this.#onStderr(line.trim());
    });
    this.exited = new Promise((resolve, reject) => {
      child.once('error', (error) => {
        this.#running = false;
        reject(new AgentError(AgentErrorCode.CAPTURE, `Cannot start ${TCPDUMP}: ${error.message}`, { cause: error }));
      });
      child.once('close', (code, signal) => {
        this.#running = false;
        if (stderrTail.trim() !== '') this.#onStderr(stderrTail.trim());
        this.#answer(this.#stats);
        const reason = this.#lastError !== '' ? this.#lastError : `tcpdump exited (${signal ?? `code ${code}`})`;
        resolve({ code, signal, state: INTERFACE_DOWN.test(reason) ? 'interface-down' : 'stopped', reason });
      });
    });
    // Surface spawn failures through `exited` only.
    this.exited.catch(() => undefined);
  }

  get stdout(): Readable {
    return this.#child.stdout;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Cumulative kernel counters, asked for now (SIGUSR1); the last known ones if tcpdump does not answer in time. */
  stats(): Promise<KernelStats | undefined> {
    if (!this.#running) return Promise.resolve(this.#stats);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#answer(this.#stats), STATS_TIMEOUT_MS);
      this.#waiting.push((stats) => {
        clearTimeout(timer);
        resolve(stats);
      });
      this.#child.kill('SIGUSR1');
    });
  }

  /** SIGTERM after the ring buffer's timeout, so the packets in it are written first. */
  stop(): void {
    if (!this.#running || this.#stopping) return;
    this.#stopping = true;
    const timer = setTimeout(() => this.#child.kill('SIGTERM'), STOP_FLUSH_MS);
    this.#child.once('close', () => clearTimeout(timer));
  }

  #onStderr(line: string): void {
    if (line === '') return;
    const received = RECEIVED.exec(line);
    const dropped = DROPPED.exec(line);
    if (received !== null) this.#partialReceived = Number(received[1]);
    if (dropped !== null && this.#partialReceived !== undefined) {
      // "dropped by kernel" ends both the SIGUSR1 line and the exit report.
      this.#stats = { received: this.#partialReceived, dropped: Number(dropped[1]) };
      this.#answer(this.#stats);
      return;
    }
    if (received === null && !/packets? captured|^listening on|: listening on/.test(line))
      this.#lastError = line.replace(/^tcpdump: /, '');
  }

  #answer(stats: KernelStats | undefined): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve(stats);
  }
}
