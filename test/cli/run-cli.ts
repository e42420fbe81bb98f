/**
 * @module
 * Runs the built `teiten` CLI (bin/teiten.js → dist/) as a user would, with
 * optional stdin, and collects its output. `npm test` builds first.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/teiten.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { stdin?: Uint8Array } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.end(options.stdin ?? new Uint8Array(0));
  });
}

/** A CLI process still running: its child, what it has printed so far, and its result once it ends. */
export interface RunningCli {
  child: ReturnType<typeof spawn>;
  output: () => { stdout: string; stderr: string };
  /** Resolves when `text` appears on stdout or stderr (or the process ends, then rejects). */
  printed: (text: string) => Promise<void>;
  result: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Starts the CLI and returns at once (for concurrent runs and for killing it mid-way). */
export function startCli(args: readonly string[], options: { pipeStdin?: boolean } = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: [options.pipeStdin === true ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if (stdout.includes(w.text) || stderr.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    check();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    check();
  });
  const result = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0))
        w.reject(new Error(`the CLI ended before printing ${JSON.stringify(w.text)}: ${stderr}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    output: () => ({ stdout, stderr }),
    printed: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve, reject });
        check();
      }),
    result,
  };
}

/**
 * `stderr` less ingest's closing warnings that a GeoIP database is over 90
 * days old: true of the test databases (built 2010) and of the bundled one,
 * and tested for itself in `ingest.test.ts`; other tests check that nothing
 * else is said.
 */
export function besidesStaleGeo(stderr: string): string {
  return stderr.replace(/^teiten: warning: the GeoIP (country|ASN) database .+ with --(geoip|asn-db) FILE\n/gm, '');
}
