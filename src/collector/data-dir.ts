/**
 * @module
 * Where the collector keeps its certificate and incoming uploads when
 * `--data-dir` is not given: beside a DuckDB store file (`teiten-collector/`
 * in its directory), else `$XDG_DATA_HOME/teiten` (`~/.local/share/teiten`).
 * `teiten sensors enroll` computes the same place to read the fingerprint.
 */

import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { storeKindOf } from '../store/index.js';

export function defaultCollectorDir(storeTarget: string): string {
  if (storeKindOf(storeTarget) === 'duckdb' && storeTarget !== ':memory:')
    return join(dirname(resolve(storeTarget)), 'teiten-collector');
  return join(process.env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share'), 'teiten');
}
