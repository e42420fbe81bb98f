/**
 * @module
 * Conficker.C peer-to-peer ports, for teiten's rule keyword
 * `teiten_conficker_p2p` (not in Snort or Suricata). A Conficker.C host
 * listens on two TCP and two UDP ports computed from its own IPv4 address
 * and the current epoch week, and scans for peers by sending to those ports
 * of random addresses. So a packet whose destination port equals the port
 * computed for its destination address is, with high probability, a
 * Conficker.C P2P probe: the test SRI's Snort plugin and CAIDA's telescope
 * analysis used, as described in SRI's "Conficker C P2P Protocol and
 * Implementation" (2009) and implemented in Nmap's p2p-conficker script.
 *
 * The generator: a linear congruential sequence (x * 0x15a4e35 + 1, 64-bit
 * product) seeded with the complemented little-endian address; each of ten
 * steps XORs 16 bits of the product's high word (shifted by the step number)
 * into alternate ports, repeated until both ports avoid a fixed blacklist and
 * differ. The second pair continues after mixing in the week number and must
 * also differ from the first pair (SRI's reverse-engineered `portgen`).
 */

const MULTIPLIER = 0x015a4e35;
const STEPS = 10;
const TWO_16 = 0x10000;
const TWO_32 = 0x100000000;
const U32_MAX = 0xffffffff;
const SECONDS_PER_WEEK = 604800;
/** Conficker's weeks start on Monday: 4 days after the Thursday of 1970-01-01. */
const WEEK_START_OFFSET = 345600;
/** One slot per low 16 address bits: a /16 darknet never evicts. */
const CACHE_SLOTS = 0x10000;

/**
 * Ports Conficker never uses, one bit per 32-port block (bit `b` of word
 * `w` covers ports `(w * 32 + b) * 32 ..+31`), as recovered from the binary.
 */
const PORT_BLACKLIST = Uint32Array.of(
  0xffffffff,
  0xffffffff,
  0xf0f6bfbb,
  0xbb5a5ff3,
  0xf3977011,
  0xeb67bfbf,
  0x5f9bfac8,
  0x34d88091,
  0x1e2282df,
  0x573402c4,
  0xc0000084,
  0x03000209,
  0x01600002,
  0x00005000,
  0x801000c0,
  0x00500040,
  0x000000a1,
  0x01000000,
  0x01000000,
  0x00022a20,
  0x00000080,
  0x04000000,
  0x40020000,
  0x88000000,
  0x00000180,
  0x00081000,
  0x08801900,
  0x00800b81,
  0x00000280,
  0x080002c0,
  0x00a80000,
  0x00008000,
  0x00100040,
  0x00100000,
  0x00000000,
  0x00000000,
  0x10000008,
  0x00000000,
  0x00000000,
  0x00000004,
  0x00000002,
  0x00000000,
  0x00040000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00410000,
  0x82000000,
  0x00000000,
  0x00000000,
  0x00000001,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000000,
  0x00000008,
  0x80000000,
);

export function isBlacklistedPort(port: number): boolean {
  const block = port >>> 5;
  return (PORT_BLACKLIST[block >>> 5]! & (1 << (block & 31))) !== 0;
}

/** The epoch week number Conficker seeds its second port pair with. */
export function confickerWeek(unixSeconds: number): number {
  return Math.floor((unixSeconds - WEEK_START_OFFSET) / SECONDS_PER_WEEK);
}

/** Generator state: low word (the sequence) and the ports being built. */
interface State {
  low: number;
  ports: number[];
}

/**
 * Ten steps XORed into ports[first] and ports[first + 1], until both are
 * usable: not blacklisted, different, and (second pair) unlike the first pair.
 */
function generatePair(state: State, first: number): void {
  const m0 = MULTIPLIER & 0xffff;
  const m1 = MULTIPLIER >>> 16;
  do {
    for (let i = 0; i < STEPS; i++) {
      const v0 = state.low & 0xffff;
      const v1 = state.low >>> 16;
      // 64-bit product low * MULTIPLIER + 1, in two 32-bit halves (doubles stay exact below 2^53).
      const middle = v0 * m0 + (v0 * m1 + v1 * m0) * TWO_16;
      let low = middle % TWO_32;
      let high = v1 * m1 + Math.floor(middle / TWO_32);
      if (low === U32_MAX) {
        low = 0;
        high++;
      } else low++;
      state.low = low;
      const slot = first + (i % 2);
      state.ports[slot] = (state.ports[slot]! ^ ((high >>> i) & 0xffff)) >>> 0;
    }
  } while (!usable(state.ports, first));
}

function usable(ports: number[], first: number): boolean {
  const a = ports[first]!;
  const b = ports[first + 1]!;
  if (isBlacklistedPort(a) || isBlacklistedPort(b) || a === b) return false;
  return first === 0 || (a !== ports[0] && a !== ports[1] && b !== ports[0] && b !== ports[1]);
}

/**
 * The four P2P ports of a Conficker.C host at `address` (IPv4 as the
 * batch's `dst4` holds it) in `week`: [tcp, udp, tcp, udp].
 */
export function confickerPorts(address: number, week: number): [number, number, number, number] {
  const littleEndian =
    (((address & 0xff) << 24) |
      (((address >>> 8) & 0xff) << 16) |
      (((address >>> 16) & 0xff) << 8) |
      (address >>> 24)) >>>
    0;
  const state: State = { low: ~littleEndian >>> 0, ports: [0, 0, 0, 0] };
  generatePair(state, 0);
  state.low = (state.low ^ week) >>> 0;
  generatePair(state, 2);
  return state.ports as [number, number, number, number];
}

/** Memoises `confickerPorts` per destination (a darknet's addresses repeat), direct-mapped. */
export class ConfickerPortCache {
  private readonly address = new Float64Array(CACHE_SLOTS).fill(-1);
  private readonly week = new Float64Array(CACHE_SLOTS);
  private readonly ports = new Uint16Array(CACHE_SLOTS * 4);

  /** True when `port` is a Conficker.C P2P port of `address` for TCP (`tcp`) or UDP in `week`. */
  isP2pPort(address: number, week: number, port: number, tcp: boolean): boolean {
    // Conficker never picks a blacklisted port (most well-known and popular ones): no need to generate.
    if (isBlacklistedPort(port)) return false;
    const slot = address & (CACHE_SLOTS - 1);
    if (this.address[slot] !== address || this.week[slot] !== week) {
      const ports = confickerPorts(address, week);
      this.address[slot] = address;
      this.week[slot] = week;
      this.ports.set(ports, slot * 4);
    }
    const base = slot * 4 + (tcp ? 0 : 1);
    return this.ports[base] === port || this.ports[base + 2] === port;
  }
}
