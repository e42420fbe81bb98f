/**
 * @module
 * Flattened IPv4 tables (`ipv4-ranges.ts`) kept in the data directory, so
 * only the first ingest with a database pays for the flattening (about 0.2 s
 * for the bundled country database; for ASNs ~0.7 s to walk an MMDB, or
 * reading the bundled CSV, 21 MB); later runs read ~4 MB.
 *
 * A file is named by what its answers depend on: the database's answers id
 * (an MMDB's SHA-256; the ASN CSV's package version and file sizes),
 * which answer it holds (`country`, `asn`) and this format's version. It is
 * written to a temporary name and renamed, so a reader never sees half a
 * file; a file that fails its checks is rebuilt and replaced, never trusted.
 */

import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { Ipv4Ranges } from './ipv4-ranges.js';
import type { AddressLookup } from './address-lookup.js';

/** Bump when the file layout or the meaning of the answers changes. */
const FORMAT_VERSION = 1;
const MAGIC = 0x5452_3452; // "TR4R"
const HEADER_BYTES = 12;
const HASH_CHARS = 24;
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Where the table for `lookup` is (or would be) cached: named by the
 * database's answers id, so it also identifies the answers for tables derived
 * from it (the merged table).
 */
export function rangesCachePath(lookup: AddressLookup, options: { dataDir: string; answer: string }): string {
  const digest = lookup.answersId.slice(0, HASH_CHARS);
  return join(options.dataDir, `ipv4-${options.answer}-${digest}-v${FORMAT_VERSION}.ranges`);
}

/** Reads the table for `lookup` from `dataDir`, or builds it and stores it there; then the lookup uses it. */
export async function useCachedIpv4Ranges(
  lookup: AddressLookup,
  options: { dataDir: string; answer: string },
): Promise<Ipv4Ranges> {
  const path = rangesCachePath(lookup, options);
  let ranges = await readFile(path).then(parse, () => null);
  if (ranges === null) {
    ranges = lookup.ipv4Ranges();
    await mkdir(options.dataDir, { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, serialize(ranges));
    await rename(tmp, path);
  }
  lookup.useIpv4Ranges(ranges);
  return ranges;
}

function serialize(ranges: Ipv4Ranges): Buffer {
  const n = ranges.size;
  const out = Buffer.alloc(HEADER_BYTES + 8 * n);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(n, 8);
  for (let r = 0; r < n; r++) {
    out.writeUInt32LE(ranges.starts[r]!, HEADER_BYTES + 4 * r);
    out.writeUInt32LE(ranges.values[r]!, HEADER_BYTES + 4 * (n + r));
  }
  return out;
}

function parse(bytes: Buffer): Ipv4Ranges | null {
  if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== FORMAT_VERSION)
    return null;
  const n = bytes.readUInt32LE(8);
  if (bytes.length !== HEADER_BYTES + 8 * n) return null;
  return Ipv4Ranges.fromArrays(
    littleEndianWords(bytes, HEADER_BYTES, n),
    littleEndianWords(bytes, HEADER_BYTES + 4 * n, n),
  );
}

/**
 * `n` little-endian 32-bit words from `bytes[at…]`: one copy on a
 * little-endian machine (a read per word cost ~50 ms for both tables).
 */
function littleEndianWords(bytes: Buffer, at: number, n: number): Uint32Array {
  const words = new Uint32Array(n);
  if (LITTLE_ENDIAN) {
    new Uint8Array(words.buffer).set(bytes.subarray(at, at + 4 * n));
  } else {
    for (let r = 0; r < n; r++) words[r] = bytes.readUInt32LE(at + 4 * r);
  }
  return words;
}
