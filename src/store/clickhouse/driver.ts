/**
 * @module
 * ClickHouse over HTTP through `@clickhouse/client`: URL parsing, queries with
 * `?` parameters rendered by `literal.ts`, results read in the `JSON` format
 * whose column types turn quoted 64-bit integers back into numbers, JSONEachRow
 * inserts of validated column blocks, and mutations (`ALTER TABLE … DELETE`,
 * asynchronous on the server) awaited until done.
 */

import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { StoreOpenError, StoreQueryError } from '../errors.js';
import type { ListValues } from '../list-column.js';
import type { ColumnBlock } from '../sql-session.js';
import type { SqlQuery } from '../store.js';
import { renderClickHouseSql } from './literal.js';

export const DEFAULT_CLICKHOUSE_PORT = 8123;
export const DEFAULT_CLICKHOUSE_DATABASE = 'teiten';
const DATABASE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Cluster names as `remote_servers` spells them; the name is written into DDL, so no quoting is needed. */
const CLUSTER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DB_CODE_PATTERN = /Code: (\d+)/;
/** 64-bit (and wider) integers, alone or in arrays, arrive as JSON strings; their type names start like this. */
const WIDE_INTEGER = /^(Nullable\(|Array\()?U?Int(64|128|256)\b/;
const MUTATION_POLL_MS = 50;
const MUTATION_TIMEOUT_MS = 120_000;
/**
 * Sent with every query: pushes the caller's WHERE into the committed-row
 * views, so a period query reads its days, not the whole table (off by
 * default in 18.16).
 */
const QUERY_SETTINGS = { enable_optimize_predicate_expression: 1 } as const;
/**
 * The client's wait for an answer: longer than a cluster's ON CLUSTER wait
 * (`distributed_ddl_task_timeout`, 30 s), so a node that does not finish a
 * statement surfaces as ClickHouse's error, counting the unfinished and the
 * active hosts, not as a bare socket timeout.
 */
const REQUEST_TIMEOUT_MS = 90_000;

export interface ClickHouseTarget {
  /** `http://host:port` */
  url: string;
  database: string;
  username: string;
  password: string;
  /** `?cluster=NAME`: the schema is created ON CLUSTER as `*_local` tables behind Distributed ones (`cluster-ddl.ts`). */
  cluster?: string;
}

/** `clickhouse://[user[:password]@]host[:port]/database[?cluster=NAME]`, or the same with `http(s)://`. */
export function parseClickHouseUrl(target: string): ClickHouseTarget {
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch (cause) {
    throw new StoreOpenError(target, 'not a URL like clickhouse://127.0.0.1:8123/teiten', { cause });
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'clickhouse' && scheme !== 'http' && scheme !== 'https') {
    throw new StoreOpenError(target, `scheme ${scheme} is not clickhouse, http or https`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\/+|\/+$/g, '')) || DEFAULT_CLICKHOUSE_DATABASE;
  if (!DATABASE_PATTERN.test(database))
    throw new StoreOpenError(target, `database name ${JSON.stringify(database)} is not [A-Za-z_][A-Za-z0-9_]*`);
  const http = scheme === 'https' ? 'https' : 'http';
  const port = parsed.port === '' ? (http === 'https' ? '' : `:${DEFAULT_CLICKHOUSE_PORT}`) : `:${parsed.port}`;
  const unknown = [...parsed.searchParams.keys()].filter((k) => k !== 'cluster');
  if (unknown.length > 0)
    throw new StoreOpenError(target, `unknown URL parameter ${unknown[0]} (only cluster=NAME is read)`);
  const cluster = parsed.searchParams.get('cluster');
  if (cluster !== null && !CLUSTER_PATTERN.test(cluster)) {
    throw new StoreOpenError(target, `cluster name ${JSON.stringify(cluster)} is not [A-Za-z_][A-Za-z0-9_]*`);
  }
  return {
    url: `${http}://${parsed.hostname}${port}`,
    database,
    username: decodeURIComponent(parsed.username) || 'default',
    password: decodeURIComponent(parsed.password),
    ...(cluster === null ? {} : { cluster }),
  };
}

interface JsonResult {
  meta: { name: string; type: string }[];
  data: Record<string, unknown>[];
}

type Settings = Record<string, string | number>;

export class ClickHouseDriver {
  readonly target: ClickHouseTarget;
  private readonly client: ClickHouseClient;
  private readonly settings: Settings;

  /** `settings` are sent with every statement, after the defaults (a cluster's, `cluster-settings.ts`). */
  constructor(target: ClickHouseTarget, options: { database?: string; settings?: Settings } = {}) {
    this.target = target;
    this.settings = { ...QUERY_SETTINGS, ...options.settings };
    this.client = createClient({
      url: target.url,
      database: options.database ?? target.database,
      username: target.username,
      password: target.password,
      request_timeout: REQUEST_TIMEOUT_MS,
      // Errors reach the caller as StoreQueryError; the client's own console logging would duplicate them.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async all<T>(query: SqlQuery): Promise<T[]> {
    const sql = this.render(query);
    try {
      const result = await this.client.query({ query: sql, format: 'JSON', clickhouse_settings: this.settings });
      const text = await result.text();
      // Statements that return no result set (DDL) answer with an empty body.
      if (text.trim() === '') return [];
      const json = JSON.parse(text) as JsonResult;
      const wide = json.meta.filter((m) => WIDE_INTEGER.test(m.type)).map((m) => m.name);
      if (wide.length > 0) {
        for (const row of json.data) for (const name of wide) row[name] = toNumber(row[name]);
      }
      return json.data as T[];
    } catch (cause) {
      throw queryError(query, cause);
    }
  }

  /** Runs a statement with no result; `settings` add to the driver's for this statement only. */
  async run(query: SqlQuery, settings: Settings = {}): Promise<void> {
    const sql = this.render(query);
    try {
      await this.client.command({ query: sql, clickhouse_settings: { ...this.settings, ...settings } });
    } catch (cause) {
      throw queryError(query, cause);
    }
  }

  /** Inserts a validated block as JSONEachRow objects. */
  async insert(block: ColumnBlock): Promise<void> {
    if (block.rowCount === 0) return;
    const names = block.table.columns.map((c) => c.name);
    const lists = block.table.columns.map((c) => c.list === true);
    const values = new Array<Record<string, unknown>>(block.rowCount);
    for (let r = 0; r < block.rowCount; r++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < names.length; c++) {
        const column = block.columns[c]!;
        row[names[c]!] = lists[c] ? listItems(column as ListValues, r) : (column as ArrayLike<unknown>)[r];
      }
      values[r] = row;
    }
    try {
      await this.client.insert({
        table: block.table.name,
        values,
        format: 'JSONEachRow',
        clickhouse_settings: this.settings,
      });
    } catch (cause) {
      throw queryError({ sql: `INSERT INTO ${block.table.name} FORMAT JSONEachRow`, params: [] }, cause);
    }
  }

  /** `ALTER TABLE … DELETE WHERE …`, returning once the server has applied it. */
  async deleteWhere(table: string, where: SqlQuery): Promise<void> {
    await this.run({ sql: `ALTER TABLE ${table} DELETE WHERE ${where.sql}`, params: where.params });
    const deadline = Date.now() + MUTATION_TIMEOUT_MS;
    for (;;) {
      const [row] = await this.all<{ pending: number }>({
        sql: 'SELECT COUNT(*) AS pending FROM system.mutations WHERE database = ? AND table = ? AND is_done = 0',
        params: [this.target.database, table],
      });
      if ((row?.pending ?? 0) === 0) return;
      if (Date.now() > deadline) {
        throw queryError(where, new Error(`the delete on ${table} was not applied within ${MUTATION_TIMEOUT_MS} ms`));
      }
      await new Promise((resolve) => setTimeout(resolve, MUTATION_POLL_MS));
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private render(query: SqlQuery): string {
    try {
      return renderClickHouseSql(query.sql, query.params);
    } catch (cause) {
      throw new StoreQueryError(query.sql, query.params, { cause });
    }
  }
}

/** Row r's items as an array (JSON array in the insert). */
function listItems(lists: ListValues, r: number): number[] {
  const from = lists.starts[r]!;
  const items = new Array<number>(lists.starts[r + 1]! - from);
  for (let k = 0; k < items.length; k++) items[k] = lists.values[from + k]!;
  return items;
}

function toNumber(value: unknown): unknown {
  if (typeof value === 'string') return Number(value);
  if (Array.isArray(value)) return value.map(toNumber);
  return value;
}

function queryError(query: SqlQuery, cause: unknown): StoreQueryError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = DB_CODE_PATTERN.exec(message);
  return code === null
    ? new StoreQueryError(query.sql, query.params, { cause })
    : new StoreQueryError(query.sql, query.params, { cause, dbCode: Number(code[1]) });
}
