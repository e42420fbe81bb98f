/**
 * @module
 * A period's scanning campaigns over the telescope (`detect/campaign-links.ts`):
 * the period's scanners (`telescope-scanners.ts`, merged over their windows)
 * with what their probes share, read from the raw packets the store keeps:
 * the full set of probed services, the modal TTL and TCP window, the IP ID
 * and source port patterns. A source whose raw packets are gone (past the
 * raw retention) keeps only its tool tags and its five most-probed
 * services, so it links less often; `rawPackets` says how many probes
 * were read. For the busiest Masscan sources the seed of their SYN cookies
 * is searched (`detect/masscan-seed.ts`).
 */

import { formatServiceKey, PacketClass } from '../classify/index.js';
import { IpProto } from '../decode/index.js';
import {
  DEFAULT_CAMPAIGN_SETTINGS,
  DEFAULT_SCAN_THRESHOLDS,
  findCampaigns,
  recoverMasscanSeed,
  type CookieProbe,
  type RecoveredSeed,
  type Campaign,
  type CampaignLink,
  type CampaignSettings,
  type CampaignSource,
  type ScanThresholds,
  type ScannerSummary,
} from '../detect/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { parseIpv4 } from '../util/ip-address.js';
import { sensorClause } from './detection-scope.js';
import { placeholders } from './queries.js';
import type { Scope } from './scope.js';
import { telescopeScanners } from './telescope-scanners.js';

/** Sources per `IN (…)` list: well under both stores' parameter limits. */
const SOURCES_PER_QUERY = 2000;
/** Masscan sources whose seed is searched, busiest first: each search tries ~150,000 seeds (about 40 ms). */
const MAX_SEED_SEARCHES = 32;
const TCP_SYN = 0x02;
const UINT16_MASK = 0xffff;
/** A counter that moved less than this many values per probe counts as sequential. */
const SEQUENTIAL_SPAN_PER_PROBE = 4;

export interface TelescopeCampaigns {
  settings: CampaignSettings;
  /** Scanners of the period considered, and raw probes read for them. */
  sources: number;
  rawPackets: number;
  campaigns: Campaign[];
  /** Every link, campaigns' or not (every link joins a campaign). */
  links: CampaignLink[];
  /** The sources with their features, by first probe. */
  features: CampaignSource[];
}

interface RawFeatures {
  packets: number;
  /** Seconds of the first and last probe. */
  firstSec: number;
  lastSec: number;
  services: string[];
  ttl: number;
  window: number | null;
  ipId: CampaignSource['ipId'];
  sport: CampaignSource['sport'];
}

/** Mode of (value, count) rows; ties go to the smaller value. */
function modeOf(rows: Array<{ value: number; n: number }>): number {
  let best = rows[0]!;
  for (const r of rows) if (r.n > best.n || (r.n === best.n && r.value < best.value)) best = r;
  return best.value;
}

function groupRows<T extends { src: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.src);
    if (list === undefined) out.set(r.src, [r]);
    else list.push(r);
  }
  return out;
}

/** Probe features of `sources` in the period from the raw packets. */
async function rawFeatures(
  store: AnalyticsStore,
  scope: Scope,
  sources: readonly string[],
): Promise<Map<string, RawFeatures>> {
  const out = new Map<string, RawFeatures>();
  const sensors = sensorClause(scope);
  for (let at = 0; at < sources.length; at += SOURCES_PER_QUERY) {
    const chunk = sources.slice(at, at + SOURCES_PER_QUERY);
    const where = `ts_sec >= ? AND ts_sec < ? AND packet_class = ? AND src IN (${placeholders(chunk.length)})${sensors.sql}`;
    const params = [scope.period.startSec, scope.period.endSec, PacketClass.PROBE, ...chunk, ...sensors.params];
    const [totals, services, ttls, windows] = await Promise.all([
      store.query<{
        src: string;
        n: number;
        ids: number;
        id_lo: number;
        id_hi: number;
        sports: number;
        sp_lo: number;
        sp_hi: number;
        t0: number;
        t1: number;
      }>({
        sql: `SELECT src, COUNT(*) AS n, COUNT(DISTINCT ip_id) AS ids, MIN(ip_id) AS id_lo, MAX(ip_id) AS id_hi, COUNT(DISTINCT sport) AS sports,
          MIN(sport) AS sp_lo, MAX(sport) AS sp_hi, MIN(ts_sec) AS t0, MAX(ts_sec) AS t1 FROM packets WHERE ${where} GROUP BY src`,
        params,
      }),
      store.query<{ src: string; service: number }>({
        sql: `SELECT src, service FROM packets WHERE ${where} GROUP BY src, service`,
        params,
      }),
      store.query<{ src: string; value: number; n: number }>({
        sql: `SELECT src, ttl AS value, COUNT(*) AS n FROM packets WHERE ${where} GROUP BY src, ttl`,
        params,
      }),
      store.query<{ src: string; value: number; n: number }>({
        sql: `SELECT src, win AS value, COUNT(*) AS n FROM packets WHERE ${where} AND proto = ? GROUP BY src, win`,
        params: [...params, IpProto.TCP],
      }),
    ]);
    const serviceRows = groupRows(services);
    const ttlRows = groupRows(ttls);
    const windowRows = groupRows(windows);
    for (const t of totals) {
      const n = Number(t.n);
      const ids = Number(t.ids);
      const idSpan = Number(t.id_hi) - Number(t.id_lo) + 1;
      const sports = Number(t.sports);
      const spSpan = Number(t.sp_hi) - Number(t.sp_lo) + 1;
      const win = windowRows.get(t.src);
      out.set(t.src, {
        packets: n,
        firstSec: Number(t.t0),
        lastSec: Number(t.t1),
        services: (serviceRows.get(t.src) ?? []).map((r) => formatServiceKey(Number(r.service))).sort(),
        ttl: modeOf(ttlRows.get(t.src)!.map((r) => ({ value: Number(r.value), n: Number(r.n) }))),
        window: win === undefined ? null : modeOf(win.map((r) => ({ value: Number(r.value), n: Number(r.n) }))),
        ipId:
          ids === 1
            ? { kind: 'constant', value: Number(t.id_lo) }
            : idSpan <= SEQUENTIAL_SPAN_PER_PROBE * n
              ? { kind: 'sequential' }
              : { kind: 'random' },
        sport:
          sports === 1
            ? { kind: 'fixed', port: Number(t.sp_lo) }
            : sports === n && spSpan === n
              ? { kind: 'stepping' }
              : { kind: 'varied' },
      });
    }
  }
  return out;
}

/**
 * The Masscan seeds of the busiest `MAX_SEED_SEARCHES` Masscan sources
 * (`detect/masscan-seed.ts`), from their TCP probes of the first and the
 * last second they probed in: one query, a few rows per source.
 */
async function masscanSeeds(
  store: AnalyticsStore,
  scope: Scope,
  sources: ReadonlyArray<{ source: string; raw: RawFeatures }>,
): Promise<Map<string, RecoveredSeed>> {
  const out = new Map<string, RecoveredSeed>();
  const searched = [...sources].sort((a, b) => b.raw.packets - a.raw.packets).slice(0, MAX_SEED_SEARCHES);
  if (searched.length === 0) return out;
  const sensors = sensorClause(scope);
  const rows = await store.query<{
    src: string;
    dst: string;
    sport: number;
    dport: number;
    seq: number;
    ip_id: number;
  }>({
    sql: `SELECT src, dst, sport, dport, seq, ip_id FROM packets WHERE ts_sec >= ? AND ts_sec < ? AND packet_class = ? AND proto = ?
      AND tcp_flags = ? AND (${searched.map(() => '(src = ? AND ts_sec IN (?, ?))').join(' OR ')})${sensors.sql}`,
    params: [
      scope.period.startSec,
      scope.period.endSec,
      PacketClass.PROBE,
      IpProto.TCP,
      TCP_SYN,
      ...searched.flatMap((s) => [s.source, s.raw.firstSec, s.raw.lastSec]),
      ...sensors.params,
    ],
  });
  const bySource = groupRows(rows);
  for (const { source, raw } of searched) {
    const probes: CookieProbe[] = [];
    for (const r of bySource.get(source) ?? []) {
      const probe = {
        src: parseIpv4(r.src),
        dst: parseIpv4(r.dst),
        sport: Number(r.sport),
        dport: Number(r.dport),
        seq: Number(r.seq),
      };
      // Only Masscan's own probes: the IP ID relation holds.
      if (((probe.dst ^ probe.dport ^ probe.seq) & UINT16_MASK) === Number(r.ip_id)) probes.push(probe);
    }
    const seed = recoverMasscanSeed(probes, { firstSec: raw.firstSec });
    if (seed !== null) out.set(source, seed);
  }
  return out;
}

/** One source's scanner windows merged over the period. */
function mergeWindows(windows: readonly ScannerSummary[]): Omit<CampaignSource, 'ttl' | 'window' | 'ipId' | 'sport'> {
  const first = windows.reduce((a, b) => (b.firstSeen < a.firstSeen ? b : a));
  return {
    source: first.source,
    address: first.sourceAddress,
    asn: first.asn,
    countryCode: first.countryCode,
    firstSeen: Math.min(...windows.map((w) => w.firstSeen)),
    lastSeen: Math.max(...windows.map((w) => w.lastSeen)),
    packets: windows.reduce((n, w) => n + w.packets, 0),
    services: [...new Set(windows.flatMap((w) => w.topServices.map((t) => t.service)))].sort(),
    tools: [...new Set(windows.flatMap((w) => w.tools))].sort(),
  };
}

/** The campaigns among the scanners of `scope`'s period. */
export async function telescopeCampaigns(
  store: AnalyticsStore,
  scope: Scope,
  options: { settings?: Partial<CampaignSettings>; thresholds?: ScanThresholds } = {},
): Promise<TelescopeCampaigns> {
  const settings = { ...DEFAULT_CAMPAIGN_SETTINGS, ...options.settings };
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw new RangeError(`Cannot use campaign setting ${name}: ${String(value)}`);
  }
  const scanners = (await telescopeScanners(store, scope, options.thresholds ?? DEFAULT_SCAN_THRESHOLDS)).filter(
    (s) => s.scanType !== 'none' || s.tools.length > 0,
  );
  const bySource = new Map<string, ScannerSummary[]>();
  for (const s of scanners) {
    const list = bySource.get(s.source);
    if (list === undefined) bySource.set(s.source, [s]);
    else list.push(s);
  }
  const raw = await rawFeatures(store, scope, [...bySource.keys()]);
  const seeds = await masscanSeeds(
    store,
    scope,
    [...bySource.entries()]
      .filter(([source, windows]) => raw.has(source) && windows.some((w) => w.tools.includes('masscan')))
      .map(([source]) => ({ source, raw: raw.get(source)! })),
  );
  let rawPackets = 0;
  const features: CampaignSource[] = [...bySource.values()].map((windows) => {
    const base = mergeWindows(windows);
    const r = raw.get(base.source);
    if (r === undefined) return { ...base, ttl: null, window: null, ipId: null, sport: null, masscanSeed: null };
    rawPackets += r.packets;
    return {
      ...base,
      services: r.services,
      ttl: r.ttl,
      window: r.window,
      ipId: r.ipId,
      sport: r.sport,
      masscanSeed: seeds.get(base.source) ?? null,
    };
  });
  features.sort((a, b) => a.firstSeen - b.firstSeen || a.address - b.address);
  const { links, campaigns } = findCampaigns(features, settings);
  return { settings, sources: features.length, rawPackets, campaigns, links, features };
}
