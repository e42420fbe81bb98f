/**
 * @module
 * `DayPlanner`: the packets one sensor receives on one local day, from every
 * stream, into a `PacketPlan`, with each visit reported to the truth.
 *
 * Per stream the expected count is `rate × addresses × day mass × trend ×
 * event shape × weekday × jitter × sensor factor`; rounding carries over from
 * day to day per stream and sensor, so totals follow the rates at any scale.
 * Visits (one source, one address, one service, a burst of retransmissions)
 * are drawn until the count is reached; packets falling into a sensor's
 * downtime are dropped (and so never counted); visits to other hosts are
 * extra and counted as excluded.
 *
 * Each stream-sensor-day draws from its own generator seeded by (seed,
 * stream name, sensor, day), so the plan does not depend on which other
 * streams exist or in which order they run.
 */

import { IpProto } from '../decode/index.js';
import type { CompiledScenario, CompiledSensor, CompiledStream } from './compiled.js';
import { OS_INFO } from './families.js';
import { FILLERS, type Visit } from './family-fill.js';
import type { PacketPlan } from './packet-plan.js';
import { mix32 } from '../util/random.js';
import { hashSeed, hashText, Rng } from '../util/random.js';
import { DayWindow, shapeAt, trendAt, weekdayOf } from './shapes.js';
import type { RecordedVisit, TruthRecorder } from './truth-recorder.js';

const PLAN_SALT = 0x91a7;
const SENSOR_SALT = 0x5e75;
const PORT_SALT = 0x9047;
const PROTO_SHIFT = 2 ** 17;
const MICROS = 1e6;
/** Keeps the last packet of a visit inside its day (and its interval). */
const EDGE_SEC = 1e-3;
/** Senders sit 6–25 router hops away; routers reporting errors 2–11. */
const MIN_HOPS = 6;
const HOP_SPREAD = 20;
const ROUTER_MIN_HOPS = 2;
const ROUTER_HOP_SPREAD = 10;
const PROTO = { tcp: IpProto.TCP, udp: IpProto.UDP, icmp: IpProto.ICMP } as const;
const EPHEMERAL_LOW = 1024;
const PORT_SPAN = 65536 - EPHEMERAL_LOW;

export class DayPlanner {
  private readonly sc: CompiledScenario;
  private readonly recorder: TruthRecorder;
  private readonly window = new DayWindow();
  /** Per stream × sensor: expected packets so far and packets planned so far. */
  private readonly expected: Float64Array;
  private readonly planned: Float64Array;
  private readonly sensorFactor: Float64Array;
  private readonly streamHash: Uint32Array;
  /** Backscatter: the source-service variant of each victim (by the port it answers from). */
  private readonly victimVariant: (Int32Array | null)[];
  private readonly visit: Visit = { src: 0, dst: 0, hops: 0, dport: 0, victim: 0 };
  private readonly record: RecordedVisit = {
    sensor: 0,
    stream: 0,
    service: 0,
    variant: 0,
    country: 0,
    src: 0,
    srcIndex: 0,
    packets: 0,
    firstUs: 0,
    lastUs: 0,
    episode: -1,
  };
  private readonly range = { from: 0, to: 0 };

  constructor(sc: CompiledScenario, recorder: TruthRecorder) {
    this.sc = sc;
    this.recorder = recorder;
    const cells = sc.streams.length * sc.sensors.length;
    this.expected = new Float64Array(cells);
    this.planned = new Float64Array(cells);
    this.streamHash = Uint32Array.from(sc.streams, (s) => hashText(s.name));
    this.sensorFactor = new Float64Array(cells);
    this.victimVariant = sc.streams.map((s) => {
      const ports = s.victimPorts;
      if (ports === null) return null;
      return Int32Array.from({ length: s.pool.size }, (_, v) =>
        s.sourceServices.indexOf(`${ports[v % ports.length]!}/TCP`),
      );
    });
    sc.streams.forEach((s, t) => {
      for (const sensor of sc.sensors) {
        const rng = new Rng(hashSeed(sc.seed, SENSOR_SALT, this.streamHash[t]!, sensor.index));
        this.sensorFactor[t * sc.sensors.length + sensor.index] = logNormal(rng, s.sensorSpread);
      }
    });
  }

  /** Plans day `dayIndex` (0 = the first of the period) for `sensor`, appending to `plan`. */
  planSensorDay(
    plan: PacketPlan,
    sensor: CompiledSensor,
    options: { dayIndex: number; dayStart: number; dayEnd: number },
  ): void {
    const { sc } = this;
    const day = sc.firstDay + options.dayIndex;
    for (const s of sc.streams) {
      if (!s.sensorMask[sensor.index]) continue;
      const window = this.window;
      window.reset(options.dayStart, options.dayEnd, s.intervals, s.diurnal);
      if (window.mass === 0) continue;
      const rng = new Rng(hashSeed(sc.seed, PLAN_SALT, this.streamHash[s.index]!, sensor.index, day));
      let level = trendAt(s.keyframes, window.middle) * s.weekly[weekdayOf(day)]!;
      if (s.kind === 'event' || s.shape !== 'step')
        level *= shapeAt(s.shape, s.intervals[0]![0], s.intervals[0]![1], window.middle);
      const cell = s.index * sc.sensors.length + sensor.index;
      const mean = s.rate * sensor.addresses.length * window.mass * level * this.sensorFactor[cell]!;
      this.expected[cell]! += mean * logNormal(rng, s.jitter);
      const count = Math.round(this.expected[cell]!) - this.planned[cell]!;
      if (count <= 0) continue;
      this.planned[cell]! += count;
      this.planStream(plan, s, sensor, { count, rng, dayEnd: options.dayEnd });
    }
  }

  private planStream(
    plan: PacketPlan,
    s: CompiledStream,
    sensor: CompiledSensor,
    options: { count: number; rng: Rng; dayEnd: number },
  ): void {
    const { rng, dayEnd } = options;
    const window = this.window;
    const visit = this.visit;
    const rec = this.record;
    const other = this.sc.otherHosts;
    const gaps = s.info.gaps;
    const proto = PROTO[s.info.transport];
    const ports = s.ports;
    const fill = FILLERS[s.family];
    rec.sensor = sensor.index;
    rec.stream = s.index;
    let left = options.count;
    while (left > 0) {
      const segment = window.segmentAt(rng.float());
      const segStart = window.segmentStart(segment);
      const segEnd = window.segmentEnd(segment);
      const episode = s.episodes === null ? -1 : window.segmentInterval(segment);
      const srcIndex = episode >= 0 ? s.episodes![episode]!.victim : s.pool.pick(rng, s.skew);
      const src = s.pool.addresses[srcIndex]!;
      const toOther = other !== null && rng.chance(other.share);
      visit.src = src;
      visit.dst = toOther
        ? other.addresses[rng.int(other.addresses.length)]!
        : sensor.addresses[rng.int(sensor.addresses.length)]!;
      visit.hops =
        s.family === 'time-exceeded'
          ? ROUTER_MIN_HOPS + (mix32(src) % ROUTER_HOP_SPREAD)
          : MIN_HOPS + (mix32(src) % HOP_SPREAD);
      visit.victim = s.quote === null ? 0 : s.quote.victims[rng.int(s.quote.victims.length)]!;
      let burst = s.burstMean >= s.burstMax ? s.burstMax : rng.burst(s.burstMean, s.burstMax);
      const services = s.together ? ports.length : 1;
      if (!toOther) burst = Math.max(1, Math.min(burst, Math.ceil(left / services)));
      let variant = 0;
      let sport = 0;
      if (s.victimPorts !== null) {
        sport = s.victimPorts[srcIndex % s.victimPorts.length]!;
        variant = this.victimVariant[s.index]![srcIndex]!;
      } else if (s.sourcePort !== null) {
        sport = rng.between(s.sourcePort.from, s.sourcePort.to);
        variant = s.sourceServices.length > 1 ? 1 : 0;
      } else if (s.family === 'bittorrent-dht') {
        sport = EPHEMERAL_LOW + (mix32(src ^ PORT_SALT) % PORT_SPAN);
      } else if (s.family === 'time-exceeded' || s.info.transport !== 'icmp') {
        const eph = OS_INFO[s.os].ephemeral;
        sport = rng.between(eph.from, eph.to);
      }
      for (let k = 0; k < services && (toOther || left > 0); k++) {
        const dport = this.destinationPort(s, k, visit.dst, rng);
        const n = toOther ? burst : Math.min(burst, left);
        const span = n > 1 ? gaps[n - 2]! : 0;
        let t0 = segStart + rng.float() * (segEnd - segStart);
        if (t0 + span >= segEnd) t0 = Math.max(segStart, segEnd - span - EDGE_SEC);
        const from = plan.length;
        let firstUs = Infinity;
        let lastUs = -Infinity;
        for (let j = 0; j < n; j++) {
          const t = Math.min(t0 + (j === 0 ? 0 : gaps[j - 1]! + rng.float() * EDGE_SEC), dayEnd - EDGE_SEC);
          if (inDowntime(sensor, t)) continue;
          const us = Math.floor(t * MICROS);
          const i = plan.push(us, s.index, src, visit.dst);
          plan.sport[i] = sport;
          plan.dport[i] = dport;
          if (us < firstUs) firstUs = us;
          if (us > lastUs) lastUs = us;
        }
        const kept = plan.length - from;
        if (!toOther) left -= n;
        if (kept === 0) continue;
        visit.dport = dport;
        this.range.from = from;
        this.range.to = plan.length;
        fill(plan, this.range, s, visit, rng);
        if (toOther) {
          this.recorder.excluded(sensor.index, kept);
          continue;
        }
        rec.service = proto * PROTO_SHIFT + (s.info.transport === 'icmp' ? ports[0]! : dport);
        rec.variant = variant;
        rec.country = s.pool.countryOf[srcIndex]!;
        rec.src = src;
        rec.srcIndex = srcIndex;
        rec.packets = kept;
        rec.firstUs = firstUs;
        rec.lastUs = lastUs;
        rec.episode = episode;
        this.recorder.visit(rec);
      }
    }
  }

  /** Destination port (ICMP: 0) of service `k` of a visit to `dst`. */
  private destinationPort(s: CompiledStream, k: number, dst: number, rng: Rng): number {
    if (s.info.transport === 'icmp') return s.quote === null ? 0 : s.quote.port;
    const random = s.randomPorts;
    if (random !== null) {
      const span = random.to - random.from + 1;
      // A former peer of this address used these ports (or the tool cycles a
      // few): the same ones every day, from a hash rather than a stored list.
      if (s.perAddressPorts > 0)
        return (
          random.from +
          (hashSeed(this.sc.seed, PORT_SALT, this.streamHash[s.index]!, dst, rng.int(s.perAddressPorts)) % span)
        );
      if (s.portPool > 0)
        return random.from + (hashSeed(this.sc.seed, PORT_SALT, this.streamHash[s.index]!, rng.int(s.portPool)) % span);
      return random.from + rng.int(span);
    }
    if (s.together) return s.ports[k]!;
    const weights = s.portWeights;
    const target = rng.float() * weights[weights.length - 1]!;
    let p = 0;
    while (p < weights.length - 1 && weights[p]! <= target) p++;
    return s.ports[p]!;
  }
}

/** A log-normal factor with mean 1 and log-deviation `sigma`. */
function logNormal(rng: Rng, sigma: number): number {
  return sigma === 0 ? 1 : Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
}

function inDowntime(sensor: CompiledSensor, t: number): boolean {
  for (const [from, to] of sensor.downtime) {
    if (t < from) return false;
    if (t < to) return true;
  }
  return false;
}
