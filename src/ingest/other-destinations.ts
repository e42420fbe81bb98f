import { formatIpv4 } from '../util/ip-address.js';
/**
 * @module
 * Where the packets an ingest excluded as "to another address" were going:
 * the IPv4 destinations seen most, so that a capture that does not match its
 * sensor (wrong `--sensor`, or addresses typed wrong at `sensors add`) can
 * be refused with what the sensor should have been. Excluded packets are
 * rare on a darknet sensor, so a bounded Map is enough here.
 */

/** Distinct destinations tracked; later new ones are only counted in `untracked`. */
const MAX_TRACKED = 65_536;

export interface DestinationCount {
  /** Dotted IPv4 address, or `non-IPv4` for IPv6 and non-IP packets together. */
  destination: string;
  packets: number;
}

export class OtherDestinations {
  private readonly counts = new Map<number, number>();
  nonIpv4 = 0;
  untracked = 0;

  add(dst4: number): void {
    const known = this.counts.get(dst4);
    if (known !== undefined) this.counts.set(dst4, known + 1);
    else if (this.counts.size < MAX_TRACKED) this.counts.set(dst4, 1);
    else this.untracked++;
  }

  /** The `n` destinations with most packets (ties: lower address first), non-IPv4 packets as one. */
  top(n: number): DestinationCount[] {
    const all: Array<[number, number]> = [...this.counts];
    if (this.nonIpv4 > 0) all.push([-1, this.nonIpv4]);
    return all
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, n)
      .map(([dst, packets]) => ({ destination: dst < 0 ? 'non-IPv4' : formatIpv4(dst), packets }));
  }
}
