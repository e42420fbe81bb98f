/**
 * @module
 * An opened MMDB file: the raw bytes (for `mmdb-walk.ts`) and one mmdb-lib
 * `Reader` over them (for every lookup), plus the metadata ingest records:
 * build date, type and description.
 */

import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'mmdb-lib';
import { GeoDbError, GeoDbErrorCode } from './errors.js';

/** What ingest records about a database it enriched with. */
export interface MmdbInfo {
  /** File path, or a label for an in-memory database. */
  path: string;
  /** `database_type` metadata, e.g. `GeoLite2-Country`, `country ipvAll`. */
  databaseType: string;
  /** `build_epoch` metadata. */
  buildEpoch: Date;
  /** English (or first) `description` metadata, else the database type. */
  description: string;
  ipVersion: 4 | 6;
  nodeCount: number;
  recordSize: number;
}

/** Decoded records kept by mmdb-lib's decoder, keyed by data offset. */
const DECODER_CACHE_ENTRIES = 100_000;
const DATA_SEPARATOR_BYTES = 16;

/** A bounded Map for mmdb-lib's `cache` option: it drops everything when full. */
function decoderCache(max: number): { get(key: string | number): unknown; set(key: string | number, value: unknown): void } {
  const map = new Map<string | number, unknown>();
  return {
    get: (key) => map.get(key),
    set: (key, value) => {
      if (map.size >= max) map.clear();
      map.set(key, value);
    },
  };
}

export class MmdbDatabase {
  readonly bytes: Buffer;
  readonly reader: Reader<Response>;
  readonly info: MmdbInfo;

  private constructor(bytes: Buffer, path: string) {
    this.bytes = bytes;
    try {
      this.reader = new Reader<Response>(bytes, { cache: decoderCache(DECODER_CACHE_ENTRIES) });
    } catch (cause) {
      throw new GeoDbError(GeoDbErrorCode.FORMAT, `Cannot read MMDB ${path}: ${(cause as Error).message}`, { path, cause });
    }
    const m = this.reader.metadata;
    if (m.ipVersion !== 4 && m.ipVersion !== 6) {
      throw new GeoDbError(GeoDbErrorCode.FORMAT, `Cannot read MMDB ${path}: ip_version is ${String(m.ipVersion)}`, { path });
    }
    if (!Number.isInteger(m.nodeCount) || m.searchTreeSize + DATA_SEPARATOR_BYTES > bytes.length) {
      throw new GeoDbError(GeoDbErrorCode.FORMAT, `Cannot read MMDB ${path}: search tree of ${m.nodeCount} nodes exceeds the file`, { path });
    }
    const desc = (m.description ?? {}) as unknown as Record<string, string>;
    this.info = {
      path,
      databaseType: String(m.databaseType ?? ''),
      buildEpoch: m.buildEpoch,
      description: desc['en'] ?? Object.values(desc)[0] ?? String(m.databaseType ?? ''),
      ipVersion: m.ipVersion,
      nodeCount: m.nodeCount,
      recordSize: m.recordSize,
    };
  }

  /** Read and check an MMDB file. Throws `GeoDbError` (READ, FORMAT) naming the file. */
  static open(path: string): MmdbDatabase {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (cause) {
      throw new GeoDbError(GeoDbErrorCode.READ, `Cannot read MMDB ${path}: ${(cause as Error).message}`, { path, cause });
    }
    return new MmdbDatabase(bytes, path);
  }

  /** Use MMDB bytes already in memory (tests, freshly converted databases). */
  static fromBuffer(bytes: Buffer, label: string): MmdbDatabase {
    return new MmdbDatabase(bytes, label);
  }
}
