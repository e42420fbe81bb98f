/**
 * @module
 * What §3 (signature detections) and §4 (DoS backscatter) of a report are
 * drawn from: `detectionInputFromStore()` fills it from the store's
 * detection tables, or a `--detections` JSON file gives it, and the
 * composers draw tables, charts and sentences from it. `null` for either
 * part means the store holds no such data for the period, and the section
 * says so instead of printing numbers.
 *
 * Units follow the access statistics (`analyse/types.ts`): signature counts
 * are alerts per day per sensor address (一日・1IP 当たり), comparable with
 * accesses; backscatter is counted per day over all sensors (一日当たり), as
 * the published report does. Every list may be empty.
 */

import { z } from 'zod';
import { DetectionInputError } from './errors.js';

const COUNT = z.number().nonnegative();
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** ISO 3166 alpha-2, `ZZ` unknown, `--` not looked up. */
const COUNTRY = z.string().regex(/^([A-Z]{2}|--)$/, 'expected a two-letter country code, ZZ or --');
/** `80/TCP`, `6667/TCP`, or a protocol alone (`ICMP`) when it has no ports. */
const SERVICE = z
  .string()
  .regex(/^(\d{1,5}\/[A-Za-z0-9]+|[A-Za-z0-9]+)$/, 'expected a port like 80/TCP or a protocol name');
const NAME = z.string().min(1);

/** An item in this period and the previous one (a category, a country). */
const COMPARED = z.strictObject({ key: NAME, current: COUNT, previous: COUNT });
const BOTH_PERIODS = z.strictObject({ current: COUNT, previous: COUNT });

export const signatureInputSchema = z.strictObject({
  /** Signatures loaded in the sensors at the end of the period; null when not known. */
  rulesLoaded: z.number().int().nonnegative().nullable(),
  /** All categories: alerts per day per address, this period and the previous one. */
  total: BOTH_PERIODS,
  /** Distinct sources per day that raised any signature; null when not known. */
  sourcesPerDay: BOTH_PERIODS.nullable(),
  /** Per category (`Worm`, `Scan`, `Scan(P2P)`, …), per day per address. */
  byCategory: z.array(COMPARED),
  /** Per source country (key: country code), per day per address. */
  byCountry: z.array(COMPARED.extend({ key: COUNTRY })),
  /** This period, per source country × category, per day per address. */
  countryCategory: z.array(z.strictObject({ country: COUNTRY, category: NAME, value: COUNT })),
  /** Per day of the period, per category: alerts per day per address (null: not observed). */
  daily: z.strictObject({
    dates: z.array(DATE),
    categories: z.array(z.strictObject({ key: NAME, values: z.array(COUNT.nullable()) })),
  }),
  /** The signatures raised most this period; `message` is the rule's text (printed escaped). */
  topRules: z.array(
    z.strictObject({ sid: z.number().int().nonnegative(), message: z.string(), category: NAME, current: COUNT }),
  ),
});

export const backscatterInputSchema = z.strictObject({
  /** Per day of the period, all sensors: backscatter packets (SYN/ACK, RST/ACK, …) and distinct sources (victims). */
  daily: z.array(z.strictObject({ date: DATE, packets: COUNT, sources: COUNT })),
  /** The previous period's per-day averages; null when not known. */
  previous: z.strictObject({ packetsPerDay: COUNT, sourcesPerDay: COUNT }).nullable(),
  /** This period's packets by the backscatter's source port (the victim's service). */
  bySourcePort: z.array(z.strictObject({ key: SERVICE, packets: COUNT })),
  /** This period's packets by the victim's country. */
  byCountry: z.array(z.strictObject({ key: COUNTRY, packets: COUNT })),
  /** The victims that sent the most backscatter, most first. */
  victims: z.array(
    z.strictObject({
      address: NAME,
      country: COUNTRY,
      sourcePort: SERVICE,
      packets: COUNT,
      firstDate: DATE,
      lastDate: DATE,
    }),
  ),
});

/** Reflection episodes that started in the period (`analyse/reflection-stats.ts`), and the thresholds they passed. */
export const reflectionInputSchema = z.strictObject({
  settings: z.strictObject({
    gapSec: z.number().int().positive(),
    minPackets: z.number().int().positive(),
    minReflectors: z.number().int().positive(),
    minSpoofedAddresses: z.number().int().positive(),
  }),
  episodes: z.array(
    z.strictObject({
      kind: z.enum(['reflection', 'reflector-flood']),
      service: SERVICE,
      protocol: z.string(),
      /** The spoofed sensor address (`reflection`) or the flooded reflector (`reflector-flood`). */
      target: NAME,
      /** ISO 8601 UTC. */
      start: z.string().datetime(),
      end: z.string().datetime(),
      replies: COUNT,
      quotedQueries: COUNT,
      /** IP bytes of the answers and the fragments that continued them. */
      bytes: COUNT,
      meanReplyBytes: COUNT,
      reflectors: COUNT,
      sensorAddresses: COUNT,
    }),
  ),
});

/** One reason of a campaign link, as `detect/link-reason.ts` has it. */
const LINK_REASON = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('port-set'), jaccard: z.number().min(0).max(1), ports: z.array(z.string()) }),
  z.strictObject({ kind: z.literal('same-prefix'), prefix: NAME }),
  z.strictObject({ kind: z.literal('together'), startGapSec: COUNT, stopGapSec: COUNT }),
  z.strictObject({ kind: z.literal('rotation'), early: NAME, late: NAME, gapSec: z.number() }),
  z.strictObject({ kind: z.literal('same-tool'), tools: z.array(NAME).min(1) }),
  z.strictObject({ kind: z.literal('same-ttl'), ttl: COUNT }),
  z.strictObject({ kind: z.literal('same-ip-id'), ipId: COUNT }),
  z.strictObject({ kind: z.literal('same-window'), window: COUNT }),
  z.strictObject({ kind: z.literal('same-source-port'), port: COUNT }),
  z.strictObject({ kind: z.literal('stepping-source-ports') }),
  z.strictObject({ kind: z.literal('masscan-seed'), seed: COUNT, seedKind: z.enum(['number', 'time']) }),
]);

/** Scanning campaigns of the period (`analyse/campaign-stats.ts`): linked scanners, each link with its reasons. */
export const campaignInputSchema = z.strictObject({
  /** Scanners considered. */
  sources: COUNT,
  campaigns: z.array(
    z.strictObject({
      sources: z.array(NAME).min(2),
      services: z.array(z.string()),
      tools: z.array(z.string()),
      start: z.string().datetime(),
      end: z.string().datetime(),
      packets: COUNT,
      links: z.array(z.strictObject({ a: NAME, b: NAME, reasons: z.array(LINK_REASON) })),
    }),
  ),
});

export const detectionInputSchema = z.strictObject({
  signatures: signatureInputSchema.nullable(),
  backscatter: backscatterInputSchema.nullable(),
  /** Absent or null: no reflection episode in the period (or no raw packets to derive them from). */
  reflection: reflectionInputSchema.nullable().optional(),
  /** Absent or null: no campaign in the period. */
  campaigns: campaignInputSchema.nullable().optional(),
});

export type SignatureInput = z.infer<typeof signatureInputSchema>;
export type BackscatterInput = z.infer<typeof backscatterInputSchema>;
export type ReflectionInput = z.infer<typeof reflectionInputSchema>;
export type CampaignInput = z.infer<typeof campaignInputSchema>;
export type DetectionInput = z.infer<typeof detectionInputSchema>;

/** No detection data: what a store without detection tables gives. */
export const NO_DETECTIONS: DetectionInput = { signatures: null, backscatter: null };

/**
 * Checks `value` (e.g. parsed JSON) and the lengths the schema cannot see;
 * throws `DetectionInputError` naming `source` and the field at fault.
 */
export function parseDetectionInput(value: unknown, source: string): DetectionInput {
  const parsed = detectionInputSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? '$' : issue.path.map(String).join('.');
    throw new DetectionInputError(source, field, issue?.message ?? 'invalid');
  }
  const input = parsed.data;
  const daily = input.signatures?.daily;
  daily?.categories.forEach((series, i) => {
    if (series.values.length !== daily.dates.length) {
      throw new DetectionInputError(
        source,
        `signatures.daily.categories.${i}.values`,
        `has ${series.values.length} values for ${daily.dates.length} dates`,
      );
    }
  });
  const unique = (keys: readonly string[], field: string, prop = 'key'): void => {
    const seen = new Set<string>();
    keys.forEach((key, i) => {
      if (seen.has(key))
        throw new DetectionInputError(source, `${field}.${i}.${prop}`, `${JSON.stringify(key)} appears twice`);
      seen.add(key);
    });
  };
  if (input.signatures !== null) {
    unique(
      input.signatures.byCategory.map((c) => c.key),
      'signatures.byCategory',
    );
    unique(
      input.signatures.byCountry.map((c) => c.key),
      'signatures.byCountry',
    );
    unique(
      input.signatures.daily.categories.map((c) => c.key),
      'signatures.daily.categories',
    );
  }
  if (input.backscatter !== null) {
    unique(
      input.backscatter.bySourcePort.map((c) => c.key),
      'backscatter.bySourcePort',
    );
    unique(
      input.backscatter.byCountry.map((c) => c.key),
      'backscatter.byCountry',
    );
    unique(
      input.backscatter.daily.map((d) => d.date),
      'backscatter.daily',
      'date',
    );
  }
  return input;
}
