/**
 * A resolver rebuilt from its transfer answers every address as the
 * original: bundled databases with their range tables and the merged table,
 * and databases without ranges; IPv4, special-use and IPv6 sources.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PacketBatch } from '../decode/batch.js';
import { uniform } from '../util/random.js';
import { openCountryDb, openGeoResolver } from './geo-sources.js';
import { geoFromTransfer, geoTransfer } from './geo-transfer.js';
import { fillGeo, mergedIpv4, type GeoResolver } from './geoip.js';

const N = 20_000;

/** Random IPv4 sources (some special-use), and IPv6 ones from the bundled country table's space. */
function sources(): PacketBatch {
  const batch = new PacketBatch(N, 1);
  const draw = uniform(7);
  for (let i = 0; i < N; i++) {
    if (i % 10 === 9) {
      batch.ipVersion[i] = 6;
      for (let b = 0; b < 16; b++) batch.src6[i * 16 + b] = b < 2 ? [0x20, 0x01][b]! : Math.floor(draw() * 256);
    } else {
      batch.ipVersion[i] = 4;
      batch.src4[i] = i % 10 === 8 ? 0xc0a8_0000 + i : Math.floor(draw() * 2 ** 32);
    }
  }
  batch.length = N;
  return batch;
}

function answers(geo: GeoResolver, batch: PacketBatch): { country: number[]; asn: number[] } {
  const country = new Uint16Array(N);
  const asn = new Uint32Array(N);
  fillGeo(batch, { geo, country, asn });
  return { country: Array.from(country), asn: Array.from(asn) };
}

describe('geoTransfer()', () => {
  it('rebuilds the bundled resolver with its ranges and merged table, answering as the original', async () => {
    const original = await openGeoResolver({ dataDir: mkdtempSync(join(tmpdir(), 'teiten-geo-transfer-')) });
    const transfer = geoTransfer(original);
    expect(transfer.merged).not.toBeNull();
    const copy = geoFromTransfer(structuredClone(transfer));
    expect(copy.country!.lookup.builtIpv4Ranges).toBeDefined();
    expect(mergedIpv4(copy)!.values).toEqual(mergedIpv4(original)!.values);
    const batch = sources();
    const want = answers(original, batch);
    expect(new Set(want.country).size).toBeGreaterThan(50);
    expect(answers(copy, batch)).toEqual(want);
    expect(copy.country!.description).toEqual(original.country!.description);
    // The bundled ASN data crosses as its CSV files' names: the copy reads the IPv6 file itself.
    expect(original.asn!.csv).not.toBeNull();
    expect(copy.asn!.description).toEqual(original.asn!.description);
    expect(want.asn.filter((a, i) => i % 10 === 9 && a !== 0).length).toBeGreaterThan(10);
  }, 60_000);

  it('rebuilds databases that answer from their trees', async () => {
    const original: GeoResolver = { country: openCountryDb(), asn: null };
    const transfer = geoTransfer(original);
    expect(transfer).toMatchObject({ asn: null, merged: null, country: { ranges: null } });
    const copy = geoFromTransfer(structuredClone(transfer));
    const batch = sources();
    expect(answers(copy, batch)).toEqual(answers(original, batch));
  });
});
