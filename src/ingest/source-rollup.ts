/**
 * @module
 * `SourceRollup`: a capture's exact `source_day` rows. Packets are counted
 * per (local day, source address, service), keyed by three words: the IPv4
 * address (or the dense number of an IPv6 address interned in a 4-word
 * table), the day, and the service with the top bit marking IPv6, in a
 * `PartitionedKeyTable` (a darknet capture makes millions) partitioned by
 * address and day. They leave as the store keeps them: one row per (day,
 * source) with its services and packets as lists, grouped
 * one partition at a time (`source-groups.ts`), so the grouping needs memory
 * for one partition only. Rows carry source keys (`source-key.ts`): an IPv4
 * address is its own key; IPv6 keys come from the store at the end.
 */

import type { EnrichedBatch } from '../classify/index.js';
import type { SourceKeyColumns } from '../store/index.js';
import { PartitionedKeyTable } from './partitioned-key-table.js';
import { SourceBlock } from './source-block.js';
import { SourceGroups } from './source-groups.js';
import { WordKeyTable } from '../util/word-key-table.js';
import { formatIpv6 } from '../util/ip-address.js';

const HOURS_PER_DAY = 24;
const IPV6_BYTES = 16;
const IPV6_WORDS = 4;
const INITIAL_ROWS = 4096;
const V6_INITIAL_ENTRIES = 64;
/** Bytes per row outside the key table: packets (f64), country (u16), ASN (u32). */
const ROW_PAYLOAD_BYTES = 8 + 2 + 4;
/** Service keys use 25 bits; bit 31 of the key word says the source is an IPv6 address. */
const V6_FLAG = 0x8000_0000;
const SERVICE_MASK = 0x7fff_ffff;
/** Staged record: the three key words (address, day, service), then country and ASN. */
const RECORD_WORDS = 5;
/** Key words that choose the partition: address and day, so a source-day's services share one. */
const PARTITION_WORDS = 2;

export class SourceRollup {
  private readonly rows = new PartitionedKeyTable(
    3,
    RECORD_WORDS - 3,
    (id, isNew, records, at) => {
      if (isNew) {
        if (id >= this.packets.length) this.grow();
        this.country[id] = records[at + 3]!;
        this.asn[id] = records[at + 4]!;
      }
      this.packets[id]! += 1;
    },
    { partitionWords: PARTITION_WORDS },
  );
  private v6 = new WordKeyTable(IPV6_WORDS, V6_INITIAL_ENTRIES);
  private packets = new Float64Array(INITIAL_ROWS);
  private country = new Uint16Array(INITIAL_ROWS);
  private asn = new Uint32Array(INITIAL_ROWS);
  private readonly record = new Uint32Array(RECORD_WORDS);
  private readonly v6Key = new Uint32Array(IPV6_WORDS);
  private readonly v6Bytes = new Uint8Array(IPV6_BYTES);

  /** (Day, source, service) entries so far (staged packets are applied first). */
  get size(): number {
    this.rows.flush();
    return this.rows.size;
  }

  /**
   * Bytes held (the key table, the IPv6 addresses and the per-row arrays),
   * plus what the staged packets would add as new rows (`projectedBytes`).
   */
  get bytes(): number {
    return (
      this.rows.projectedBytes(ROW_PAYLOAD_BYTES) +
      this.v6.bytes +
      this.packets.byteLength +
      this.country.byteLength +
      this.asn.byteLength
    );
  }

  /**
   * Forgets every row and IPv6 address and lets go of their memory: called
   * once `blocks` has handed the rows to the writer. A (day, source) seen
   * after this gets another row, and every figure is a packet sum or a
   * distinct count over the unnested rows, which a repeated row does not change.
   */
  clear(): void {
    this.rows.clear();
    this.v6 = new WordKeyTable(IPV6_WORDS, V6_INITIAL_ENTRIES);
    this.packets = new Float64Array(INITIAL_ROWS);
    this.country = new Uint16Array(INITIAL_ROWS);
    this.asn = new Uint32Array(INITIAL_ROWS);
  }

  /** Adds packets with `sensorOf[i] === sensorId`; `hours[i]` is the local hour number. */
  add(enriched: EnrichedBatch, input: { sensorOf: Int32Array; sensorId: number; hours: Float64Array }): void {
    const { sensorOf, sensorId, hours } = input;
    const { batch, service } = enriched;
    const { ipVersion, src4, src6 } = batch;
    const record = this.record;
    for (let i = 0; i < batch.length; i++) {
      if (sensorOf[i] !== sensorId) continue;
      if (ipVersion[i] === 6) {
        record[0] = this.internV6(src6, i * IPV6_BYTES);
        record[2] = service[i]! | V6_FLAG;
      } else {
        record[0] = src4[i]!;
        record[2] = service[i]!;
      }
      record[1] = Math.floor(hours[i]! / HOURS_PER_DAY);
      record[3] = enriched.country[i]!;
      record[4] = enriched.asn[i]!;
      this.rows.add(record);
    }
  }

  /** Canonical text of the IPv6 sources, in the order `blocks` wants their keys. */
  ipv6Texts(): string[] {
    return Array.from({ length: this.v6.size }, (_, id) => this.formatV6(id));
  }

  /**
   * The rows as columns, one per (day, source) with its services sorted
   * and the packets to each (and the source's country and ASN), in blocks of at most
   * `blockRows` rows, with `ipv6Keys[i]` the store's key of
   * `ipv6Texts()[i]`; the arrays are refilled for every block, so use each
   * before asking for the next.
   */
  *blocks(blockRows: number, ipv6Keys: readonly number[]): Generator<SourceKeyColumns> {
    if (ipv6Keys.length !== this.v6.size)
      throw new RangeError(`${ipv6Keys.length} IPv6 source keys for ${this.v6.size} IPv6 sources`);
    const rows = this.rows;
    rows.flush();
    const block = new SourceBlock(blockRows);
    const groups = new SourceGroups();
    const { country, asn, packets } = this;
    for (const { table, ids } of rows.partitions()) {
      // Rows by the partition's own key words (address, day, IPv6 flag): no read by global id while grouping.
      groups.group(ids.length, {
        fillKey: (j, key) => {
          key[0] = table.word(j, 0);
          key[1] = table.word(j, 1);
          key[2] = table.word(j, 2) & V6_FLAG;
        },
        serviceOf: (j) => table.word(j, 2) & SERVICE_MASK,
      });
      for (let g = 0; g < groups.count; g++) {
        const first = groups.entryAt(groups.start(g));
        const address = table.word(first, 0);
        const src = (table.word(first, 2) & V6_FLAG) === 0 ? address : ipv6Keys[address]!;
        let rowCountry = -1;
        let rowAsn = -1;
        for (let k = groups.start(g); k < groups.start(g + 1); k++) {
          const j = groups.entryAt(k);
          const id = ids[j]!;
          // A source's country and ASN come from one GeoIP lookup per ingest, so they agree; should they not,
          // the source gets another row, which (like a flush's repeated row) no figure sees.
          if (country[id] !== rowCountry || asn[id] !== rowAsn) {
            if (block.rowCount === blockRows) {
              yield block.columns();
              block.reset();
            }
            const r = block.startRow();
            block.localDay[r] = table.word(first, 1) | 0;
            block.src[r] = src;
            block.country[r] = rowCountry = country[id]!;
            block.asn[r] = rowAsn = asn[id]!;
          }
          block.addItem(table.word(j, 2) & SERVICE_MASK, packets[id]!);
        }
      }
    }
    if (block.rowCount > 0) yield block.columns();
  }

  /** Dense number of the IPv6 address at `bytes[at]`. */
  private internV6(bytes: Uint8Array, at: number): number {
    const k = this.v6Key;
    for (let w = 0; w < IPV6_WORDS; w++) {
      const o = at + 4 * w;
      k[w] = ((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0;
    }
    return this.v6.insert(k);
  }

  private formatV6(id: number): string {
    const out = this.v6Bytes;
    for (let w = 0; w < IPV6_WORDS; w++) {
      const word = this.v6.word(id, w);
      out[4 * w] = word >>> 24;
      out[4 * w + 1] = (word >>> 16) & 0xff;
      out[4 * w + 2] = (word >>> 8) & 0xff;
      out[4 * w + 3] = word & 0xff;
    }
    return formatIpv6(out, 0);
  }

  private grow(): void {
    const n = this.packets.length * 2;
    const packets = new Float64Array(n);
    packets.set(this.packets);
    const country = new Uint16Array(n);
    country.set(this.country);
    const asn = new Uint32Array(n);
    asn.set(this.asn);
    this.packets = packets;
    this.country = country;
    this.asn = asn;
  }
}
