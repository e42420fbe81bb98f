/**
 * @module
 * A bound on the figures computed at once. A quarter's ranking can take
 * seconds of the store's CPU; answers already kept cost nothing, but a
 * client asking for many distinct periods would start a computation per
 * URL. At most `running` run at once, at most `waiting` more wait their
 * turn, and past that a request is refused at once with a 503 and
 * `Retry-After` (`BusyError`) instead of piling up unbounded work.
 */

import { RetryLaterError } from './retry-later.js';

export interface ComputeGateOptions {
  /** Computations at once (default 2: the store parallelises each one itself). */
  running?: number;
  /** Computations waiting for a turn before new ones are refused (default 32). */
  waiting?: number;
}

const DEFAULT_RUNNING = 2;
const DEFAULT_WAITING = 32;
/** Seconds a refused client is told to wait. */
export const BUSY_RETRY_SEC = 5;

/** Too many computations running and waiting: answered 503 with `Retry-After`. */
export class BusyError extends RetryLaterError {
  override readonly name = 'BusyError';
  readonly code = 'TEITEN_SERVE_BUSY';

  constructor(running: number, waiting: number) {
    super(
      `Server busy: ${running} computations running and ${waiting} waiting; retry in ${BUSY_RETRY_SEC} s`,
      BUSY_RETRY_SEC,
    );
  }
}

export type ComputeGate = <T>(compute: () => Promise<T>) => Promise<T>;

export function computeGate(options: ComputeGateOptions = {}): ComputeGate {
  const maxRunning = options.running ?? DEFAULT_RUNNING;
  const maxWaiting = options.waiting ?? DEFAULT_WAITING;
  let running = 0;
  const queue: (() => void)[] = [];
  const release = (): void => {
    running -= 1;
    const next = queue.shift();
    if (next !== undefined) {
      running += 1;
      next();
    }
  };
  return async <T>(compute: () => Promise<T>): Promise<T> => {
    if (running >= maxRunning) {
      if (queue.length >= maxWaiting) throw new BusyError(running, queue.length);
      await new Promise<void>((resolve) => queue.push(resolve));
    } else {
      running += 1;
    }
    try {
      return await compute();
    } finally {
      release();
    }
  };
}
