/**
 * @module
 * `SensorLocks`: work on one sensor's records runs one piece at a time (a
 * segment's ingest and a heartbeat both move its operating intervals), work
 * on different sensors is not held up by it. A promise chain per sensor,
 * removed when it empties, so the map holds only sensors with work pending.
 */

export class SensorLocks {
  private readonly tails = new Map<number, Promise<unknown>>();

  run<T>(sensorId: number, fn: () => Promise<T>): Promise<T> {
    const job = (this.tails.get(sensorId) ?? Promise.resolve()).then(fn);
    const tail = job.catch(() => undefined);
    this.tails.set(sensorId, tail);
    void tail.then(() => {
      if (this.tails.get(sensorId) === tail) this.tails.delete(sensorId);
    });
    return job;
  }
}
