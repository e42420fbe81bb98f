/**
 * @module
 * Vitest global set-up: the run's temporary files (every `tmpdir()` of the
 * tests and of the processes they start) go under one directory, removed
 * when the run ends. Tests made their own directories and many left them:
 * each `npm test` left ~1,500 directories and about a gigabyte in /tmp.
 * `TEITEN_KEEP_TEST_TMP=1` keeps the directory to look at a failure's files.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OWNER = 'TEITEN_TEST_TMP';

export default function setup(): () => void {
  // Each project of the config runs its global set-up; the first one owns the directory.
  if (process.env[OWNER] !== undefined) return () => undefined;
  const root = mkdtempSync(join(tmpdir(), 'teiten-test-run-'));
  process.env[OWNER] = root;
  process.env['TMPDIR'] = root;
  return () => {
    if (process.env['TEITEN_KEEP_TEST_TMP'] === '1') console.log(`test files kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
}
