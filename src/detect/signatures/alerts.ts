/**
 * @module
 * `SignatureAlerts`: the matcher's output for one batch, columnar like the
 * batch itself. Row `k` says packet `packet[k]` of the batch raised rule
 * `rule[k]` (an index into `SignatureEngine.rules`). Rows come in packet
 * order, and for one packet in rule order. A packet raises every rule it
 * matches (as in Snort and Suricata), each subject to its own threshold.
 */

const INITIAL_CAPACITY = 1024;

export class SignatureAlerts {
  /** Number of valid rows. */
  length = 0;
  packet: Uint32Array;
  rule: Uint32Array;

  constructor(capacity = INITIAL_CAPACITY) {
    this.packet = new Uint32Array(capacity);
    this.rule = new Uint32Array(capacity);
  }

  /** Rows made elsewhere (a decode thread's matches), used as they are. */
  static of(packet: Uint32Array, rule: Uint32Array): SignatureAlerts {
    if (packet.length !== rule.length)
      throw new RangeError(`Cannot use ${packet.length} alert packets with ${rule.length} rules`);
    const alerts = new SignatureAlerts(0);
    alerts.packet = packet;
    alerts.rule = rule;
    alerts.length = packet.length;
    return alerts;
  }

  clear(): void {
    this.length = 0;
  }

  push(packet: number, rule: number): void {
    if (this.length === this.packet.length) this.grow();
    this.packet[this.length] = packet;
    this.rule[this.length] = rule;
    this.length++;
  }

  private grow(): void {
    const packet = new Uint32Array(Math.max(INITIAL_CAPACITY, this.packet.length * 2));
    const rule = new Uint32Array(packet.length);
    packet.set(this.packet);
    rule.set(this.rule);
    this.packet = packet;
    this.rule = rule;
  }
}
