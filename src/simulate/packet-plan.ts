/**
 * @module
 * `PacketPlan`: the packets of one sensor-day as columns (time, stream,
 * addresses, ports and the per-packet header values), filled by the day
 * planner in visit order and then put in time order by `sort()`. The writers
 * craft frames from a row; nothing is allocated per packet, and the columns
 * grow by doubling and are reused for every sensor-day.
 */

const INITIAL_CAPACITY = 1 << 14;

export class PacketPlan {
  length = 0;
  capacity = 0;
  /** Microseconds since the epoch. */
  ts = new Float64Array(0);
  stream = new Uint16Array(0);
  src = new Uint32Array(0);
  dst = new Uint32Array(0);
  sport = new Uint16Array(0);
  dport = new Uint16Array(0);
  seq = new Uint32Array(0);
  ack = new Uint32Array(0);
  ipId = new Uint16Array(0);
  ttl = new Uint8Array(0);
  win = new Uint16Array(0);
  /** Family-specific: transaction id, ICMP id/seq, quoted victim address. */
  aux = new Uint32Array(0);
  /** Row indices in time order after `sort()`. */
  order = new Uint32Array(0);

  constructor(capacity = INITIAL_CAPACITY) {
    this.resize(capacity);
  }

  reset(): void {
    this.length = 0;
  }

  /** Appends a row with time and addressing; returns its index. Header values start at 0. */
  push(tsMicros: number, stream: number, src: number, dst: number): number {
    if (this.length === this.capacity) this.resize(this.capacity * 2);
    const i = this.length++;
    this.ts[i] = tsMicros;
    this.stream[i] = stream;
    this.src[i] = src;
    this.dst[i] = dst;
    this.sport[i] = 0;
    this.dport[i] = 0;
    this.seq[i] = 0;
    this.ack[i] = 0;
    this.ipId[i] = 0;
    this.ttl[i] = 0;
    this.win[i] = 0;
    this.aux[i] = 0;
    return i;
  }

  /** Drops the last `n` rows (packets that fell into a downtime). */
  pop(n: number): void {
    this.length -= n;
  }

  /** Fills `order` with row indices by time; ties keep planning order, so the result is deterministic. */
  sort(): Uint32Array {
    const n = this.length;
    const order = this.order.subarray(0, n);
    for (let i = 0; i < n; i++) order[i] = i;
    const ts = this.ts;
    order.sort((a, b) => ts[a]! - ts[b]! || a - b);
    return order;
  }

  private resize(capacity: number): void {
    const grow = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(capacity);
      next.set(old.subarray(0, this.length) as never);
      return next;
    };
    this.ts = grow(this.ts, (n) => new Float64Array(n));
    this.stream = grow(this.stream, (n) => new Uint16Array(n));
    this.src = grow(this.src, (n) => new Uint32Array(n));
    this.dst = grow(this.dst, (n) => new Uint32Array(n));
    this.sport = grow(this.sport, (n) => new Uint16Array(n));
    this.dport = grow(this.dport, (n) => new Uint16Array(n));
    this.seq = grow(this.seq, (n) => new Uint32Array(n));
    this.ack = grow(this.ack, (n) => new Uint32Array(n));
    this.ipId = grow(this.ipId, (n) => new Uint16Array(n));
    this.ttl = grow(this.ttl, (n) => new Uint8Array(n));
    this.win = grow(this.win, (n) => new Uint16Array(n));
    this.aux = grow(this.aux, (n) => new Uint32Array(n));
    this.order = new Uint32Array(capacity);
    this.capacity = capacity;
  }
}
