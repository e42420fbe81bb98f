/**
 * @module
 * `detectionInputFromStore()`: the §3/§4 input of a period read from the
 * store's detection tables through the detection statistics
 * (`signatureStatistics`, `backscatterStatistics`), so a report drawn from a
 * store that ran detection at ingest needs no `--detections` file.
 *
 * A part is null when no ingest of the period ran it (signatures: the
 * signature engine; backscatter: detection at all), and the section then
 * says that no data was stored. Units are the statistics' own: signature
 * values per day per sensor address, backscatter per day over all sensors.
 * The previous period's values are 0 where its ingests ran no detection
 * (the input has no "unknown" there), and the backscatter `previous` is null.
 * Reflection episodes and scanning campaigns are derived from raw packets
 * (and the scanner evidence); each part is absent when the period has none.
 */

import {
  backscatterStatistics,
  campaignStatistics,
  previousPeriod,
  reflectionStatistics,
  type CampaignStatistics,
  signatureStatistics,
  type BackscatterStatistics,
  type Period,
  type ReflectionStatistics,
  type SignatureStatistics,
} from '../../analyse/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import {
  parseDetectionInput,
  type BackscatterInput,
  type CampaignInput,
  type DetectionInput,
  type ReflectionInput,
  type SignatureInput,
} from './detection-input.js';

/** Rules listed in the input; the section prints the first ten. */
const TOP_RULES = 20;
/** Victims listed in the input: every backscatter packet counts, attack or not (the report's table is the sources of backscatter). */
const VICTIMS_LISTED = 20;
const SOURCE = 'store detection tables';

/** §3/§4 input of `period` from the store; parts are null where the period's ingests ran no such detection. */
export async function detectionInputFromStore(store: AnalyticsStore, period: Period): Promise<DetectionInput> {
  const [sig, sigBefore, bs, rs, cs] = await Promise.all([
    signatureStatistics(store, { period, topSignatures: TOP_RULES }),
    signatureStatistics(store, { period: previousPeriod(period), topSignatures: 0 }),
    backscatterStatistics(store, { period, topAttacks: 0, topVictims: VICTIMS_LISTED }),
    reflectionStatistics(store, { period }),
    campaignStatistics(store, { period }),
  ]);
  const input: DetectionInput = {
    signatures: sig.method.ingestsWithSignatures === 0 ? null : signatureInput(sig, sigBefore),
    backscatter: bs.method.ingestsWithDetection === 0 ? null : backscatterInput(bs),
    // Only a period with episodes gets the part, so reports and inputs without reflection read as before.
    ...(rs.episodes.length === 0 ? {} : { reflection: reflectionInput(rs) }),
    ...(cs.campaigns.length === 0 ? {} : { campaigns: campaignInput(cs) }),
  };
  // The statistics' keys (countries, services) must be what the sections can print: checked as a file would be.
  return parseDetectionInput(input, SOURCE);
}

function signatureInput(s: SignatureStatistics, before: SignatureStatistics): SignatureInput {
  const hasPrevious = s.previousMethod.ingestsWithSignatures > 0;
  const previousOf = (value: number | null): number => (hasPrevious ? (value ?? 0) : 0);
  const previousCountry = new Map(before.countries.map((c) => [c.country, c.perDayPerAddress]));
  const perAddress = (packets: number): number => (s.current.addressDays > 0 ? packets / s.current.addressDays : 0);
  const rulesOf = s.method.ruleSets.filter((r) => r.rulesSha256 !== '');
  return {
    // The rule set most of the period's ingests matched with (`ruleSets` is sorted by ingests).
    rulesLoaded: rulesOf[0]?.rulesLoaded ?? null,
    total: { current: s.current.perDayPerAddress ?? 0, previous: previousOf(s.previous.perDayPerAddress) },
    sourcesPerDay:
      s.current.sourcesPerDay === null
        ? null
        : { current: s.current.sourcesPerDay, previous: previousOf(s.previous.sourcesPerDay) },
    byCategory: s.categories.map((c) => ({
      key: c.category,
      current: c.current,
      previous: hasPrevious ? c.previous : 0,
    })),
    byCountry: s.countries.map((c) => ({
      key: c.country,
      current: c.perDayPerAddress ?? 0,
      previous: previousOf(previousCountry.get(c.country) ?? 0),
    })),
    countryCategory: s.countries.flatMap((c) =>
      c.categories.map((x) => ({ country: c.country, category: x.category, value: perAddress(x.packets) })),
    ),
    daily: {
      dates: s.dates,
      categories: s.categorySeries.map((c) => ({ key: c.category, values: c.perDayPerAddress })),
    },
    topRules: s.signatures.map((r) => ({
      sid: r.sid,
      message: r.msg,
      category: r.category,
      current: r.perDayPerAddress ?? 0,
    })),
  };
}

function campaignInput(c: CampaignStatistics): CampaignInput {
  return {
    sources: c.sources,
    campaigns: c.campaigns.map((x) => ({
      sources: x.sources,
      services: x.services,
      tools: x.tools,
      start: x.start,
      end: x.end,
      packets: x.packets,
      links: x.links.map((l) => ({ a: l.a, b: l.b, reasons: l.reasons })),
    })),
  };
}

function reflectionInput(r: ReflectionStatistics): ReflectionInput {
  return {
    settings: r.settings,
    episodes: r.episodes.map((e) => ({
      kind: e.kind,
      service: e.service,
      protocol: e.protocol,
      target: e.target,
      start: e.start,
      end: e.end,
      replies: e.replies,
      quotedQueries: e.quotedQueries,
      bytes: e.replyBytes + e.fragmentBytes,
      meanReplyBytes: e.meanReplyBytes,
      reflectors: e.reflectors,
      sensorAddresses: e.sensorAddresses,
    })),
  };
}

function backscatterInput(b: BackscatterStatistics): BackscatterInput {
  const { dates, packets, victims, perDayPerAddress } = b.daily;
  return {
    // Days no sensor observed are left out, so the mean over `daily` is the statistics' packets per observed day.
    daily: dates.flatMap((date, i) =>
      perDayPerAddress[i] === null ? [] : [{ date, packets: packets[i]!, sources: victims[i]! }],
    ),
    previous:
      b.previousMethod.ingestsWithDetection === 0 || b.previous.packetsPerDay === null
        ? null
        : { packetsPerDay: b.previous.packetsPerDay, sourcesPerDay: b.previous.victimsPerDay ?? 0 },
    bySourcePort: b.byVictimPort.map((p) => ({ key: p.key, packets: p.packets })),
    byCountry: b.byCountry.map((c) => ({ key: c.country, packets: c.packets })),
    victims: b.victims.map((v) => ({
      address: v.victim,
      country: v.country,
      sourcePort: v.service,
      packets: v.packets,
      firstDate: v.firstDate,
      lastDate: v.lastDate,
    })),
  };
}
