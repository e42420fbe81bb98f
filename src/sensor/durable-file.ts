/**
 * @module
 * Crash-safe file writes for the spool: write a temporary file, fsync it,
 * rename it over the target, fsync the directory. After a power cut the
 * target holds either the old or the new contents, never a torn mix, and a
 * rename that returned has reached the disk.
 */
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';

export const TEMP_SUFFIX = '.tmp';

/** Write and fsync `dir/name.tmp`; returns its path (rename it with {@link publish}). */
export async function writeTemp(dir: string, name: string, data: Uint8Array | string): Promise<string> {
  const path = join(dir, name + TEMP_SUFFIX);
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return path;
}

/** fsync a directory, so the renames and deletions in it are durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replace `dir/name` durably with `data`. */
export async function writeFileDurable(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const temp = await writeTemp(dir, name, data);
  await rename(temp, join(dir, name));
  await syncDir(dir);
}
