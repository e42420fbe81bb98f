import { Reader } from 'mmdb-lib';
import { describe, expect, it } from 'vitest';
import { MmdbDatabase } from './mmdb-database.js';
import { MmdbLookup } from './mmdb-lookup.js';
import { MmdbTree } from './mmdb-tree.js';
import { MmdbWriter, type RecordSize } from './mmdb-writer.js';
import { formatIpv4, formatIpv6, parseIpv6 } from '../util/ip-address.js';

let seed = 99;
const rand32 = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);

/** First and last addresses of the IPv4 networks `db()` inserted, and their neighbours. */
const edges: number[] = [];

/** A database with networks of every size from /1 to /32 (and IPv6 ones), values = their text. */
function db(ipVersion: 4 | 6, recordSize: RecordSize, padding = 0): MmdbDatabase {
  const w = new MmdbWriter({ databaseType: 't', ipVersion, recordSize, mergeAdjacent: false });
  if (padding > 0) {
    w.insert('0.0.0.0/32', new Uint8Array(padding));
    w.insert('0.0.0.1/32', new Uint8Array(padding).fill(1));
  }
  for (let len = 1; len <= 32; len++) {
    const start = (rand32() >>> (32 - len)) * 2 ** (32 - len);
    const end = start + 2 ** (32 - len) - 1;
    edges.push(start, end, Math.max(0, start - 1), Math.min(0xffffffff, end + 1));
    w.insert(`${formatIpv4(start)}/${len}`, `${formatIpv4(start)}/${len}`);
  }
  if (ipVersion === 6) {
    for (const net of ['2001:db8::/32', '2001:db8:1::/48', '2001:db8:1:2::/64', '2400::/12', 'fe80::1/128'])
      w.insert(net, net);
  }
  return MmdbDatabase.fromBuffer(w.toBuffer(), `t${ipVersion}-${recordSize}.mmdb`);
}

function probes4(): number[] {
  const out: number[] = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, ...edges];
  for (let k = 0; k < 3000; k++) out.push(rand32());
  return out;
}

describe('MmdbTree', () => {
  for (const [ipVersion, recordSize, padding] of [
    [4, 24, 0],
    [6, 24, 0],
    [4, 28, 0],
    [6, 28, 0],
    [6, 28, 9_000_000],
    [4, 32, 0],
    [6, 32, 0],
  ] as const) {
    it(`MmdbTree.walk4() agrees with mmdb-lib on record and prefix (IPv${ipVersion}, ${recordSize}-bit${padding ? ', pointers above 2^24' : ''})`, () => {
      const d = db(ipVersion, recordSize, padding);
      const tree = new MmdbTree(d);
      const reader = new Reader(d.bytes);
      // A distinct number per record: answers only match if every pointer read is right.
      const ids = new Map<string, number>();
      const lookup = new MmdbLookup(d, {
        extract: (r) => (r === null ? 0 : (ids.get(String(r)) ?? ids.set(String(r), ids.size + 1).size)),
      });
      for (const addr of probes4()) {
        const text = formatIpv4(addr);
        const [rec, len] = reader.getWithPrefixLength(text);
        const record = tree.walk4(addr);
        expect(record > tree.nodeCount, text).toBe(rec !== null);
        expect(tree.depth, text).toBe(len);
        expect(lookup.lookup4(addr), text).toBe(lookup.lookupText(text));
      }
    });
  }

  it('MmdbTree.walk6() agrees with mmdb-lib on IPv6 addresses', () => {
    const d = db(6, 24);
    const tree = new MmdbTree(d);
    const reader = new Reader(d.bytes);
    const bytes = new Uint8Array(16);
    const fixed = [
      '2001:db8:1:2::5',
      '2001:db8:1:3::',
      '2001:db8:ffff::',
      '2400::1',
      '240f:ffff::',
      'fe80::1',
      'fe80::2',
      '::',
      '::1.2.3.4',
    ];
    for (const text of fixed) {
      const [rec, len] = reader.getWithPrefixLength(text);
      expect(tree.walk6(parseIpv6(text), 0) > tree.nodeCount, text).toBe(rec !== null);
      expect(tree.depth, text).toBe(len);
    }
    for (let k = 0; k < 2000; k++) {
      for (let i = 0; i < 16; i += 4) new DataView(bytes.buffer).setUint32(i, rand32());
      if (k % 2 === 0) {
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = 0xb8;
      }
      if (k % 4 === 1) {
        bytes[4] = 0;
        bytes[5] = 1;
        bytes[6] = 0;
        bytes[7] = 2;
      }
      const text = formatIpv6(bytes);
      const [rec, len] = reader.getWithPrefixLength(text);
      const record = tree.walk6(bytes, 0);
      expect(record > tree.nodeCount, text).toBe(rec !== null);
      expect(tree.depth, text).toBe(len);
    }
  });
});

describe('MmdbLookup', () => {
  it('MmdbLookup gives exact answers through a tiny, constantly evicting cache', () => {
    const d = db(6, 24);
    const lookup = new MmdbLookup(d, {
      extract: (r) => (r === null ? 0 : Number.parseInt(String(r).split('/')[1]!, 10)),
      maxEntries: 16,
    });
    const probes = probes4();
    for (let round = 0; round < 2; round++) {
      for (const addr of probes) {
        for (const a of [addr, (addr ^ 1) >>> 0, (addr ^ 0x80) >>> 0]) {
          expect(lookup.lookup4(a), formatIpv4(a)).toBe(lookup.lookupText(formatIpv4(a)));
        }
      }
    }
    expect(lookup.stats.hits).toBeGreaterThan(0);
    expect(lookup.stats.misses).toBeGreaterThan(probes.length);
  });

  it('MmdbLookup rejects a cache size out of range', () => {
    expect(() => new MmdbLookup(db(4, 24), { extract: () => 0, maxEntries: 0 })).toThrow(RangeError);
  });
});
