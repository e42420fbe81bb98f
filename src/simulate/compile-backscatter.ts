/**
 * @module
 * Backscatter entries → streams. An entry is a DoS attack on one or more
 * victims; the sensor sees the victims' answers to SYNs (or echo requests)
 * whose source was forged with the sensor's address. Each victim is attacked
 * in episodes (one spanning start..end unless `episodes` asks for several),
 * and the entry yields one stream per response kind (`irc:syn-ack`,
 * `irc:rst-ack`), sharing victims and episodes.
 */

import type { CompiledStream, Episode } from './compiled.js';
import { burstOf, DEFAULT_JITTER } from './compile-streams.js';
import { FAMILIES, type FamilyName } from './families.js';
import { echoReplyPayload } from './payloads.js';
import { hashSeed, hashText, Rng } from '../util/random.js';
import type { BackscatterSpec } from './scenario-schema.js';
import { diurnalWeights, weeklyWeights } from './shapes.js';
import { activeInterval, poolCountries, poolFor, sensorMaskOf, type StreamContext } from './stream-context.js';

const HOURS_PER_DAY = 24;
const SECONDS_PER_HOUR = 3600;
const DEFAULT_RESPONSES = { 'syn-ack': 0.85, 'rst-ack': 0.15 };
const DEFAULT_SPOOFED_PORTS = { from: 1024, to: 65535 };
/** Episodes of one victim stay this far apart, so they read as separate attacks. */
const EPISODE_GAP_SEC = 3600;
const EPISODE_SALT = 0xe915;

/** Episodes inside `[from, to)`: random starts and lengths, victims in turn, never overlapping per victim. */
export function planEpisodes(
  spec: BackscatterSpec,
  options: { from: number; to: number; victims: number; seed: number },
): Episode[] {
  const { from, to, victims } = options;
  if (spec.episodes === undefined) return Array.from({ length: victims }, (_, victim) => ({ from, to, victim }));
  const rng = new Rng(hashSeed(options.seed, EPISODE_SALT, hashText(spec.name)));
  const { count, minHours, maxHours } = spec.episodes;
  const drafts = Array.from({ length: count }, (_, k) => {
    const length = Math.round((minHours + rng.float() * (maxHours - minHours)) * SECONDS_PER_HOUR);
    const start = from + Math.floor(rng.float() * Math.max(0, to - from - length));
    return { from: start, to: Math.min(to, start + length), victim: k % victims };
  });
  drafts.sort((a, b) => a.from - b.from || a.victim - b.victim);
  const out: Episode[] = [];
  const lastEnd = new Map<number, number>();
  for (const d of drafts) {
    const earliest = (lastEnd.get(d.victim) ?? -Infinity) + EPISODE_GAP_SEC;
    const shift = Math.max(0, earliest - d.from);
    const episode = { from: d.from + shift, to: Math.min(to, d.to + shift), victim: d.victim };
    if (episode.to - episode.from <= 0) continue;
    out.push(episode);
    lastEnd.set(d.victim, episode.to);
  }
  return out.sort((a, b) => a.from - b.from || a.victim - b.victim);
}

/** The streams of one backscatter entry (one per response kind with a weight). */
export function compileBackscatter(
  ctx: StreamContext,
  spec: BackscatterSpec,
  options: { index: number; path: string },
): CompiledStream[] {
  const { path } = options;
  const tcp = spec.protocol === 'tcp';
  if (tcp && spec.victimPorts === undefined)
    ctx.issues.add(`${path}.victimPorts`, 'a TCP attack needs the victim ports (e.g. [6667])');
  if (!tcp && spec.victimPorts !== undefined) ctx.issues.add(`${path}.victimPorts`, 'ICMP has no ports');
  if (!tcp && spec.responses !== undefined)
    ctx.issues.add(`${path}.responses`, 'an ICMP attack answers with echo replies only');
  if (!tcp && spec.spoofedPorts !== undefined) ctx.issues.add(`${path}.spoofedPorts`, 'ICMP has no ports');
  const [from, to] = activeInterval(ctx, spec, path);
  if (spec.episodes !== undefined && to - from < spec.episodes.minHours * SECONDS_PER_HOUR) {
    ctx.issues.add(`${path}.episodes.minHours`, 'is longer than the attack window');
  }
  const victims = spec.victims ?? 1;
  const countries = poolCountries(ctx, spec.countries, `${path}.countries`);
  const pool = poolFor(ctx, { name: spec.name, size: victims, countries });
  if (pool === undefined) return [];
  const episodes = planEpisodes(spec, { from, to, victims: pool.size, seed: ctx.seed });
  const responses: Partial<Record<FamilyName, number>> = tcp
    ? { ...(spec.responses ?? DEFAULT_RESPONSES) }
    : { 'echo-reply': 1 };
  const total = Object.values(responses).reduce((a, b) => a + (b ?? 0), 0);
  if (!(total > 0)) ctx.issues.add(`${path}.responses`, 'must give syn-ack or rst-ack a weight above 0');
  const victimPorts = tcp ? Uint16Array.from(spec.victimPorts ?? [0]) : null;
  const sourceServices = victimPorts === null ? [''] : ['', ...[...new Set(victimPorts)].map((p) => `${p}/TCP`)];
  const out: CompiledStream[] = [];
  for (const [family, weight] of Object.entries(responses) as [FamilyName, number][]) {
    if (!(weight > 0)) continue;
    const info = FAMILIES[family];
    // Only an unanswered SYN/ACK is retransmitted; RSTs and echo replies go once.
    const burst = family === 'syn-ack' ? burstOf(ctx, spec.burst, info, path) : { mean: 1, max: 1 };
    const spoofed = tcp ? (spec.spoofedPorts ?? DEFAULT_SPOOFED_PORTS) : null;
    out.push({
      index: options.index + out.length,
      name: `${spec.name}:${family}`,
      kind: 'backscatter',
      entry: spec.name,
      path,
      family,
      info,
      tool: null,
      os: info.defaultOs,
      ports: tcp ? new Uint16Array(0) : Uint16Array.of(0),
      portWeights: tcp ? new Float64Array(0) : Float64Array.of(1),
      together: false,
      randomPorts: spoofed === null ? null : { from: spoofed.from, to: spoofed.to },
      perAddressPorts: spec.spoofedPorts?.perAddress ?? 0,
      portPool: spec.spoofedPorts?.pool ?? 0,
      sourcePort: null,
      sourceServices,
      rate: spec.ratePerHour * HOURS_PER_DAY * (weight / total) * ctx.scale,
      intervals: episodes.map((e) => [e.from, e.to] as const),
      episodes,
      shape: 'step',
      keyframes: [],
      diurnal: diurnalWeights('flat'),
      weekly: weeklyWeights('flat'),
      jitter: spec.jitter ?? DEFAULT_JITTER,
      sensorSpread: 0,
      sensorMask: sensorMaskOf(ctx, spec.sensors, `${path}.sensors`),
      burstMean: burst.mean,
      burstMax: burst.max,
      skew: 0,
      pool,
      quote: null,
      victimPorts,
      qname: '.',
      payload: family === 'echo-reply' ? echoReplyPayload() : null,
      listHosts: true,
    });
  }
  return out;
}
