/**
 * @module
 * What compiling a stream needs from the rest of the scenario: the zone and
 * period, seed and scale, the country networks, sensor names, and the issue
 * list; plus the helpers every stream kind shares (countries, pools, timing).
 */

import { type Ipv4Networks, parseServiceKey, servicePort, serviceProto } from '../classify/index.js';
import { IpProto } from '../decode/index.js';
import type { IssueList } from './errors.js';
import type { Transport } from './families.js';
import { hashSeed, hashText, Rng } from '../util/random.js';
import type { EventShape, TrendSpec } from './scenario-schema.js';
import { parseScenarioTime } from './scenario-time.js';
import type { Interval, Keyframe } from './shapes.js';
import { drawSourcePool, type PoolCountry, type SourcePool } from './source-pool.js';

/** Pools up to this size are specific hosts (reflectors, victims) and keep their size at any scale. */
export const FIXED_POOL_MAX = 64;
const POOL_SALT = 0x9001;

const PROTO_OF: Readonly<Record<Transport, number>> = { tcp: IpProto.TCP, udp: IpProto.UDP, icmp: IpProto.ICMP };

export interface StreamContext {
  readonly timeZone: string;
  readonly startSec: number;
  readonly endSec: number;
  readonly seed: number;
  readonly scale: number;
  readonly networks: ReadonlyMap<string, Ipv4Networks>;
  readonly sensorNames: readonly string[];
  /** Addresses no source may have: the sensors' and the other hosts'. */
  readonly excluded: ReadonlySet<number>;
  readonly issues: IssueList;
  /** Index of a country code in the scenario's list, adding it on first use. */
  countryIndex(code: string): number;
}

/** Parses a scenario time, recording a problem at `path` and returning undefined on failure. */
export function timeAt(ctx: StreamContext, text: string | undefined, path: string, end = false): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseScenarioTime(text, ctx.timeZone, { end });
  } catch (error) {
    ctx.issues.add(path, error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** The active interval `[start, end)`, defaulting to the period. */
export function activeInterval(
  ctx: StreamContext,
  spec: { start?: string | undefined; end?: string | undefined },
  path: string,
): Interval {
  const from = timeAt(ctx, spec.start, `${path}.start`) ?? ctx.startSec;
  const to = timeAt(ctx, spec.end, `${path}.end`, true) ?? ctx.endSec;
  if (to <= from) ctx.issues.add(`${path}.end`, 'must be after start');
  return [from, to];
}

export function keyframesOf(ctx: StreamContext, trend: TrendSpec | undefined, path: string): Keyframe[] {
  return (trend ?? [])
    .map((k, i) => ({ sec: timeAt(ctx, k.at, `${path}.trend[${i}].at`) ?? 0, factor: k.factor }))
    .sort((a, b) => a.sec - b.sec);
}

/** Countries with their networks; unknown codes are recorded as problems. */
export function poolCountries(
  ctx: StreamContext,
  weights: Readonly<Record<string, number>>,
  path: string,
): PoolCountry[] {
  const out: PoolCountry[] = [];
  for (const [code, weight] of Object.entries(weights)) {
    const networks = ctx.networks.get(code);
    if (networks === undefined || networks.total === 0) {
      ctx.issues.add(`${path}.${code}`, `the GeoIP database has no IPv4 networks for ${code}`);
      continue;
    }
    out.push({ code, weight, index: ctx.countryIndex(code), networks });
  }
  if (Object.keys(weights).length === 0) ctx.issues.add(path, 'must name at least one country');
  return out;
}

/** Pool size at the scenario's scale: specific hosts keep their number. */
export function scaledPoolSize(ctx: StreamContext, sources: number): number {
  return sources <= FIXED_POOL_MAX ? sources : Math.max(FIXED_POOL_MAX, Math.round(sources * ctx.scale));
}

/** Draws a pool seeded by the stream's name, so other streams do not change it. */
export function poolFor(
  ctx: StreamContext,
  options: { name: string; size: number; countries: readonly PoolCountry[]; salt?: number },
): SourcePool | undefined {
  if (options.countries.length === 0) return undefined;
  const rng = new Rng(hashSeed(ctx.seed, POOL_SALT, hashText(options.name), options.salt ?? 0));
  return drawSourcePool({ size: options.size, countries: options.countries, rng, excluded: ctx.excluded });
}

export interface ParsedService {
  proto: number;
  port: number;
  weight: number;
}

/** Services of a spec (text, list or weights), checked against the family's transport. */
export function parseServices(
  ctx: StreamContext,
  spec: string | readonly string[] | Readonly<Record<string, number>>,
  options: { transport: Transport; path: string },
): ParsedService[] {
  const entries: [string, number, string][] =
    typeof spec === 'string'
      ? [[spec, 1, options.path]]
      : Array.isArray(spec)
        ? spec.map((s, i) => [s, 1, `${options.path}[${i}]`] as [string, number, string])
        : Object.entries(spec).map(([s, w]) => [s, w, `${options.path}.${s}`] as [string, number, string]);
  const out: ParsedService[] = [];
  for (const [text, weight, path] of entries) {
    let key: number;
    try {
      key = parseServiceKey(text);
    } catch (error) {
      ctx.issues.add(path, error instanceof Error ? error.message : String(error));
      continue;
    }
    const port = servicePort(key);
    if (serviceProto(key) !== PROTO_OF[options.transport] || port < 0) {
      ctx.issues.add(path, `"${text}" is not a ${options.transport.toUpperCase()} service, which this family sends`);
      continue;
    }
    out.push({ proto: serviceProto(key), port, weight });
  }
  return out;
}

export function sensorMaskOf(ctx: StreamContext, names: readonly string[] | undefined, path: string): boolean[] {
  if (names === undefined) return ctx.sensorNames.map(() => true);
  const mask = ctx.sensorNames.map(() => false);
  names.forEach((name, i) => {
    const k = ctx.sensorNames.indexOf(name);
    if (k < 0) ctx.issues.add(`${path}[${i}]`, `no sensor is named "${name}"`);
    else mask[k] = true;
  });
  return mask;
}

export function shapeOf(shape: EventShape | undefined): EventShape {
  return shape ?? 'step';
}
