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

import { ColumnBuffer } from './column-buffer.js';
import { IPV6_SOURCES } from './schema.js';
import { canonicalSource, IPV6_KEY_BASE, ipv6KeyCandidate, isIpv6SourceKey, nextIpv6Key } from './source-key.js';
import type { ColumnBlock } from './sql-session.js';
import type { SqlQuery } from './store.js';
import { formatIpv4 } from '../util/ip-address.js';

/** Runs a portable query (a session's `all` or a store's `query`). */
export type RunQuery = <T>(query: SqlQuery) => Promise<T[]>;

/** Values per `IN (…)` list: well inside both databases' limits on query size. */
const IN_LIST = 500;

interface StoredKey {
  key: number;
  address: string;
}

/**
 * One ingest's source keys: the IPv6 keys it looked up and those it added
 * (the `ipv6_sources` rows to write with it).
 */
export class SourceKeyAssignments {
  readonly byText = new Map<string, number>();
  readonly byKey = new Map<number, string>();
  /** Keys this ingest added, in the order given. */
  private readonly added: StoredKey[] = [];
  /** How many of `added` `takeNewRows` has handed out. */
  private taken = 0;

  /**
   * Source keys of address texts (any valid form of either family), in
   * order: IPv4 by value, IPv6 as the module comment says. Throws naming the
   * row and text that is no address.
   */
  async sourceKeysOf(addresses: readonly string[], run: RunQuery): Promise<number[]> {
    const keys = new Array<number>(addresses.length);
    const ipv6: string[] = [];
    const at: number[] = [];
    for (let i = 0; i < addresses.length; i++) {
      let source;
      try {
        source = canonicalSource(addresses[i]!);
      } catch (cause) {
        throw new TypeError(
          `Cannot write source_day row ${i}: src ${JSON.stringify(addresses[i])} is not an IPv4 or IPv6 address`,
          { cause },
        );
      }
      if (source.family === 4) keys[i] = source.ipv4;
      else {
        ipv6.push(source.text);
        at.push(i);
      }
    }
    const found = await this.ipv6KeysOf(ipv6, run);
    for (let j = 0; j < at.length; j++) keys[at[j]!] = found[j]!;
    return keys;
  }

  /** The `ipv6_sources` rows of the keys added since the last call; null when there are none. */
  takeNewRows(): ColumnBlock | null {
    if (this.taken === this.added.length) return null;
    const buffer = new ColumnBuffer(IPV6_SOURCES);
    for (const entry of this.added.slice(this.taken)) buffer.addValues([entry.key, entry.address]);
    this.taken = this.added.length;
    return buffer.take();
  }

  /** Keys of canonical IPv6 texts, in order. */
  private async ipv6KeysOf(texts: readonly string[], run: RunQuery): Promise<number[]> {
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
      const stored = await storedAddresses(
        pending.map((p) => p.key).filter((k) => !this.byKey.has(k)),
        run,
      );
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
    if (isIpv6SourceKey(key)) ipv6.push(key);
    else texts.set(key, formatIpv4(key));
  }
  for (const [key, address] of await storedAddresses(ipv6, run)) texts.set(key, address);
  return texts;
}

/** The stored address of each of `keys` that `ipv6_sources` holds. */
async function storedAddresses(keys: readonly number[], run: RunQuery): Promise<Map<number, string>> {
  const stored = new Map<number, string>();
  for (const chunk of chunks([...new Set(keys)])) {
    const rows = await run<StoredKey>({
      sql: `SELECT source_key AS key, address FROM ipv6_sources WHERE source_key IN (${marks(chunk.length)})`,
      params: chunk,
    });
    for (const row of rows) stored.set(Number(row.key), row.address);
  }
  return stored;
}

/** `sourceKeyTexts` for keys that must all be known; throws naming the first unknown one. */
export async function requireSourceKeyTexts(keys: readonly number[], run: RunQuery): Promise<Map<number, string>> {
  const texts = await sourceKeyTexts(keys, run);
  for (const key of keys) {
    if (!texts.has(key))
      throw new RangeError(`Source key ${key} (IPv6 number ${key - IPV6_KEY_BASE}) is not in ipv6_sources`);
  }
  return texts;
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += IN_LIST) yield items.slice(i, i + IN_LIST);
}

function marks(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}
