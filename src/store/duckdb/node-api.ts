/**
 * @module
 * `@duckdb/node-api` loaded with `require` instead of `import`. The package
 * is CommonJS spread over ~180 files: imported from an ES module, Node
 * parses every file once more for its export names (cjs-module-lexer,
 * ~90–250 ms). Even required, resolving, reading and wrapping the files
 * cost 100–180 ms per command that opens a store, so the CLI bundle inlines
 * the package (`scripts/bundle-cli.mjs` turns the `requireHere` call below
 * into a plain `require` that esbuild bundles). The types still come from
 * the package's declarations.
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
 * package, whose dependency it is; the CLI bundle inlines it and this call
 * becomes a plain `require` of the same copy): list vectors are written through it in
 * one copy per chunk, where node-api's own `setItem` makes a value object
 * and a bigint per item (a third more CPU for a darknet capture's ingest).
 */
export const bindings = createRequire(requireHere.resolve('@duckdb/node-api'))('@duckdb/node-bindings') as Bindings;
