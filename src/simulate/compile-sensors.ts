/**
 * @module
 * Sensors of a scenario: the list form or the `count` form expanded into
 * named sensors with their addresses, downtime intervals merged per sensor,
 * and the other-host addresses (which must not belong to any sensor).
 */

import type { CompiledSensor } from './compiled.js';
import type { IssueList } from './errors.js';
import type { IntervalSpec, Scenario } from './scenario-schema.js';
import { parseScenarioTime } from './scenario-time.js';
import type { Interval } from './shapes.js';
import { formatIpv4, parseCidr } from '../util/ip-address.js';

/** Addresses a sensor or the other hosts may expand to (a /20). */
const MAX_ADDRESSES = 4096;
const IPV4_BITS = 32;

/** Every address of an IPv4 address or aligned CIDR block, or an error message. */
export function expandBlock(text: string): { addresses: number[]; cidr: string } | string {
  let cidr;
  try {
    cidr = parseCidr(text.trim());
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (cidr.version !== 4) return `"${text}" is IPv6; the simulator plants IPv4 traffic only`;
  const size = 2 ** (IPV4_BITS - cidr.prefixLen);
  if (cidr.start % size !== 0)
    return `"${text}" has host bits set (the block starts at ${formatIpv4(cidr.start - (cidr.start % size))})`;
  if (size > MAX_ADDRESSES) return `"${text}" holds ${size} addresses, more than ${MAX_ADDRESSES}`;
  return {
    addresses: Array.from({ length: size }, (_, k) => cidr.start + k),
    cidr: `${formatIpv4(cidr.start)}/${cidr.prefixLen}`,
  };
}

function listOf(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

interface RawSensor {
  name: string;
  label: string;
  addresses: number[];
  cidrs: string[];
  downtime: { interval: Interval; note: string }[];
  path: string;
}

function intervalOf(
  spec: IntervalSpec,
  path: string,
  ctx: { timeZone: string; issues: IssueList },
): Interval | undefined {
  try {
    const from = parseScenarioTime(spec.from, ctx.timeZone);
    const to = parseScenarioTime(spec.to, ctx.timeZone, { end: true });
    if (to <= from) {
      ctx.issues.add(`${path}.to`, 'must be after from');
      return undefined;
    }
    return [from, to];
  } catch (error) {
    ctx.issues.add(path, error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** Sorts and merges overlapping intervals. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

export function compileSensors(scenario: Scenario, ctx: { timeZone: string; issues: IssueList }): CompiledSensor[] {
  const raw: RawSensor[] = [];
  const spec = scenario.sensors;
  if (Array.isArray(spec)) {
    spec.forEach((sensor, i) => {
      const entry: RawSensor = {
        name: sensor.name,
        label: sensor.label ?? '',
        addresses: [],
        cidrs: [],
        downtime: [],
        path: `sensors[${i}]`,
      };
      listOf(sensor.addresses).forEach((text, k) => {
        const block = expandBlock(text);
        if (typeof block === 'string')
          ctx.issues.add(`sensors[${i}].addresses${typeof sensor.addresses === 'string' ? '' : `[${k}]`}`, block);
        else {
          entry.addresses.push(...block.addresses);
          entry.cidrs.push(block.cidr);
        }
      });
      (sensor.downtime ?? []).forEach((d, k) => {
        const interval = intervalOf(d, `sensors[${i}].downtime[${k}]`, ctx);
        if (interval) entry.downtime.push({ interval, note: d.note ?? '' });
      });
      raw.push(entry);
    });
  } else {
    const block = expandBlock(spec.addresses);
    const perSensor = spec.perSensor ?? 1;
    if (typeof block === 'string') ctx.issues.add('sensors.addresses', block);
    else if (block.addresses.length < spec.count * perSensor) {
      ctx.issues.add(
        'sensors.addresses',
        `${spec.addresses} holds ${block.addresses.length} addresses, fewer than count × perSensor = ${spec.count * perSensor}`,
      );
    } else {
      const prefix = spec.prefix ?? 'sensor';
      const width = Math.max(2, String(spec.count).length);
      for (let i = 0; i < spec.count; i++) {
        const addresses = block.addresses.slice(i * perSensor, (i + 1) * perSensor);
        raw.push({
          name: `${prefix}-${String(i + 1).padStart(width, '0')}`,
          label: '',
          addresses,
          cidrs: cidrsOf(addresses),
          downtime: [],
          path: 'sensors',
        });
      }
    }
  }
  const byName = new Map(raw.map((s) => [s.name, s]));
  if (byName.size !== raw.length) ctx.issues.add('sensors', 'has two sensors with the same name');
  (scenario.downtime ?? []).forEach((d, k) => {
    const sensor = byName.get(d.sensor);
    if (sensor === undefined) {
      ctx.issues.add(
        `downtime[${k}].sensor`,
        `no sensor is named "${d.sensor}" (sensors: ${[...byName.keys()].join(', ')})`,
      );
      return;
    }
    const interval = intervalOf(d, `downtime[${k}]`, ctx);
    if (interval) sensor.downtime.push({ interval, note: d.note ?? '' });
  });
  const owner = new Map<number, string>();
  for (const sensor of raw) {
    for (const address of sensor.addresses) {
      const other = owner.get(address);
      if (other !== undefined && other !== sensor.name)
        ctx.issues.add(`${sensor.path}.addresses`, `${formatIpv4(address)} also belongs to sensor ${other}`);
      owner.set(address, sensor.name);
    }
  }
  return raw.map((s, index) => ({
    index,
    name: s.name,
    label: s.label,
    addresses: Uint32Array.from(new Set(s.addresses)).sort(),
    cidrs: s.cidrs,
    downtime: mergeIntervals(s.downtime.map((d) => d.interval)),
    downtimeNotes: s.downtime.map((d) => d.note),
  }));
}

/** The fewest aligned CIDR blocks covering consecutive `addresses`. */
function cidrsOf(addresses: readonly number[]): string[] {
  const out: string[] = [];
  let at = addresses[0] ?? 0;
  let left = addresses.length;
  while (left > 0) {
    let bits = 0;
    while (bits < IPV4_BITS && at % 2 ** (bits + 1) === 0 && 2 ** (bits + 1) <= left) bits++;
    out.push(`${formatIpv4(at)}/${IPV4_BITS - bits}`);
    at += 2 ** bits;
    left -= 2 ** bits;
  }
  return out;
}

/** Other-host addresses; none may belong to a sensor. */
export function compileOtherHosts(
  scenario: Scenario,
  sensors: readonly CompiledSensor[],
  issues: IssueList,
): { share: number; addresses: Uint32Array } | null {
  const spec = scenario.otherHosts;
  if (spec === undefined) return null;
  const owned = new Set<number>();
  for (const s of sensors) for (const a of s.addresses) owned.add(a);
  const addresses: number[] = [];
  listOf(spec.addresses).forEach((text, k) => {
    const path = `otherHosts.addresses${typeof spec.addresses === 'string' ? '' : `[${k}]`}`;
    const block = expandBlock(text);
    if (typeof block === 'string') return issues.add(path, block);
    const clash = block.addresses.find((a) => owned.has(a));
    if (clash !== undefined) return issues.add(path, `${formatIpv4(clash)} belongs to a sensor`);
    addresses.push(...block.addresses);
  });
  return { share: spec.share, addresses: Uint32Array.from(addresses) };
}
