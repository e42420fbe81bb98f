/**
 * @module
 * Populations, events and scanners → `CompiledStream`s. They share one
 * shape (a family sending at a rate from a pool of sources); events must name
 * their start and end, and scanners are SYN probes carrying a tool's
 * fingerprint. `time-exceeded` quotes are resolved once every stream exists,
 * since they may point at another stream's sources.
 */

import type { CompiledStream, StreamKind } from './compiled.js';
import { FAMILIES, type FamilyInfo, type FamilyName, type ScannerTool } from './families.js';
import {
  dhtPingPayload,
  dnsAnyQuery,
  dnsRootAnyAnswer,
  echoReplyPayload,
  hexBytes,
  messengerPayload,
  nachiPayload,
  slammerPayload,
  traceroutePayload,
  windowsPingPayload,
} from './payloads.js';
import type { BurstSpec, PopulationSpec, ScannerSpec } from './scenario-schema.js';
import { diurnalWeights, weeklyWeights } from './shapes.js';
import {
  activeInterval,
  FIXED_POOL_MAX,
  keyframesOf,
  parseServices,
  poolCountries,
  poolFor,
  scaledPoolSize,
  sensorMaskOf,
  shapeOf,
  type ParsedService,
  type StreamContext,
} from './stream-context.js';

export const DEFAULT_JITTER = 0.12;
export const DEFAULT_SENSOR_SPREAD = 0.2;
const MIRAI_SERVICES = { '23/TCP': 9, '2323/TCP': 1 };
const TOOL_OS = { zmap: 'bare', masscan: 'bare', mirai: 'linux' } as const;

/** Payload template of a family (null: none, or built per packet). */
export function payloadOf(
  family: FamilyName,
  spec: { qname?: string | undefined; payloadHex?: string | undefined },
): Uint8Array | null {
  switch (family) {
    case 'slammer':
      return slammerPayload();
    case 'nachi':
      return nachiPayload();
    case 'echo-request':
      return windowsPingPayload();
    case 'echo-reply':
      return echoReplyPayload();
    case 'bittorrent-dht':
      return dhtPingPayload();
    case 'messenger-popup':
      return messengerPayload();
    case 'dns-any':
      return dnsAnyQuery(spec.qname ?? '.');
    case 'dns-answer':
      return dnsRootAnyAnswer();
    case 'traceroute':
      return traceroutePayload();
    case 'udp-probe':
      return spec.payloadHex === undefined ? null : hexBytes(spec.payloadHex);
    default:
      return null;
  }
}

/** Burst as mean and max; a plain number is a fixed count. Checks it against the family's spacing. */
export function burstOf(
  ctx: StreamContext,
  spec: BurstSpec | undefined,
  info: FamilyInfo,
  path: string,
): { mean: number; max: number } {
  const burst = spec === undefined ? { mean: 1, max: 1 } : typeof spec === 'number' ? { mean: spec, max: spec } : spec;
  if (burst.max > info.gaps.length + 1) {
    ctx.issues.add(`${path}.burst`, `this family sends at most ${info.gaps.length + 1} packet(s) per visit`);
  }
  return burst;
}

interface Destinations {
  ports: Uint16Array;
  portWeights: Float64Array;
  randomPorts: { from: number; to: number } | null;
  perAddressPorts: number;
  portPool: number;
}

function destinationsOf(
  ctx: StreamContext,
  spec: Pick<PopulationSpec, 'services' | 'destinationPorts'>,
  info: FamilyInfo,
  path: string,
): Destinations {
  if (spec.services !== undefined && spec.destinationPorts !== undefined)
    ctx.issues.add(path, 'give services or destinationPorts, not both');
  let services: ParsedService[] = [];
  if (spec.services !== undefined)
    services = parseServices(ctx, spec.services, { transport: info.transport, path: `${path}.services` });
  else if (spec.destinationPorts === undefined && info.defaultServices !== null)
    services = parseServices(ctx, info.defaultServices, { transport: info.transport, path: `${path}.family` });
  const random = spec.destinationPorts ?? (services.length === 0 ? info.defaultDestinationPorts : null);
  if (random !== null && info.transport === 'icmp') ctx.issues.add(`${path}.destinationPorts`, 'ICMP has no ports');
  if (services.length === 0 && random === null && spec.services === undefined)
    ctx.issues.add(path, 'needs services (e.g. 445/TCP) or destinationPorts for this family');
  let sum = 0;
  return {
    ports: Uint16Array.from(services, (s) => s.port),
    portWeights: Float64Array.from(services, (s) => (sum += s.weight)),
    randomPorts: services.length > 0 || random === null ? null : { from: random.from, to: random.to },
    perAddressPorts: spec.destinationPorts?.perAddress ?? 0,
    portPool: spec.destinationPorts?.pool ?? 0,
  };
}

type StreamSpec = (PopulationSpec & { kind: 'population' | 'event' }) | (ScannerSpec & { kind: 'scanner' });

/** Compiles one population, event or scanner; `path` is its field path (`events[2]`). */
export function compileStream(
  ctx: StreamContext,
  spec: StreamSpec,
  options: { index: number; path: string },
): CompiledStream | undefined {
  const { path } = options;
  const tool: ScannerTool | null = spec.kind === 'scanner' ? spec.tool : null;
  const family: FamilyName = spec.kind === 'scanner' ? 'syn-scan' : spec.family;
  const info = FAMILIES[family];
  const services =
    spec.kind === 'scanner' && spec.services === undefined && tool === 'mirai' ? MIRAI_SERVICES : spec.services;
  if (spec.kind === 'scanner' && services === undefined)
    ctx.issues.add(`${path}.services`, `${spec.tool} scanners need services to probe`);
  const pop = spec.kind === 'scanner' ? undefined : spec;
  const destinations = destinationsOf(ctx, { services, destinationPorts: pop?.destinationPorts }, info, path);
  const sourcePortSpec = pop?.sourcePort ?? info.defaultSourcePort;
  const sourcePort =
    sourcePortSpec === null
      ? null
      : typeof sourcePortSpec === 'number'
        ? { from: sourcePortSpec, to: sourcePortSpec }
        : sourcePortSpec;
  if (sourcePort !== null && info.transport === 'icmp') ctx.issues.add(`${path}.sourcePort`, 'ICMP has no ports');
  const fixedSource = sourcePort !== null && sourcePort.from === sourcePort.to && info.transport !== 'icmp';
  const protoName = info.transport === 'tcp' ? 'TCP' : 'UDP';
  const burst = burstOf(ctx, pop?.burst, info, path);
  if (pop?.quote !== undefined && family !== 'time-exceeded')
    ctx.issues.add(`${path}.quote`, 'only time-exceeded quotes a packet');
  if (family === 'time-exceeded' && pop?.quote === undefined)
    ctx.issues.add(`${path}.quote`, 'time-exceeded needs the quoted packet (service and victims)');
  if (pop?.qname !== undefined && family !== 'dns-any') ctx.issues.add(`${path}.qname`, 'only dns-any asks for a name');
  if (pop?.payloadHex !== undefined && family !== 'udp-probe')
    ctx.issues.add(`${path}.payloadHex`, 'only udp-probe takes a payload');
  if (pop?.os !== undefined && tool !== null) ctx.issues.add(`${path}.os`, 'a scanner tool sets its own packet traits');
  const countries = poolCountries(ctx, spec.countries, `${path}.countries`);
  const pool = poolFor(ctx, { name: spec.name, size: scaledPoolSize(ctx, spec.sources), countries });
  if (pool === undefined) return undefined;
  const kind: StreamKind = spec.kind;
  return {
    index: options.index,
    name: spec.name,
    kind,
    entry: spec.name,
    path,
    family,
    info,
    tool,
    os: tool === null ? (pop?.os ?? info.defaultOs) : TOOL_OS[tool],
    ...destinations,
    together: pop?.together ?? false,
    sourcePort,
    sourceServices: fixedSource ? ['', `${sourcePort.from}/${protoName}`] : [''],
    rate: spec.rate * ctx.scale,
    intervals: [activeInterval(ctx, spec, path)],
    episodes: null,
    shape: shapeOf(spec.shape),
    keyframes: keyframesOf(ctx, spec.trend, path),
    diurnal: diurnalWeights(spec.diurnal),
    weekly: weeklyWeights(spec.weekly),
    jitter: spec.jitter ?? DEFAULT_JITTER,
    sensorSpread: spec.sensorSpread ?? DEFAULT_SENSOR_SPREAD,
    sensorMask: sensorMaskOf(ctx, spec.sensors, `${path}.sensors`),
    burstMean: burst.mean,
    burstMax: burst.max,
    skew: pop?.skew ?? 0,
    pool,
    quote: null,
    victimPorts: null,
    qname: pop?.qname ?? '.',
    payload: payloadOf(family, pop ?? {}),
    listHosts: tool !== null || family === 'dns-answer' || pool.size <= FIXED_POOL_MAX,
  };
}

/** Fills `quote` of time-exceeded streams, after every stream is compiled. */
export function resolveQuotes(
  ctx: StreamContext,
  streams: CompiledStream[],
  specs: readonly { spec: PopulationSpec; path: string; index: number }[],
): void {
  for (const { spec, path, index } of specs) {
    const quote = spec.quote;
    const stream = streams[index];
    if (quote === undefined || stream === undefined || stream.family !== 'time-exceeded') continue;
    const [service] = parseServices(ctx, quote.service, {
      transport: quote.service.toUpperCase().endsWith('/TCP') ? 'tcp' : 'udp',
      path: `${path}.quote.service`,
    });
    if (service === undefined) continue;
    let victims: Uint32Array | undefined;
    if (quote.victimsFrom !== undefined) {
      if (quote.victims !== undefined || quote.countries !== undefined)
        ctx.issues.add(`${path}.quote`, 'give victimsFrom or victims with countries, not both');
      victims = streams.find((s) => s.entry === quote.victimsFrom)?.pool.addresses;
      if (victims === undefined)
        ctx.issues.add(`${path}.quote.victimsFrom`, `no stream is named "${quote.victimsFrom}"`);
    } else if (quote.victims !== undefined && quote.countries !== undefined) {
      const countries = poolCountries(ctx, quote.countries, `${path}.quote.countries`);
      victims = poolFor(ctx, { name: spec.name, size: quote.victims, countries, salt: 1 })?.addresses;
    } else {
      ctx.issues.add(`${path}.quote`, 'needs victimsFrom, or victims and countries');
    }
    if (victims !== undefined)
      streams[index] = { ...stream, quote: { proto: service.proto, port: service.port, victims } };
  }
}
