/**
 * @module
 * `AddressMatcher`: which sensor, if any, a packet's destination belongs to.
 * Built once from the registered sensors; the ingest pipeline runs `fill`
 * over every batch, so the per-packet path is a binary search over sorted
 * IPv4 ranges (with the last hit cached: telescope traffic hits one block
 * in long runs) or a scan of the few IPv6 prefixes, without allocation.
 */

import type { PacketBatch } from '../decode/index.js';
import { ipv6Network } from './address-block.js';
import type { Sensor } from './store.js';

/** `fill`/`match*` result for an address no sensor monitors. */
export const NO_SENSOR = -1;
const IPV6_BYTES = 16;
const BITS_PER_BYTE = 8;

export class AddressMatcher {
  /** IPv4 blocks sorted by first address; never overlapping. */
  private readonly v4First: Float64Array;
  private readonly v4Last: Float64Array;
  private readonly v4Sensor: Int32Array;
  /** IPv6 networks, 16 bytes each, with their prefix lengths and sensors. */
  private readonly v6Bytes: Uint8Array;
  private readonly v6Prefix: Uint8Array;
  private readonly v6Sensor: Int32Array;
  private lastHit = 0;

  private constructor(
    v4: readonly (readonly [number, number, number])[],
    v6: readonly (readonly [Uint8Array, number, number])[],
  ) {
    const sorted = [...v4].sort((a, b) => a[0] - b[0]);
    this.v4First = Float64Array.from(sorted, (r) => r[0]);
    this.v4Last = Float64Array.from(sorted, (r) => r[1]);
    this.v4Sensor = Int32Array.from(sorted, (r) => r[2]);
    for (let k = 1; k < sorted.length; k++) {
      if (this.v4First[k]! <= this.v4Last[k - 1]!) {
        throw new RangeError(
          `Cannot match addresses: IPv4 blocks of sensors ${this.v4Sensor[k - 1]} and ${this.v4Sensor[k]} overlap`,
        );
      }
    }
    this.v6Bytes = new Uint8Array(v6.length * IPV6_BYTES);
    v6.forEach(([bytes], k) => this.v6Bytes.set(bytes, k * IPV6_BYTES));
    this.v6Prefix = Uint8Array.from(v6, (e) => e[1]);
    this.v6Sensor = Int32Array.from(v6, (e) => e[2]);
  }

  /** A matcher over every address of `sensors` (the store guarantees they do not overlap). */
  static fromSensors(sensors: readonly Pick<Sensor, 'id' | 'addresses'>[]): AddressMatcher {
    const v4: [number, number, number][] = [];
    const v6: [Uint8Array, number, number][] = [];
    for (const sensor of sensors) {
      for (const block of sensor.addresses) {
        if (block.family === 4) v4.push([block.v4First, block.v4Last, sensor.id]);
        else v6.push([ipv6Network(block), block.prefixLen, sensor.id]);
      }
    }
    return new AddressMatcher(v4, v6);
  }

  /** Number of blocks matched against. */
  get size(): number {
    return this.v4Sensor.length + this.v6Sensor.length;
  }

  /** Sensor id of an IPv4 address (unsigned 32-bit), or `NO_SENSOR`. */
  match4(address: number): number {
    const first = this.v4First;
    const last = this.v4Last;
    const hit = this.lastHit;
    if (hit < first.length && address >= first[hit]! && address <= last[hit]!) return this.v4Sensor[hit]!;
    let lo = 0;
    let hi = first.length - 1;
    let found = -1;
    // Last block whose first address is <= address.
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (first[mid]! <= address) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0 || address > last[found]!) return NO_SENSOR;
    this.lastHit = found;
    return this.v4Sensor[found]!;
  }

  /** Sensor id of the IPv6 address in the 16 bytes at `bytes[offset]`, or `NO_SENSOR`. */
  match6(bytes: Uint8Array, offset: number): number {
    const nets = this.v6Bytes;
    const count = this.v6Sensor.length;
    for (let k = 0; k < count; k++) {
      const prefix = this.v6Prefix[k]!;
      const base = k * IPV6_BYTES;
      const whole = prefix >>> 3;
      let same = true;
      for (let b = 0; b < whole; b++) {
        if (bytes[offset + b] !== nets[base + b]) {
          same = false;
          break;
        }
      }
      if (!same) continue;
      const rest = prefix & (BITS_PER_BYTE - 1);
      if (rest !== 0) {
        const mask = (0xff << (BITS_PER_BYTE - rest)) & 0xff;
        if ((bytes[offset + whole]! & mask) !== nets[base + whole]) continue;
      }
      return this.v6Sensor[k]!;
    }
    return NO_SENSOR;
  }

  /**
   * Writes the sensor id of each packet's destination into `out[i]` for
   * `i < batch.length` (`NO_SENSOR` for other addresses and non-IP packets)
   * and returns how many packets matched a sensor.
   */
  fill(batch: PacketBatch, out: Int32Array): number {
    const n = batch.length;
    if (out.length < n) throw new RangeError(`Cannot match addresses: output holds ${out.length} of ${n} packets`);
    const { ipVersion, dst4, dst6 } = batch;
    let matched = 0;
    for (let i = 0; i < n; i++) {
      const version = ipVersion[i];
      const id = version === 4 ? this.match4(dst4[i]!) : version === 6 ? this.match6(dst6, i * IPV6_BYTES) : NO_SENSOR;
      out[i] = id;
      if (id !== NO_SENSOR) matched++;
    }
    return matched;
  }
}
