/**
 * @module
 * The merged country × ASN IPv4 table (`geoip.ts` `mergedIpv4`) kept in the
 * data directory beside the per-database tables it is merged from. Every
 * ingest needs the table before its first packet, and with a collector
 * ingesting one short segment per call the set-up is a large share of each
 * call: when the merged file is there it is the only table read (one copy of
 * ~7 MB), and the per-database tables (~4 MB each, ~50 ms to read and check)
 * are left unread, since every IPv4 answer comes from the merged table.
 *
 * The file is named by what its answers depend on: the per-database cache
 * files' names (themselves named by their databases' SHA-256), the
 * special-use blocks and this format's version. Written to a temporary name
 * and renamed; a file that fails its checks is rebuilt, never trusted.
 */

import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { mergedIpv4, useMergedIpv4, type GeoResolver } from './geoip.js';
import { rangesCachePath, useCachedIpv4Ranges } from './ipv4-range-cache.js';
import { Ipv4Ranges } from './ipv4-ranges.js';
import { SPECIAL_USE_RANGES } from './special-use.js';

/** Bump when the file layout or the meaning of the merged answers changes. */
const FORMAT_VERSION = 1;
const MAGIC = 0x5452_344d; // "M4RT"
const HEADER_BYTES = 16;
const HASH_CHARS = 24;
const START_BYTES = 4;
const VALUE_BYTES = 8;

/**
 * Gives `geo` its merged IPv4 table from the cache in `dataDir`; when it is
 * missing or damaged, reads (or builds) each database's table, merges them
 * and stores the result.
 */
export async function useCachedMergedIpv4(geo: GeoResolver, options: { dataDir: string }): Promise<void> {
  if (geo.country === null && geo.asn === null) return;
  const path = mergedCachePath(geo, options.dataDir);
  const read = await readFile(path).then(parse, () => null);
  if (read !== null) {
    useMergedIpv4(geo, read);
    return;
  }
  if (geo.country !== null) await useCachedIpv4Ranges(geo.country.lookup, { dataDir: options.dataDir, answer: 'country' });
  if (geo.asn !== null) await useCachedIpv4Ranges(geo.asn.lookup, { dataDir: options.dataDir, answer: 'asn' });
  const table = mergedIpv4(geo);
  if (table === null) return;
  await mkdir(options.dataDir, { recursive: true });
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, serialize(table));
  await rename(tmp, path);
}

function mergedCachePath(geo: GeoResolver, dataDir: string): string {
  const countryId = geo.country === null ? 'none' : rangesCachePath(geo.country.lookup, { dataDir, answer: 'country' });
  const asnId = geo.asn === null ? 'none' : rangesCachePath(geo.asn.lookup, { dataDir, answer: 'asn' });
  const digest = createHash('sha256')
    .update(`${countryId}\n${asnId}\n`)
    .update(bytesOf(SPECIAL_USE_RANGES.starts))
    .update(bytesOf(SPECIAL_USE_RANGES.values))
    .digest('hex').slice(0, HASH_CHARS);
  return join(dataDir, `ipv4-merged-${digest}-v${FORMAT_VERSION}.ranges`);
}
function bytesOf(a: Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function serialize(table: Ipv4Ranges): Buffer {
  const n = table.size;
  const out = Buffer.alloc(HEADER_BYTES + (START_BYTES + VALUE_BYTES) * n);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(FORMAT_VERSION, 4);
  out.writeUInt32LE(n, 8);
  const starts = HEADER_BYTES;
  const values = HEADER_BYTES + START_BYTES * n;
  for (let r = 0; r < n; r++) {
    out.writeUInt32LE(table.starts[r]!, starts + START_BYTES * r);
    out.writeDoubleLE(table.values[r]!, values + VALUE_BYTES * r);
  }
  return out;
}

function parse(bytes: Buffer): Ipv4Ranges | null {
  if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC || bytes.readUInt32LE(4) !== FORMAT_VERSION) return null;
  const n = bytes.readUInt32LE(8);
  if (bytes.length !== HEADER_BYTES + (START_BYTES + VALUE_BYTES) * n) return null;
  const starts = new Uint32Array(n);
  const values = new Float64Array(n);
  const valuesAt = HEADER_BYTES + START_BYTES * n;
  if (endianness() === 'LE') {
    new Uint8Array(starts.buffer).set(bytes.subarray(HEADER_BYTES, valuesAt));
    new Uint8Array(values.buffer).set(bytes.subarray(valuesAt));
  } else {
    for (let r = 0; r < n; r++) {
      starts[r] = bytes.readUInt32LE(HEADER_BYTES + START_BYTES * r);
      values[r] = bytes.readDoubleLE(valuesAt + VALUE_BYTES * r);
    }
  }
  for (let r = 0; r < n; r++) if (!Number.isSafeInteger(values[r]!) || values[r]! < 0) return null;
  return Ipv4Ranges.fromArrays(starts, values);
}
