/**
 * @module
 * An opened MMDB file: the raw bytes (for `mmdb-walk.ts`) and one mmdb-lib
 * `Reader` over them (for every lookup), plus the metadata ingest records:
 * build date, type and description. A file opened from what an earlier run
 * recorded of it (`openKnown`) is read only when a lookup needs its tree:
 * with the IPv4 answers cached as ranges, a one-packet ingest never does.
 */

import { createHash } from 'node:crypto';
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
function decoderCache(max: number): {
  get(key: string | number): unknown;
  set(key: string | number, value: unknown): void;
} {
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
  readonly info: MmdbInfo;
  private loaded: { bytes: Buffer; reader: Reader<Response> } | undefined;
  private digestHex: string | undefined;

  private constructor(info: MmdbInfo, loaded?: { bytes: Buffer; reader: Reader<Response> }, digest?: string) {
    this.info = info;
    this.loaded = loaded;
    this.digestHex = digest;
  }

  /** The file's bytes (read on first use when opened with `openKnown`). */
  get bytes(): Buffer {
    return this.load().bytes;
  }

  get reader(): Reader<Response> {
    return this.load().reader;
  }

  /** SHA-256 of the file (hex): names caches derived from it. */
  get digest(): string {
    return (this.digestHex ??= createHash('sha256').update(this.bytes).digest('hex'));
  }

  /** Read and check an MMDB file. Throws `GeoDbError` (READ, FORMAT) naming the file. */
  static open(path: string): MmdbDatabase {
    const loaded = parse(readBytes(path), path);
    return new MmdbDatabase(loaded.info, loaded);
  }

  /**
   * A file whose metadata and digest were read before (`mmdb-stamps.ts`):
   * nothing is read until a lookup needs the tree. If the file then differs
   * from what was recorded, that first use throws `GeoDbError` (FORMAT).
   */
  static openKnown(info: MmdbInfo, digest: string): MmdbDatabase {
    return new MmdbDatabase(info, undefined, digest);
  }

  /** Use MMDB bytes already in memory (tests, freshly converted databases). */
  static fromBuffer(bytes: Buffer, label: string): MmdbDatabase {
    const loaded = parse(bytes, label);
    return new MmdbDatabase(loaded.info, loaded);
  }

  private load(): { bytes: Buffer; reader: Reader<Response> } {
    if (this.loaded !== undefined) return this.loaded;
    const { path } = this.info;
    const loaded = parse(readBytes(path), path);
    const digest = createHash('sha256').update(loaded.bytes).digest('hex');
    if (digest !== this.digestHex) {
      throw new GeoDbError(
        GeoDbErrorCode.FORMAT,
        `Cannot read MMDB ${path}: the file changed while teiten was using it`,
        { path },
      );
    }
    this.loaded = { bytes: loaded.bytes, reader: loaded.reader };
    return this.loaded;
  }
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new GeoDbError(GeoDbErrorCode.READ, `Cannot read MMDB ${path}: ${(cause as Error).message}`, { path, cause });
  }
}

function parse(bytes: Buffer, path: string): { bytes: Buffer; reader: Reader<Response>; info: MmdbInfo } {
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(bytes, { cache: decoderCache(DECODER_CACHE_ENTRIES) });
  } catch (cause) {
    throw new GeoDbError(GeoDbErrorCode.FORMAT, `Cannot read MMDB ${path}: ${(cause as Error).message}`, {
      path,
      cause,
    });
  }
  const m = reader.metadata;
  if (m.ipVersion !== 4 && m.ipVersion !== 6) {
    throw new GeoDbError(GeoDbErrorCode.FORMAT, `Cannot read MMDB ${path}: ip_version is ${String(m.ipVersion)}`, {
      path,
    });
  }
  if (!Number.isInteger(m.nodeCount) || m.searchTreeSize + DATA_SEPARATOR_BYTES > bytes.length) {
    throw new GeoDbError(
      GeoDbErrorCode.FORMAT,
      `Cannot read MMDB ${path}: search tree of ${m.nodeCount} nodes exceeds the file`,
      { path },
    );
  }
  const desc = (m.description ?? {}) as unknown as Record<string, string>;
  const info: MmdbInfo = {
    path,
    databaseType: String(m.databaseType ?? ''),
    buildEpoch: m.buildEpoch,
    description: desc['en'] ?? Object.values(desc)[0] ?? String(m.databaseType ?? ''),
    ipVersion: m.ipVersion,
    nodeCount: m.nodeCount,
    recordSize: m.recordSize,
  };
  return { bytes, reader, info };
}
