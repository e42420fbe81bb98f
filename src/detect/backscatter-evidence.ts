/**
 * @module
 * Backscatter evidence: what is kept of DoS backscatter so that attacks can
 * be inferred over a whole telescope, whatever files and sensors the packets
 * came in. One row per (sensor, second, victim, attack protocol, victim
 * port, response kind, sensor address) with its packets and the victim's
 * country. Attacks are a function of these rows alone
 * (`backscatter-attacks.ts`), so cutting a capture into pieces, ingesting
 * them in any order or spreading a flood over several sensors gives the same
 * attacks: the rows of the pieces add up to the rows of the whole.
 *
 * Whole seconds are the resolution: a flood of thousands of answers a second
 * to one address collapses into one row per second, and every threshold
 * (duration, a 60 s window) is stated in whole seconds.
 */

import { KeyCounts, rowBlocks } from '../util/key-counts.js';
import type { BackscatterPacket } from './backscatter-kinds.js';
import { NO_VICTIM_PORT } from './victim-service.js';

/** Evidence rows as columns; `sensorId` says which sensor each row came from. */
export interface EvidenceColumns {
  sensorId: ArrayLike<number>;
  /** Whole seconds since the epoch. */
  sec: ArrayLike<number>;
  victim: ArrayLike<number>;
  proto: ArrayLike<number>;
  /** Victim port, or `NO_VICTIM_PORT` for an attack protocol without ports. */
  port: ArrayLike<number>;
  /** `BackscatterKind` code. */
  kind: ArrayLike<number>;
  /** Sensor (telescope) address the responses reached. */
  dst: ArrayLike<number>;
  /** Packed country of the victim. */
  country: ArrayLike<number>;
  packets: ArrayLike<number>;
}

export interface EvidenceRows {
  rowCount: number;
  columns: EvidenceColumns;
}

/** Store columns of one sensor's evidence (the sensor is the ingest's). */
export type SensorEvidenceColumns = Omit<EvidenceColumns, 'sensorId'>;

/** Third key word: protocol (8 bits) | kind (4 bits) << 8 | port key (17 bits) << 12. */
const KIND_SHIFT = 8;
const PORT_SHIFT = 12;
const PROTO_MASK = 0xff;
const KIND_MASK = 0xf;

/** Collects one sensor's evidence, exact, without an object per packet. */
export class BackscatterEvidence {
  /** Attributed packets added. */
  packets = 0;
  /** [sec, victim, proto | kind | port, dst], tagged with the victim's country. */
  private readonly counts = new KeyCounts(4);

  /** Rows held now. */
  get size(): number {
    return this.counts.size;
  }

  /** Bytes the rows hold. */
  get bytes(): number {
    return this.counts.bytes;
  }

  /**
   * Forgets the rows (once written): rows of the same key written twice add
   * up to the one row they would have been, so attacks do not change.
   */
  clear(): void {
    this.counts.clear();
  }

  /** Adds one attributed response read by `readBackscatter`. */
  add(pkt: BackscatterPacket, sec: number, country: number): void {
    const key = this.counts.key;
    const port = pkt.port < 0 ? NO_VICTIM_PORT : pkt.port;
    key[0] = sec;
    key[1] = pkt.victim;
    key[2] = pkt.proto | (pkt.kind << KIND_SHIFT) | (port << PORT_SHIFT);
    key[3] = pkt.sensor;
    this.counts.add(country);
    this.packets++;
  }

  /** Rows `first … first + count - 1` as columns. */
  private fill(first: number, count: number): SensorEvidenceColumns {
    const t = this.counts;
    const c = {
      sec: new Float64Array(count),
      victim: new Uint32Array(count),
      proto: new Uint8Array(count),
      port: new Uint32Array(count),
      kind: new Uint8Array(count),
      dst: new Uint32Array(count),
      country: new Uint16Array(count),
      packets: new Float64Array(count),
    };
    for (let j = 0; j < count; j++) {
      const e = first + j;
      const packed = t.word(e, 2);
      c.sec[j] = t.word(e, 0);
      c.victim[j] = t.word(e, 1);
      c.proto[j] = packed & PROTO_MASK;
      c.kind[j] = (packed >>> KIND_SHIFT) & KIND_MASK;
      c.port[j] = packed >>> PORT_SHIFT;
      c.dst[j] = t.word(e, 3);
      c.country[j] = t.tag(e);
      c.packets[j] = t.count(e);
    }
    return c;
  }

  /** The rows in store-sized blocks. */
  *blocks(blockRows: number): Generator<{ rowCount: number; columns: SensorEvidenceColumns }> {
    yield* rowBlocks(this.size, blockRows, (first, count) => this.fill(first, count));
  }

  /** Every row, as sensor `sensorId`'s. */
  rows(sensorId: number): EvidenceRows {
    const columns = this.fill(0, this.size);
    return { rowCount: this.size, columns: { ...columns, sensorId: new Int32Array(this.size).fill(sensorId) } };
  }
}
