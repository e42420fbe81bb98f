/**
 * @module
 * What the backscatter detector reports about an ended flow, and why: the
 * thresholds an analyst can set, the check of each one against the flow,
 * and the attack record with a sentence that states the evidence.
 *
 * Default thresholds follow the conservative end of Moore et al.'s flow
 * filter: at least 100 packets over at least 60 seconds. Rate and sensor
 * spread are off (0 and 1) unless asked for.
 */

import { formatIpv4, unpackCountry } from '../classify/index.js';
import { type BackscatterFlow, NO_VICTIM_PORT, protocolName, victimService } from './backscatter-flow.js';
import { BACKSCATTER_KIND_NAMES } from './backscatter-kinds.js';

export interface BackscatterThresholds {
  /** Packets a flow needs (default 100). */
  minPackets: number;
  /** Seconds from its first to its last packet (default 60). */
  minDurationSec: number;
  /** Mean observed packets per second (default 0). */
  minRatePps: number;
  /** Distinct sensor addresses it hit (default 1). */
  minSensorAddresses: number;
}

export const DEFAULT_BACKSCATTER_THRESHOLDS: Readonly<BackscatterThresholds> = {
  minPackets: 100,
  minDurationSec: 60,
  minRatePps: 0,
  minSensorAddresses: 1,
};

export interface BackscatterCheck {
  name: 'packets' | 'duration' | 'rate' | 'sensor addresses';
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
  /** Most-hit victim ports first. */
  victimPorts: VictimPort[];
  /** False when the attack hit more ports than are tracked, so counts may be over by the summary's error. */
  victimPortsExact: boolean;
  distinctVictimPorts: number;
  /** Seconds since the epoch. */
  start: number;
  end: number;
  durationSec: number;
  packets: number;
  sensorAddresses: number;
  sensorAddressesExact: boolean;
  /** Packets per second in the busiest minute. */
  peakRatePps: number;
  /** Packets per second over the attack (at least one minute). */
  meanRatePps: number;
  /** Mean and peak rates scaled to all of IPv4; null without the monitored address count. */
  extrapolatedRatePps: number | null;
  extrapolatedPeakRatePps: number | null;
  /** Packets per response kind (`TCP SYN/ACK`, `ICMP unreachable`, …). */
  responses: Record<string, number>;
  /** Every threshold, each passed. */
  checks: BackscatterCheck[];
  /** One sentence: which responses, from whom, and which rule made it an attack. */
  why: string;
}

const IPV4_SPACE = 2 ** 32;

/** Validates the options' numbers and returns the thresholds with defaults filled in. */
export function checkBackscatterOptions(options: Partial<BackscatterThresholds> & {
  monitoredAddresses?: number; flowTimeoutSec?: number; topPorts?: number; maxFlows?: number;
}): BackscatterThresholds {
  const nonNegative = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`Cannot detect backscatter: ${name} is ${v}, expected a number ≥ 0`);
  };
  const count = (name: string, v: number | undefined, max = Number.MAX_SAFE_INTEGER): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= max)) {
      throw new RangeError(`Cannot detect backscatter: ${name} is ${v}, expected a whole number 1..${max}`);
    }
  };
  nonNegative('minPackets', options.minPackets);
  nonNegative('minDurationSec', options.minDurationSec);
  nonNegative('minRatePps', options.minRatePps);
  nonNegative('minSensorAddresses', options.minSensorAddresses);
  count('monitoredAddresses', options.monitoredAddresses, IPV4_SPACE);
  count('topPorts', options.topPorts);
  count('maxFlows', options.maxFlows);
  if (options.flowTimeoutSec !== undefined && !(Number.isFinite(options.flowTimeoutSec) && options.flowTimeoutSec > 0)) {
    throw new RangeError(`Cannot detect backscatter: flowTimeoutSec is ${options.flowTimeoutSec}, expected a number > 0`);
  }
  return {
    minPackets: options.minPackets ?? DEFAULT_BACKSCATTER_THRESHOLDS.minPackets,
    minDurationSec: options.minDurationSec ?? DEFAULT_BACKSCATTER_THRESHOLDS.minDurationSec,
    minRatePps: options.minRatePps ?? DEFAULT_BACKSCATTER_THRESHOLDS.minRatePps,
    minSensorAddresses: options.minSensorAddresses ?? DEFAULT_BACKSCATTER_THRESHOLDS.minSensorAddresses,
  };
}

const round = (v: number, digits = 3): number => Number(v.toFixed(digits));
const fmt = (v: number): string => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 3 }));

/** The flow's checks against `t`, in a fixed order. */
export function checkFlow(flow: BackscatterFlow, t: BackscatterThresholds): BackscatterCheck[] {
  const row = (name: BackscatterCheck['name'], value: number, threshold: number): BackscatterCheck =>
    ({ name, value: round(value), threshold, passed: value >= threshold });
  return [
    row('packets', flow.packets, t.minPackets),
    row('duration', flow.durationSec, t.minDurationSec),
    row('rate', flow.meanRatePps, t.minRatePps),
    row('sensor addresses', flow.sensors.size, t.minSensorAddresses),
  ];
}

const UNITS: Record<BackscatterCheck['name'], string> = { packets: '', duration: ' s', rate: ' pps', 'sensor addresses': '' };

/** The attack record of an ended flow, or null when it fails a threshold. */
export function attackOf(
  flow: BackscatterFlow,
  context: { thresholds: BackscatterThresholds; monitoredAddresses: number | null; topPorts: number },
): BackscatterAttack | null {
  const checks = checkFlow(flow, context.thresholds);
  if (!checks.every((c) => c.passed)) return null;
  const responses: Record<string, number> = {};
  flow.kinds.forEach((n, kind) => {
    if (n > 0) responses[BACKSCATTER_KIND_NAMES[kind]!] = n;
  });
  const victimPorts = flow.ports.top(context.topPorts).map(({ key, count }) => ({
    service: victimService(flow.proto, key), port: key === NO_VICTIM_PORT ? null : key, packets: count,
  }));
  const scale = context.monitoredAddresses === null ? null : IPV4_SPACE / context.monitoredAddresses;
  const victim = formatIpv4(flow.victim);
  const seen = Object.entries(responses).map(([name, n]) => `${fmt(n)} ${name}`).join(', ');
  const ports = victimPorts.slice(0, 3).map((p) => p.service).join(', ');
  const rule = checks.map((c) => `${c.name} ${fmt(c.value)}${UNITS[c.name]} ≥ ${fmt(c.threshold)}${UNITS[c.name]}`).join(', ');
  return {
    victim,
    victimAddress: flow.victim,
    country: flow.country,
    countryCode: unpackCountry(flow.country),
    protocol: protocolName(flow.proto),
    protocolNumber: flow.proto,
    victimPorts,
    victimPortsExact: flow.ports.exact,
    distinctVictimPorts: flow.distinctPorts.size,
    start: flow.start,
    end: flow.end,
    durationSec: round(flow.durationSec, 6),
    packets: flow.packets,
    sensorAddresses: flow.sensors.size,
    sensorAddressesExact: flow.sensors.exact,
    peakRatePps: round(flow.peakRatePps),
    meanRatePps: round(flow.meanRatePps),
    extrapolatedRatePps: scale === null ? null : round(flow.meanRatePps * scale),
    extrapolatedPeakRatePps: scale === null ? null : round(flow.peakRatePps * scale),
    responses,
    checks,
    why: `Unsolicited ${seen} attributed to ${victim} (${ports}) reached ${fmt(flow.sensors.size)} sensor address(es): `
      + `a ${protocolName(flow.proto)} attack on ${victim} because ${rule}`,
  };
}
