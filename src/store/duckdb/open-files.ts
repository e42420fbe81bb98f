/**
 * @module
 * The DuckDB files this process has open. DuckDB's file lock keeps other
 * processes out but not a second instance in the same process, and two
 * instances of one file overwrite each other's commits (a collector lost
 * segments it had acknowledged, and DuckDB failed an internal assertion).
 * So a second open in this process waits for the first to close, as an open
 * from another process waits for the file lock.
 */

import { resolve } from 'node:path';

export type FileClaim = { release: () => void } | { heldUntil: Promise<void> };

const OPEN = new Map<string, Promise<void>>();

/** Claims `path` for this process, or says until when it is held here. */
export function claimFile(path: string): FileClaim {
  const key = resolve(path);
  const held = OPEN.get(key);
  if (held !== undefined) return { heldUntil: held };
  let release!: () => void;
  const closed = new Promise<void>((done) => {
    release = () => {
      if (OPEN.get(key) === closed) OPEN.delete(key);
      done();
    };
  });
  OPEN.set(key, closed);
  return { release };
}
