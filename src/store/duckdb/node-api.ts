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

const nodeApi = createRequire(import.meta.url)('@duckdb/node-api') as NodeApi;

export const {
  BIGINT, DOUBLE, DuckDBDataChunk, DuckDBInstance, INTEGER, LIST, listValue, UBIGINT, UINTEGER, USMALLINT, UTINYINT, VARCHAR,
} = nodeApi;
