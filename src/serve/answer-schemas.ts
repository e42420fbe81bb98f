/**
 * @module
 * JSON Schemas of the analyse stage's results as the API serves them
 * (`analyse/types.ts` says what each field means), and the error body.
 */

import { arr, bool, int, nullable, num, obj, openObj, str, strEnum, type JsonSchema } from './schema-kit.js';

const periodKind = strEnum(['month', 'quarter', 'fiscal-quarter', 'day', 'range']);

export const periodRef = obj({ label: str, kind: periodKind, timeZone: str, firstDate: str, lastDate: str, days: int });

const appliedFilter = obj({
  sensors: nullable(arr(str)),
  ipVersion: { type: ['integer', 'null'], enum: [4, 6, null] },
  packetClasses: nullable(arr(str)),
  service: nullable(str),
  country: nullable(str),
});

const totals = obj({
  packets: num,
  bytes: num,
  addressDays: num,
  perDayPerAddress: nullable(num),
  observedDays: int,
  sourcesPerDay: nullable(num),
  sources: nullable(num),
});

const change = obj({ abs: nullable(num), pct: nullable(num) });

const sensorUse = obj({
  name: str,
  label: str,
  addresses: arr(str),
  addressCount: num,
  addressDays: num,
  previousAddressDays: num,
});

/** 95 % intervals and the tested change (`analyse/rate-uncertainty.ts`, `RateUncertainty`). */
const rateBounds = nullable(obj({ low: num, high: num, dispersion: num, days: int }));
const changeTest = nullable(
  obj({
    ratio: num,
    low: num,
    high: num,
    pValue: num,
    qValue: num,
    df: nullable(num),
    direction: strEnum(['increase', 'decrease', 'none']),
  }),
);
const rateUncertainty = { level: num, current: rateBounds, previous: rateBounds, change: changeTest };

export const periodSummary = obj({
  period: periodRef,
  previousPeriod: periodRef,
  filter: appliedFilter,
  sensors: arr(sensorUse),
  current: totals,
  previous: totals,
  change: obj({ packets: change, perDayPerAddress: change, sourcesPerDay: change }),
  uncertainty: obj(rateUncertainty),
});

const itemLabel = obj({
  service: nullable(str),
  country: nullable(str),
  countryJa: nullable(str),
  countryEn: nullable(str),
  sensor: nullable(str),
  sensorLabel: nullable(str),
  sourcePort: nullable(str),
});

const rankingRow = obj({
  key: str,
  rank: nullable(int),
  previousRank: nullable(int),
  current: num,
  previous: num,
  changeAbs: num,
  changePct: nullable(num),
  increaseRank: nullable(int),
  decreaseRank: nullable(int),
  label: itemLabel,
  packets: num,
  previousPackets: num,
  sharePct: nullable(num),
  previousSharePct: nullable(num),
  sourcesPerDay: nullable(num),
  previousSourcesPerDay: nullable(num),
  rounded: obj({ current: num, previous: num, changeAbs: num, changePct: nullable(num) }),
});

const shareItem = obj({
  key: str,
  current: num,
  previous: num,
  currentPct: nullable(num),
  previousPct: nullable(num),
  other: bool,
  label: { anyOf: [itemLabel, { type: 'null' }] },
});

export const rankingTable = obj({
  by: str,
  period: periodRef,
  previousPeriod: periodRef,
  filter: appliedFilter,
  unit: strEnum(['per-day-per-address']),
  selection: obj({ top: int, movers: int }),
  rows: arr(rankingRow),
  page: obj({ offset: int, limit: int, total: int, next: nullable(int) }),
  table: arr(rankingRow),
  shares: arr(shareItem),
  uncertainty: nullable(
    obj({
      level: num,
      falseDiscoveryRate: num,
      compared: int,
      rows: arr(obj({ key: str, ...rateUncertainty })),
    }),
  ),
});

/** `rankingTable` without `rows` and `page`: the published rows and the shares. */
export const rankingExcerpt = (() => {
  const { rows: _every, page: _page, ...properties } = rankingTable['properties'] as Record<string, JsonSchema>;
  return obj(properties);
})();

export const dailySeries = obj({
  by: str,
  period: periodRef,
  filter: appliedFilter,
  dates: arr(str),
  items: arr(
    obj({
      key: str,
      label: { anyOf: [itemLabel, { type: 'null' }] },
      packets: arr(num),
      addressDays: arr(num),
      perDayPerAddress: arr(nullable(num)),
      sources: arr(nullable(num)),
    }),
  ),
});

export const sourceProfile = obj({
  address: str,
  period: periodRef,
  firstSeen: nullable(str),
  lastSeen: nullable(str),
  daysActive: int,
  scanners: arr(
    obj({
      windowStart: str,
      firstSeen: str,
      lastSeen: str,
      country: str,
      packets: num,
      addresses: num,
      services: num,
      topServices: arr(obj({ service: str, packets: num })),
      scanType: str,
      tools: arr(str),
      sensors: arr(obj({ sensor: str, packets: num, addresses: num })),
    }),
  ),
  signatures: arr(obj({ date: str, category: str, packets: num })),
  categories: arr(obj({ category: str, packets: num })),
  attacks: arr(
    obj({
      start: str,
      end: str,
      durationSec: num,
      protocol: str,
      victimPorts: arr(obj({ service: str, packets: num })),
      packets: num,
      sensorAddresses: num,
      peakRatePps: num,
    }),
  ),
  victim: bool,
});

/** §4: the top-level fields are typed; the nested tables are `BackscatterStatistics`'s. */
export const backscatterStatistics = openObj({
  period: periodRef,
  previousPeriod: periodRef,
  attacks: arr(openObj({ victim: str, packets: num })),
});

export const signatureStatistics = openObj({
  period: periodRef,
  previousPeriod: periodRef,
  signatures: arr(openObj({ gid: int, sid: int, msg: str, category: str, packets: num, previousPackets: num })),
});

export const scannerStatistics = openObj({
  period: periodRef,
  windows: int,
  sources: int,
  packets: num,
  top: arr(openObj({ source: str, country: str, packets: num, addresses: num, scanType: str, tools: arr(str) })),
});

const localized = obj({ ja: str, en: str });

export const findings = obj({
  period: periodRef,
  findings: arr(
    openObj({
      id: str,
      kind: str,
      dimension: str,
      key: str,
      label: localized,
      fromDay: int,
      toDay: int,
      changeAbs: num,
      changePct: nullable(num),
      significance: num,
      text: localized,
    }),
  ),
});

export const errorBody: JsonSchema = {
  type: 'object',
  properties: { statusCode: int, code: str, error: str, message: str, parameter: str },
  required: ['statusCode', 'code', 'error', 'message'],
  additionalProperties: false,
};

export const portAnswer = obj({
  service: str,
  summary: periodSummary,
  daily: dailySeries,
  countries: rankingExcerpt,
  sensors: rankingExcerpt,
});

/** A sensor's health as `teiten sensors status --json` gives it (`collector/sensor-status.ts`); the nested figures pass through. */
export const sensorStatus = openObj({
  sensor: str,
  credentials: strEnum(['active', 'revoked', 'not enrolled']),
  lagSec: nullable(num),
  segments: openObj({ received: num, empty: num, live: num, replay: num, bytes: num }),
  packets: openObj({ received: num, counted: num }),
  losses: openObj({
    kernelDropped: num,
    agentDropped: num,
    spoolDroppedSegments: num,
    spoolDroppedPackets: num,
    sequenceGaps: num,
  }),
  days: arr(openObj({ date: str, operatingSec: num })),
});

export const countryAnswer = obj({ country: str, summary: periodSummary, daily: dailySeries, ports: rankingExcerpt });
