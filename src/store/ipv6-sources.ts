/**
 * @module
 * The store's `ipv6_sources` table: the number behind each IPv6 source key
 * (`source-key.ts`). An ingest asks for the keys of its IPv6 sources once,
 * before writing its `source_day` rows; addresses already in the table keep
 * their key, new ones take the first key from their hash that neither the
 * table nor this ingest holds, and their rows are written with the ingest.
 *
 * The table is shared by all ingests and never filtered by them: a key kept
 * after its ingest was deleted or rolled back (ClickHouse has no transactions)
 * is still that address's key, which is harmless. Two ingests running at once
 * give a new address the same key (its hash); only two *different* new
 * addresses with the same 48-bit hash, in two ingests at the same moment,
 * could share one, which the store does not guard against.
 */

import { formatIpv4 } from '../decode/address.js';
import { IPV6_KEY_BASE, ipv6KeyCandidate, isIpv6SourceKey, nextIpv6Key } from './source-key.js';
import type { SqlQuery } from './store.js';

/** Runs a portable query (a session's `all` or a store's `query`). */
export type RunQuery = <T>(query: SqlQuery) => Promise<T[]>;

/** Values per `IN (…)` list: well inside both databases' limits on query size. */
const IN_LIST = 500;

interface StoredKey {
  key: number;
  address: string;
}

/** One ingest's IPv6 keys: those it looked up and those it added (to write with it). */
export class Ipv6KeyAssignments {
  readonly byText = new Map<string, number>();
  readonly byKey = new Map<number, string>();
  /** Keys this ingest added, in the order given: the `ipv6_sources` rows to write. */
  readonly added: StoredKey[] = [];

  /**
   * Keys of `texts` (canonical IPv6 text, as `canonicalSource` gives it), in
   * order, assigning new ones as the module comment says.
   */
  async keysOf(texts: readonly string[], run: RunQuery): Promise<number[]> {
    const missing = [...new Set(texts.filter((t) => !this.byText.has(t)))];
    for (const chunk of chunks(missing)) {
      const found = await run<StoredKey>({
        sql: `SELECT source_key AS key, address FROM ipv6_sources WHERE address IN (${marks(chunk.length)})`,
        params: chunk,
      });
      for (const row of found) this.note(Number(row.key), row.address);
    }
    let pending = missing.filter((t) => !this.byText.has(t)).map((text) => ({ text, key: ipv6KeyCandidate(text) }));
    while (pending.length > 0) {
      const stored = new Map<number, string>();
      const asked = [...new Set(pending.map((p) => p.key).filter((k) => !this.byKey.has(k)))];
      for (const chunk of chunks(asked)) {
        const rows = await run<StoredKey>({ sql: `SELECT source_key AS key, address FROM ipv6_sources WHERE source_key IN (${marks(chunk.length)})`, params: chunk });
        for (const row of rows) stored.set(Number(row.key), row.address);
      }
      const next: typeof pending = [];
      for (const p of pending) {
        const holder = this.byKey.get(p.key) ?? stored.get(p.key);
        if (holder === p.text) this.note(p.key, p.text);
        else if (holder !== undefined) next.push({ text: p.text, key: nextIpv6Key(p.key) });
        else {
          this.note(p.key, p.text);
          this.added.push({ key: p.key, address: p.text });
        }
      }
      pending = next;
    }
    return texts.map((t) => this.byText.get(t)!);
  }

  private note(key: number, text: string): void {
    this.byText.set(text, key);
    this.byKey.set(key, text);
  }
}

/** Address text of each source key (IPv4 by value, IPv6 from `ipv6_sources`); unknown IPv6 keys are left out. */
export async function sourceKeyTexts(keys: Iterable<number>, run: RunQuery): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  const ipv6: number[] = [];
  for (const key of keys) {
    if (texts.has(key)) continue;
    if (isIpv6SourceKey(key)) ipv6.push(key);
    else texts.set(key, formatIpv4(key));
  }
  for (const chunk of chunks([...new Set(ipv6)])) {
    const rows = await run<StoredKey>({ sql: `SELECT source_key AS key, address FROM ipv6_sources WHERE source_key IN (${marks(chunk.length)})`, params: chunk });
    for (const row of rows) texts.set(Number(row.key), row.address);
  }
  return texts;
}

/** `sourceKeyTexts` for keys that must all be known; throws naming the first unknown one. */
export async function requireSourceKeyTexts(keys: readonly number[], run: RunQuery): Promise<Map<number, string>> {
  const texts = await sourceKeyTexts(keys, run);
  for (const key of keys) {
    if (!texts.has(key)) throw new RangeError(`Source key ${key} (IPv6 number ${key - IPV6_KEY_BASE}) is not in ipv6_sources`);
  }
  return texts;
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += IN_LIST) yield items.slice(i, i + IN_LIST);
}

function marks(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}
