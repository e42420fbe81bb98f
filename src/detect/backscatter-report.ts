/**
 * @module
 * What the backscatter detector reports about a flow, and why: the
 * thresholds an analyst can set, the check of each one against the flow,
 * and the attack record with a sentence that states the evidence.
 *
 * Default thresholds follow CAIDA Corsaro's RS-DoS plugin (after Moore et
 * al.): at least 25 packets, lasting at least 60 s, with at least 30 packets
 * inside some 60 s window; a flow ends after 300 s without a packet. They
 * apply to the whole telescope (every sensor's packets of the victim
 * together). Rate and sensor-address thresholds are off (0 and 1) unless
 * asked for.
 *
 * Extrapolation (Moore et al.): a victim answering spoofed packets whose
 * sources are uniform over IPv4 sends a telescope of n addresses n / 2^32 of
 * its answers, so its rate is the observed rate × 2^32 / n. Below
 * `MIN_EXTRAPOLATION_ADDRESSES` the estimate is withheld, with the reason:
 * each observed packet would stand for more than 2^24 answers, the
 * uniformity it assumes cannot hold at that grain (spoofing tools skip
 * reserved and unrouted space, so one /24 is over- or under-hit by factors),
 * and a few-address telescope's figure would be a number with no meaning —
 * the example was "1.16 G pkt/s" from four addresses.
 */

import { unpackCountry } from '../classify/index.js';
import { BACKSCATTER_KIND_NAMES } from './backscatter-kinds.js';
import { NO_VICTIM_PORT, protocolName, victimService } from './victim-service.js';
import { formatIpv4 } from '../util/ip-address.js';

export interface BackscatterThresholds {
  /** Packets a flow needs (default 25). */
  minPackets: number;
  /** Seconds from its first to its last packet (default 60). */
  minDurationSec: number;
  /** Packets inside its busiest `windowSec` window (default 30). */
  minWindowPackets: number;
  /** Mean observed packets per second (default 0). */
  minRatePps: number;
  /** Distinct telescope addresses it hit (default 1). */
  minSensorAddresses: number;
}

/** Thresholds plus how flows are cut and windows measured. */
export interface AttackSettings extends BackscatterThresholds {
  /** Quiet seconds that end a flow (default 300). */
  flowTimeoutSec: number;
  /** Width of the sliding window of `minWindowPackets` and the peak rate, seconds (default 60). */
  windowSec: number;
}

export const DEFAULT_ATTACK_SETTINGS: Readonly<AttackSettings> = {
  minPackets: 25,
  minDurationSec: 60,
  minWindowPackets: 30,
  minRatePps: 0,
  minSensorAddresses: 1,
  flowTimeoutSec: 300,
  windowSec: 60,
};

/** Telescopes smaller than this get no extrapolated rate (module comment). */
export const MIN_EXTRAPOLATION_ADDRESSES = 256;

export interface BackscatterCheck {
  name: 'packets' | 'duration' | 'window packets' | 'rate' | 'sensor addresses';
  value: number;
  threshold: number;
  passed: boolean;
}

export interface VictimPort {
  /** `80/TCP`, or the protocol alone (`ICMP`) when the attack protocol has no ports. */
  service: string;
  port: number | null;
  packets: number;
}

/** One sensor's part of an attack. */
export interface AttackSensor {
  sensorId: number;
  packets: number;
  /** Distinct addresses of the sensor that received the victim's answers. */
  addresses: number;
}

/** Everything the checks and the record need of one (victim, protocol) flow. */
export interface FlowSummary {
  victim: number;
  proto: number;
  country: number;
  /** Whole seconds of the first and last packet. */
  start: number;
  end: number;
  packets: number;
  /** Packets per `BackscatterKind`. */
  kinds: readonly number[];
  /** Packets per victim port key. */
  ports: ReadonlyMap<number, number>;
  /** Distinct telescope addresses hit. */
  addresses: number;
  /** Packets in the busiest window of `windowSec` seconds. */
  peakWindowPackets: number;
  /** By sensor id, ascending. */
  sensors: readonly AttackSensor[];
}

export interface BackscatterAttack {
  victim: string;
  victimAddress: number;
  /** Packed country code (`country-code.ts`), 0 when unknown. */
  country: number;
  /** Two-letter code, '' when unknown; `countryNameOf(country, lang)` names it. */
  countryCode: string;
  /** Protocol of the attack traffic: `TCP`, `UDP`, `ICMP`. */
  protocol: string;
  protocolNumber: number;
  /** Most-hit victim ports first (at most `topPorts`). */
  victimPorts: VictimPort[];
  distinctVictimPorts: number;
  /** Whole seconds since the epoch. */
  start: number;
  end: number;
  durationSec: number;
  packets: number;
  /** Distinct telescope addresses hit, over all its sensors. */
  sensorAddresses: number;
  /** Per sensor: packets and addresses. */
  sensors: AttackSensor[];
  /** Packets in the busiest `windowSec` window. */
  peakWindowPackets: number;
  /** That window's packets per second. */
  peakRatePps: number;
  /** Packets per second over the attack (at least one window). */
  meanRatePps: number;
  /** IPv4 addresses of the telescope the extrapolation divides by. */
  monitoredAddresses: number;
  /** Mean and peak rates scaled to all of IPv4; null when withheld (`extrapolationWithheld` says why). */
  extrapolatedRatePps: number | null;
  extrapolatedPeakRatePps: number | null;
  extrapolationWithheld: string | null;
  /** Packets per response kind (`TCP SYN/ACK`, `ICMP unreachable`, …). */
  responses: Record<string, number>;
  /** Every threshold, each passed. */
  checks: BackscatterCheck[];
  /** One sentence: which responses, from whom, and which rule made it an attack. */
  why: string;
}

const IPV4_SPACE = 2 ** 32;

/** Validates the options' numbers and returns the settings with defaults filled in. */
export function checkBackscatterOptions(options: Partial<AttackSettings> & { topPorts?: number }): AttackSettings {
  const nonNegative = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0))
      throw new RangeError(`Cannot detect backscatter: ${name} is ${v}, expected a number ≥ 0`);
  };
  const whole = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 1)) {
      throw new RangeError(`Cannot detect backscatter: ${name} is ${v}, expected a whole number ≥ 1`);
    }
  };
  nonNegative('minPackets', options.minPackets);
  nonNegative('minDurationSec', options.minDurationSec);
  nonNegative('minWindowPackets', options.minWindowPackets);
  nonNegative('minRatePps', options.minRatePps);
  nonNegative('minSensorAddresses', options.minSensorAddresses);
  whole('flowTimeoutSec', options.flowTimeoutSec);
  whole('windowSec', options.windowSec);
  whole('topPorts', options.topPorts);
  const d = DEFAULT_ATTACK_SETTINGS;
  return {
    minPackets: options.minPackets ?? d.minPackets,
    minDurationSec: options.minDurationSec ?? d.minDurationSec,
    minWindowPackets: options.minWindowPackets ?? d.minWindowPackets,
    minRatePps: options.minRatePps ?? d.minRatePps,
    minSensorAddresses: options.minSensorAddresses ?? d.minSensorAddresses,
    flowTimeoutSec: options.flowTimeoutSec ?? d.flowTimeoutSec,
    windowSec: options.windowSec ?? d.windowSec,
  };
}

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));
const fmt = (v: number): string =>
  Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 3 });

/** Packets per second over the flow, measured over at least one window, so a burst does not read as a rate it never sustained. */
function meanRate(flow: FlowSummary, windowSec: number): number {
  return flow.packets / Math.max(flow.end - flow.start, windowSec);
}

/** The flow's checks against `s`, in a fixed order. */
export function checkFlow(flow: FlowSummary, s: AttackSettings): BackscatterCheck[] {
  const row = (name: BackscatterCheck['name'], value: number, threshold: number): BackscatterCheck => ({
    name,
    value: round(value),
    threshold,
    passed: value >= threshold,
  });
  return [
    row('packets', flow.packets, s.minPackets),
    row('duration', flow.end - flow.start, s.minDurationSec),
    row('window packets', flow.peakWindowPackets, s.minWindowPackets),
    row('rate', meanRate(flow, s.windowSec), s.minRatePps),
    row('sensor addresses', flow.addresses, s.minSensorAddresses),
  ];
}

/** Why a telescope of `monitored` IPv4 addresses gets no extrapolated rate, or null when it does. */
export function extrapolationWithheld(monitored: number): string | null {
  if (monitored >= MIN_EXTRAPOLATION_ADDRESSES) return null;
  return (
    `not extrapolated: the telescope monitors ${fmt(monitored)} IPv4 address(es), fewer than ${MIN_EXTRAPOLATION_ADDRESSES}; ` +
    'each packet seen would stand for more than 2^24 answers and the uniform-spoofing assumption does not hold at that grain'
  );
}

const UNITS: Record<BackscatterCheck['name'], string> = {
  packets: '',
  duration: ' s',
  'window packets': '',
  rate: ' pps',
  'sensor addresses': '',
};

/** The attack record of a flow, or null when it fails a threshold. */
export function attackOf(
  flow: FlowSummary,
  context: { settings: AttackSettings; monitoredAddresses: number; topPorts: number },
): BackscatterAttack | null {
  const { settings, monitoredAddresses } = context;
  const checks = checkFlow(flow, settings);
  if (!checks.every((c) => c.passed)) return null;
  const responses: Record<string, number> = {};
  flow.kinds.forEach((n, kind) => {
    if (n > 0) responses[BACKSCATTER_KIND_NAMES[kind]!] = n;
  });
  const victimPorts = [...flow.ports]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, context.topPorts)
    .map(([key, packets]) => ({
      service: victimService(flow.proto, key),
      port: key === NO_VICTIM_PORT ? null : key,
      packets,
    }));
  const withheld = extrapolationWithheld(monitoredAddresses);
  const scale = withheld === null ? IPV4_SPACE / monitoredAddresses : null;
  const mean = meanRate(flow, settings.windowSec);
  const peak = flow.peakWindowPackets / settings.windowSec;
  const victim = formatIpv4(flow.victim);
  const seen = Object.entries(responses)
    .map(([name, n]) => `${fmt(n)} ${name}`)
    .join(', ');
  const ports = victimPorts
    .slice(0, 3)
    .map((p) => p.service)
    .join(', ');
  const rule = checks
    .map((c) => `${c.name} ${fmt(c.value)}${UNITS[c.name]} ≥ ${fmt(c.threshold)}${UNITS[c.name]}`)
    .join(', ');
  return {
    victim,
    victimAddress: flow.victim,
    country: flow.country,
    countryCode: unpackCountry(flow.country),
    protocol: protocolName(flow.proto),
    protocolNumber: flow.proto,
    victimPorts,
    distinctVictimPorts: flow.ports.size,
    start: flow.start,
    end: flow.end,
    durationSec: flow.end - flow.start,
    packets: flow.packets,
    sensorAddresses: flow.addresses,
    sensors: flow.sensors.map((s) => ({ ...s })),
    peakWindowPackets: flow.peakWindowPackets,
    peakRatePps: round(peak),
    meanRatePps: round(mean),
    monitoredAddresses,
    extrapolatedRatePps: scale === null ? null : round(mean * scale),
    extrapolatedPeakRatePps: scale === null ? null : round(peak * scale),
    extrapolationWithheld: withheld,
    responses,
    checks,
    why:
      `Unsolicited ${seen} attributed to ${victim} (${ports}) reached ${fmt(flow.addresses)} telescope address(es) ` +
      `at ${flow.sensors.length} sensor(s): a ${protocolName(flow.proto)} attack on ${victim} because ${rule}`,
  };
}
