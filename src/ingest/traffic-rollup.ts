/**
 * @module
 * `TrafficRollup`: a capture's `traffic_hour` rows, aggregated in memory as
 * the packets stream by. The key is (local hour, service, source port class,
 * country × flag class × packet class × IP version) in four 32-bit words of a
 * `PartitionedKeyTable` (random destination ports of backscatter make
 * hundreds of thousands of rows); packet and byte sums sit in typed arrays
 * indexed by entry.
 *
 * Bytes are wire lengths, as the store's contract fixtures count them.
 */

import type { EnrichedBatch } from '../classify/index.js';
import { type RowColumns, sportClassOf, type TrafficRow } from '../store/index.js';
import { PartitionedKeyTable } from './partitioned-key-table.js';

const HOURS_PER_DAY = 24;
const INITIAL_ROWS = 1024;
const KEY_WORDS = 4;
/** Bytes per row outside the key table: packet and byte sums (f64 each). */
const ROW_PAYLOAD_BYTES = 8 + 8;
/** Bit positions in the third key word. */
const COUNTRY_SHIFT = 16;
const FLAG_SHIFT = 12;
const CLASS_SHIFT = 8;
const NIBBLE = 0xf;
const BYTE = 0xff;

/** Staged record: the key, then the wire length. */
const RECORD_WORDS = KEY_WORDS + 1;

export class TrafficRollup {
  private readonly rows = new PartitionedKeyTable(KEY_WORDS, RECORD_WORDS - KEY_WORDS, (id, isNew, records, at) => {
    if (isNew && id >= this.packets.length) this.grow();
    this.packets[id]! += 1;
    this.bytesSums[id]! += records[at + KEY_WORDS]!;
  });
  private packets = new Float64Array(INITIAL_ROWS);
  private bytesSums = new Float64Array(INITIAL_ROWS);
  private readonly record = new Uint32Array(RECORD_WORDS);

  /** Rows so far (staged packets are applied first). */
  get size(): number {
    this.rows.flush();
    return this.rows.size;
  }

  /** Bytes held (the key table and the sums), plus what the staged packets would add as new rows. */
  get bytes(): number {
    return this.rows.projectedBytes(ROW_PAYLOAD_BYTES) + this.packets.byteLength + this.bytesSums.byteLength;
  }

  /** Forgets every row and lets go of its memory (after `blocks` handed them to the writer); sums are additive. */
  clear(): void {
    this.rows.clear();
    this.packets = new Float64Array(INITIAL_ROWS);
    this.bytesSums = new Float64Array(INITIAL_ROWS);
  }

  /**
   * Adds packets `i < batch.length` with `sensorOf[i] === sensorId`;
   * `hours[i]` is packet i's local hour number (`TzClock.localHour`).
   */
  add(enriched: EnrichedBatch, input: { sensorOf: Int32Array; sensorId: number; hours: Float64Array }): void {
    const { sensorOf, sensorId, hours } = input;
    const { batch, service, srcService, country, flagClass, packetClass } = enriched;
    const { ipVersion, wireLen } = batch;
    const record = this.record;
    for (let i = 0; i < batch.length; i++) {
      if (sensorOf[i] !== sensorId) continue;
      record[0] = hours[i]!;
      record[1] = service[i]!;
      record[2] = sportClassOf(srcService[i]!, packetClass[i]!);
      record[3] =
        (country[i]! << COUNTRY_SHIFT) |
        (flagClass[i]! << FLAG_SHIFT) |
        (packetClass[i]! << CLASS_SHIFT) |
        ipVersion[i]!;
      record[4] = wireLen[i]!;
      this.rows.add(record);
    }
  }

  /**
   * The rows as columns, in blocks of at most `blockRows`; one set of typed
   * arrays is refilled for every block, so use each before asking for the next.
   */
  *blocks(blockRows: number): Generator<RowColumns<TrafficRow>> {
    const columns = {
      localDay: new Int32Array(blockRows),
      localHour: new Uint8Array(blockRows),
      ipVersion: new Uint8Array(blockRows),
      service: new Uint32Array(blockRows),
      sportClass: new Uint32Array(blockRows),
      country: new Uint16Array(blockRows),
      flagClass: new Uint8Array(blockRows),
      packetClass: new Uint8Array(blockRows),
      packets: new Float64Array(blockRows),
      bytes: new Float64Array(blockRows),
    };
    const rows = this.rows;
    rows.flush();
    for (let first = 0; first < rows.size; first += blockRows) {
      const rowCount = Math.min(blockRows, rows.size - first);
      for (let r = 0; r < rowCount; r++) {
        const entry = first + r;
        const hour = rows.word(entry, 0) | 0;
        const day = Math.floor(hour / HOURS_PER_DAY);
        const packed = rows.word(entry, 3);
        columns.localDay[r] = day;
        columns.localHour[r] = hour - day * HOURS_PER_DAY;
        columns.ipVersion[r] = packed & BYTE;
        columns.service[r] = rows.word(entry, 1);
        columns.sportClass[r] = rows.word(entry, 2);
        columns.country[r] = packed >>> COUNTRY_SHIFT;
        columns.flagClass[r] = (packed >>> FLAG_SHIFT) & NIBBLE;
        columns.packetClass[r] = (packed >>> CLASS_SHIFT) & NIBBLE;
        columns.packets[r] = this.packets[entry]!;
        columns.bytes[r] = this.bytesSums[entry]!;
      }
      yield { rowCount, columns };
    }
  }

  private grow(): void {
    const packets = new Float64Array(this.packets.length * 2);
    packets.set(this.packets);
    const bytes = new Float64Array(this.bytesSums.length * 2);
    bytes.set(this.bytesSums);
    this.packets = packets;
    this.bytesSums = bytes;
  }
}
