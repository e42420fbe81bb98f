/**
 * @module
 * `SourceRollup`: a capture's exact `source_day` rows: one per (local day,
 * source address, service) with its packets, and the source's country and
 * ASN. Keys are three words: the IPv4 address (or the dense number of an
 * IPv6 address interned in a 4-word table), the service with the top bit
 * marking IPv6, and the day, aggregated in a `PartitionedKeyTable` (a
 * darknet capture makes millions). Rows carry source keys (`source-key.ts`):
 * an IPv4 address is its own key; IPv6 keys come from the store at the end.
 */

import type { EnrichedBatch } from '../classify/enrich.js';
import { formatIpv6 } from '../decode/address.js';
import type { RowColumns, SourceKeyRow } from '../store/index.js';
import { PartitionedKeyTable } from './partitioned-key-table.js';
import { WordKeyTable } from '../util/word-key-table.js';

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
/** Staged record: the three key words, then country and ASN. */
const RECORD_WORDS = 5;

export class SourceRollup {
  private readonly rows = new PartitionedKeyTable(3, RECORD_WORDS - 3, (id, isNew, records, at) => {
    if (isNew) {
      if (id >= this.packets.length) this.grow();
      this.country[id] = records[at + 3]!;
      this.asn[id] = records[at + 4]!;
    }
    this.packets[id]! += 1;
  });
  private v6 = new WordKeyTable(IPV6_WORDS, V6_INITIAL_ENTRIES);
  private packets = new Float64Array(INITIAL_ROWS);
  private country = new Uint16Array(INITIAL_ROWS);
  private asn = new Uint32Array(INITIAL_ROWS);
  private readonly record = new Uint32Array(RECORD_WORDS);
  private readonly v6Key = new Uint32Array(IPV6_WORDS);
  private readonly v6Bytes = new Uint8Array(IPV6_BYTES);

  /** Rows so far (staged packets are applied first). */
  get size(): number {
    this.rows.flush();
    return this.rows.size;
  }

  /**
   * Bytes held (the key table, the IPv6 addresses and the per-row arrays),
   * plus what the staged packets would add as new rows (`projectedBytes`).
   */
  get bytes(): number {
    return this.rows.projectedBytes(ROW_PAYLOAD_BYTES) + this.v6.bytes + this.packets.byteLength + this.country.byteLength + this.asn.byteLength;
  }

  /**
   * Forgets every row and IPv6 address and lets go of their memory: called
   * once `blocks` has handed the rows to the writer. Rows of the same (day,
   * source, service) after this are written again, and every figure is a
   * packet sum or a distinct count, which a repeated row does not change.
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
        record[1] = service[i]! | V6_FLAG;
      } else {
        record[0] = src4[i]!;
        record[1] = service[i]!;
      }
      record[2] = Math.floor(hours[i]! / HOURS_PER_DAY);
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
   * The rows as columns, in blocks of at most `blockRows`, with `ipv6Keys[i]`
   * the store's key of `ipv6Texts()[i]`; the arrays are refilled for every
   * block, so use each before asking for the next.
   */
  *blocks(blockRows: number, ipv6Keys: readonly number[]): Generator<RowColumns<SourceKeyRow>> {
    if (ipv6Keys.length !== this.v6.size) throw new RangeError(`${ipv6Keys.length} IPv6 source keys for ${this.v6.size} IPv6 sources`);
    const columns = {
      localDay: new Int32Array(blockRows), src: new Float64Array(blockRows), country: new Uint16Array(blockRows),
      asn: new Uint32Array(blockRows), service: new Uint32Array(blockRows), packets: new Float64Array(blockRows),
    };
    const rows = this.rows;
    rows.flush();
    for (let first = 0; first < rows.size; first += blockRows) {
      const rowCount = Math.min(blockRows, rows.size - first);
      for (let r = 0; r < rowCount; r++) {
        const entry = first + r;
        const address = rows.word(entry, 0);
        const serviceWord = rows.word(entry, 1);
        columns.localDay[r] = rows.word(entry, 2) | 0;
        columns.src[r] = (serviceWord & V6_FLAG) === 0 ? address : ipv6Keys[address]!;
        columns.country[r] = this.country[entry]!;
        columns.asn[r] = this.asn[entry]!;
        columns.service[r] = serviceWord & SERVICE_MASK;
        columns.packets[r] = this.packets[entry]!;
      }
      yield { rowCount, columns };
    }
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
