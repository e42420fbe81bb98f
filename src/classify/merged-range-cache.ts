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
import { join } from 'node:path';
import { mergedIpv4, useMergedIpv4, type GeoResolver } from './geoip.js';
import { rangesCachePath, useCachedIpv4Ranges } from './ipv4-range-cache.js';
import { IPV4_DIRECTORY_ENTRIES, Ipv4Ranges } from './ipv4-ranges.js';
import { SPECIAL_USE_RANGES } from './special-use.js';
import { ARRAYS_AT, openSealed, seal, sealedBuffer } from './sealed-file.js';

/** Bump when the file layout or the meaning of the merged answers changes. */
const FORMAT_VERSION = 2;
/** "M4RT". */
const KIND = { magic: 0x5452_344d, version: FORMAT_VERSION };
const HASH_CHARS = 24;

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
  if (geo.country !== null)
    await useCachedIpv4Ranges(geo.country.lookup, { dataDir: options.dataDir, answer: 'country' });
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
    .digest('hex')
    .slice(0, HASH_CHARS);
  return join(dataDir, `ipv4-merged-${digest}-v${FORMAT_VERSION}.ranges`);
}
function bytesOf(a: Uint32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Layout after the sealed header (`sealed-file.ts`): starts (4 bytes each);
 * the /16 directory; values (8 bytes each, 8-aligned). The arrays are used
 * in place once the checksum holds.
 */
const WORD = 4;
const DOUBLE = 8;

function layout(n: number): { directoryAt: number; valuesAt: number; bytes: number } {
  const directoryAt = ARRAYS_AT + WORD * n;
  const directoryEnd = directoryAt + WORD * IPV4_DIRECTORY_ENTRIES;
  const valuesAt = Math.ceil(directoryEnd / DOUBLE) * DOUBLE;
  return { directoryAt, valuesAt, bytes: valuesAt + DOUBLE * n };
}

function serialize(table: Ipv4Ranges): Buffer {
  const { starts, values, directory } = table.parts();
  const n = starts.length;
  const at = layout(n);
  const out = sealedBuffer(KIND, n, at.bytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let r = 0; r < n; r++) view.setUint32(ARRAYS_AT + WORD * r, starts[r]!, true);
  for (let k = 0; k < directory.length; k++) view.setUint32(at.directoryAt + WORD * k, directory[k]!, true);
  for (let r = 0; r < n; r++) view.setFloat64(at.valuesAt + DOUBLE * r, values[r]!, true);
  return seal(out);
}

/** The table in `bytes`, or null when it is not one this version wrote intact (then it is rebuilt). */
function parse(bytes: Buffer): Ipv4Ranges | null {
  const n = openSealed(bytes, KIND, (count) => layout(count).bytes);
  if (n === null) return null;
  const at = layout(n);
  // Typed arrays need their own alignment: a pooled or offset Buffer is copied once.
  const own = bytes.byteOffset % DOUBLE === 0 ? bytes : Buffer.from(bytes);
  const { buffer, byteOffset } = own;
  return Ipv4Ranges.fromVerifiedParts({
    starts: new Uint32Array(buffer, byteOffset + ARRAYS_AT, n),
    directory: new Uint32Array(buffer, byteOffset + at.directoryAt, IPV4_DIRECTORY_ENTRIES),
    values: new Float64Array(buffer, byteOffset + at.valuesAt, n),
  });
}
