/**
 * @module
 * What a run learned about an MMDB file, kept in the data directory so the
 * next run need not read it: metadata, SHA-256 (which names the IPv4 range
 * caches) and the record shape. A stamp holds while the file's size,
 * modification time and inode are unchanged — the test `make` and `git`
 * trust — and `MmdbDatabase` still checks the digest if it ever reads the
 * file. Reading and hashing the two bundled databases (13 MB) was ~50 ms of
 * every one-packet ingest.
 */

import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MmdbDatabase, type MmdbInfo } from './mmdb-database.js';

const STAMP_VERSION = 1;
const NAME_HASH_CHARS = 24;

interface StampFile {
  version: number;
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  digest: string;
  shape: string;
  info: Omit<MmdbInfo, 'buildEpoch'> & { buildEpoch: string };
}

function stampPath(dataDir: string, path: string): string {
  const name = createHash('sha256').update(resolve(path)).digest('hex').slice(0, NAME_HASH_CHARS);
  return join(dataDir, `mmdb-${name}-v${STAMP_VERSION}.stamp.json`);
}

function sameFile(stamp: StampFile, path: string, stats: Stats): boolean {
  return (
    stamp.version === STAMP_VERSION &&
    stamp.path === resolve(path) &&
    stamp.size === stats.size &&
    stamp.mtimeMs === stats.mtimeMs &&
    stamp.ino === stats.ino
  );
}

/** The database at `path` as stamped, unread, with its shape; null when no stamp matches the file. */
export function openStamped(path: string, dataDir: string): { db: MmdbDatabase; shape: string } | null {
  let stamp: StampFile;
  let stats: Stats;
  try {
    stats = statSync(path);
    stamp = JSON.parse(readFileSync(stampPath(dataDir, path), 'utf8')) as StampFile;
  } catch {
    // No stamp yet, or the file is gone: the caller opens the file, which names the problem.
    return null;
  }
  if (!sameFile(stamp, path, stats)) return null;
  const info: MmdbInfo = { ...stamp.info, path, buildEpoch: new Date(stamp.info.buildEpoch) };
  return { db: MmdbDatabase.openKnown(info, stamp.digest), shape: stamp.shape };
}

/** Records what `db` (opened from `path`) is, for `openStamped`. */
export async function writeStamp(path: string, dataDir: string, db: MmdbDatabase, shape: string): Promise<void> {
  const stats = statSync(path);
  const stamp: StampFile = {
    version: STAMP_VERSION,
    path: resolve(path),
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ino: stats.ino,
    digest: db.digest,
    shape,
    info: { ...db.info, buildEpoch: db.info.buildEpoch.toISOString() },
  };
  await mkdir(dataDir, { recursive: true });
  const target = stampPath(dataDir, path);
  const tmp = `${target}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify(stamp));
  await rename(tmp, target);
}
