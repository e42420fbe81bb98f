/**
 * @module
 * `ClockWatch`: follows the clock offset the collector reports in every
 * answer and logs when it crosses the warning threshold (and when it comes
 * back), not on every answer. Segment times come from the sensor's clock, so
 * a skewed clock shifts every packet; beyond ±5 min the collector refuses the
 * sensor altogether.
 */
import type { AgentLog } from './agent-log.js';

/** Includes the request's transit time, so a little offset is normal. */
export const CLOCK_WARN_MS = 10_000;

export class ClockWatch {
  readonly #log: AgentLog;
  #skewed = false;
  /** Last offset reported (collector minus sensor), ms. */
  lastOffsetMs: number | undefined = undefined;

  constructor(log: AgentLog) {
    this.#log = log;
  }

  observe(offsetMs: number): void {
    this.lastOffsetMs = offsetMs;
    const skewed = Math.abs(offsetMs) > CLOCK_WARN_MS;
    if (skewed !== this.#skewed) {
      this.#skewed = skewed;
      this.#log(skewed ? 'clock-skew' : 'clock-ok', {
        offsetMs: Math.round(offsetMs),
        note: skewed
          ? 'the sensor clock differs from the collector by more than 10 s: fix NTP; packet times are taken from this clock'
          : undefined,
      });
    }
  }
}
