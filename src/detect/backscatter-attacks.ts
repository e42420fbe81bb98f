/**
 * @module
 * DoS attacks from backscatter evidence (`backscatter-evidence.ts`), over a
 * whole telescope: the rows of every sensor, in any order, are grouped by
 * (victim, attack protocol) and cut into flows where the victim was quiet
 * for more than the flow timeout; a flow that passes the thresholds
 * (`backscatter-report.ts`) is one attack, with a per-sensor breakdown.
 *
 * The result depends only on the set of rows: they are sorted here on every
 * column, so neither file boundaries, nor arrival order, nor which sensor
 * saw a packet changes an attack. That is what lets the store keep the
 * evidence and derive attacks whenever they are asked for, with any
 * thresholds.
 */

import { BACKSCATTER_KIND_COUNT } from './backscatter-kinds.js';
import type { EvidenceColumns, EvidenceRows } from './backscatter-evidence.js';
import {
  attackOf,
  type AttackSensor,
  type AttackSettings,
  type BackscatterAttack,
  type FlowSummary,
} from './backscatter-report.js';

/** Victim ports listed per attack when not told otherwise. */
export const DEFAULT_TOP_PORTS = 10;
/** Flow key = victim * 256 + protocol: below 2^40, exact in a double. */
const PROTO_SPAN = 256;

export interface DerivedAttacks {
  /** By start, then victim. */
  attacks: BackscatterAttack[];
  /** Flows found, and how many failed a threshold. */
  flows: number;
  flowsBelowThresholds: number;
}

/** Row indices in (victim, protocol, second, sensor, address, port, kind) order: one order for every arrival order. */
function sortedRows(c: EvidenceColumns, n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const { victim, proto, sec, sensorId, dst, port, kind } = c;
  return order.sort(
    (a, b) =>
      victim[a]! - victim[b]! ||
      proto[a]! - proto[b]! ||
      sec[a]! - sec[b]! ||
      sensorId[a]! - sensorId[b]! ||
      dst[a]! - dst[b]! ||
      port[a]! - port[b]! ||
      kind[a]! - kind[b]!,
  );
}

/** A flow being read, row by row in time order. */
class FlowBuilder {
  readonly victim: number;
  readonly proto: number;
  readonly country: number;
  readonly start: number;
  end: number;
  packets = 0;
  readonly kinds = new Array<number>(BACKSCATTER_KIND_COUNT).fill(0);
  readonly ports = new Map<number, number>();
  private readonly addresses = new Set<number>();
  private readonly sensors = new Map<number, { packets: number; addresses: Set<number> }>();
  /** Packets per distinct second, in time order. */
  private readonly secs: number[] = [];
  private readonly perSec: number[] = [];

  constructor(c: EvidenceColumns, row: number) {
    this.victim = c.victim[row]!;
    this.proto = c.proto[row]!;
    this.country = c.country[row]!;
    this.start = c.sec[row]!;
    this.end = this.start;
  }

  add(c: EvidenceColumns, row: number): void {
    const n = c.packets[row]!;
    const sec = c.sec[row]!;
    this.packets += n;
    this.end = sec;
    this.kinds[c.kind[row]!]! += n;
    const port = c.port[row]!;
    this.ports.set(port, (this.ports.get(port) ?? 0) + n);
    const dst = c.dst[row]!;
    this.addresses.add(dst);
    const id = c.sensorId[row]!;
    let sensor = this.sensors.get(id);
    if (sensor === undefined) this.sensors.set(id, (sensor = { packets: 0, addresses: new Set() }));
    sensor.packets += n;
    sensor.addresses.add(dst);
    const last = this.secs.length - 1;
    if (last >= 0 && this.secs[last] === sec) this.perSec[last]! += n;
    else {
      this.secs.push(sec);
      this.perSec.push(n);
    }
  }

  summary(windowSec: number): FlowSummary {
    const sensors: AttackSensor[] = [...this.sensors]
      .sort((a, b) => a[0] - b[0])
      .map(([sensorId, s]) => ({ sensorId, packets: s.packets, addresses: s.addresses.size }));
    return {
      victim: this.victim,
      proto: this.proto,
      country: this.country,
      start: this.start,
      end: this.end,
      packets: this.packets,
      kinds: this.kinds,
      ports: this.ports,
      addresses: this.addresses.size,
      peakWindowPackets: this.peakWindow(windowSec),
      sensors,
    };
  }

  /** Most packets inside any window [t, t + windowSec) of whole seconds. */
  private peakWindow(windowSec: number): number {
    const { secs, perSec } = this;
    let best = 0;
    let sum = 0;
    let tail = 0;
    for (let head = 0; head < secs.length; head++) {
      sum += perSec[head]!;
      while (secs[tail]! <= secs[head]! - windowSec) sum -= perSec[tail++]!;
      if (sum > best) best = sum;
    }
    return best;
  }
}

/** Every flow of the rows, by victim, protocol and start. */
export function deriveFlows(
  rows: EvidenceRows,
  settings: Pick<AttackSettings, 'flowTimeoutSec' | 'windowSec'>,
): FlowSummary[] {
  const c = rows.columns;
  const order = sortedRows(c, rows.rowCount);
  const flows: FlowSummary[] = [];
  let flow: FlowBuilder | null = null;
  let flowKey = -1;
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    const key = c.victim[row]! * PROTO_SPAN + c.proto[row]!;
    if (flow !== null && (key !== flowKey || c.sec[row]! - flow.end > settings.flowTimeoutSec)) {
      flows.push(flow.summary(settings.windowSec));
      flow = null;
    }
    if (flow === null) {
      flow = new FlowBuilder(c, row);
      flowKey = key;
    }
    flow.add(c, row);
  }
  if (flow !== null) flows.push(flow.summary(settings.windowSec));
  return flows;
}

/** The attacks among `flows` for a telescope of `monitoredAddresses` IPv4 addresses. */
export function attacksOf(
  flows: readonly FlowSummary[],
  context: { settings: AttackSettings; monitoredAddresses: number; topPorts?: number },
): DerivedAttacks {
  const attacks: BackscatterAttack[] = [];
  const ctx = {
    settings: context.settings,
    monitoredAddresses: context.monitoredAddresses,
    topPorts: context.topPorts ?? DEFAULT_TOP_PORTS,
  };
  for (const flow of flows) {
    const attack = attackOf(flow, ctx);
    if (attack !== null) attacks.push(attack);
  }
  attacks.sort((a, b) => a.start - b.start || a.victimAddress - b.victimAddress || a.protocolNumber - b.protocolNumber);
  return { attacks, flows: flows.length, flowsBelowThresholds: flows.length - attacks.length };
}
