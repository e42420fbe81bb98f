/**
 * @module
 * `@duckdb/node-api` as one default import. The package is CommonJS spread
 * over ~180 files: Node's loader spent 100–180 ms resolving, reading and
 * wrapping them (and, from an ES module, parsing each once more for its
 * export names) on every command that opens a store. The CLI bundle
 * (`scripts/bundle-cli.mjs`) therefore inlines this package, so a one-packet
 * ingest loads it as part of one file; unbundled runs (tests, benchmarks)
 * import it as before.
 */

import { createRequire } from 'node:module';
import nodeApi from '@duckdb/node-api';

type Bindings = typeof import('@duckdb/node-bindings');

export const {
  BIGINT,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  INTEGER,
  LIST,
  UBIGINT,
  UINTEGER,
  USMALLINT,
  UTINYINT,
  VARCHAR,
} = nodeApi;

/**
 * DuckDB's C API as `@duckdb/node-api` itself loads it (resolved from that
 * package, whose dependency it is): list vectors are written through it in
 * one copy per chunk, where node-api's own `setItem` makes a value object
 * and a bigint per item (a third more CPU for a darknet capture's ingest).
 */
export const bindings = createRequire(createRequire(import.meta.url).resolve('@duckdb/node-api'))(
  '@duckdb/node-bindings',
) as Bindings;
