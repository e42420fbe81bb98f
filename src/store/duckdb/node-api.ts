/**
 * @module
 * `@duckdb/node-api` loaded with `require` instead of `import`. The package
 * is CommonJS spread over ~120 files; importing it from an ES module makes
 * Node parse every file once more for its export names (cjs-module-lexer),
 * which cost ~90 ms of the ~180 ms it took to load, on every command that
 * opens a store. The types still come from the package's declarations.
 */

import { createRequire } from 'node:module';

type NodeApi = typeof import('@duckdb/node-api');
type Bindings = typeof import('@duckdb/node-bindings');

const requireHere = createRequire(import.meta.url);
const nodeApi = requireHere('@duckdb/node-api') as NodeApi;

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
export const bindings = createRequire(requireHere.resolve('@duckdb/node-api'))('@duckdb/node-bindings') as Bindings;
