/**
 * @module
 * Which contributors a finding names (`selectContributors`): the largest
 * countries, services, source ports and the one source above a share
 * floor, each entry checked. The sentences that name them are the report's
 * (`report/compose/findings-blocks.ts`).
 */

import { FindingInputError } from './change-point.js';
import type { ContributorKind, Contributors, FindingContributor, FindingDimension } from './finding-types.js';

export interface ContributorSelection {
  dimension: FindingDimension;
  /** Names the series or row in errors. */
  subject: string;
  /** Smallest share named, in percent (default 20). */
  minPct?: number | undefined;
  /** Most named per kind (default 2; sources always 1). */
  maxPerKind?: number | undefined;
}

const DEFAULT_MIN_CONTRIBUTOR_PCT = 20;
const DEFAULT_MAX_CONTRIBUTORS = 2;
const MAX_PERCENT = 100;
const COUNTRY_CODE = /^[A-Za-z]{2}$/;

/** A dimension does not name contributors of its own kind (a country finding lists no countries). */
const SELF_KIND: Readonly<Record<FindingDimension, ContributorKind | null>> = {
  service: 'service',
  country: 'country',
  category: null,
  'source-port': 'source-port',
};

/**
 * The contributors a sentence names, largest first per kind in the order
 * countries, services, source ports, sources: those with at least `minPct`
 * percent, at most `maxPerKind` of each and one source. Every entry is
 * checked, named or not; a bad one throws `FindingInputError`.
 */
export function selectContributors(
  contributors: Contributors | undefined,
  selection: ContributorSelection,
): FindingContributor[] {
  if (contributors === undefined) return [];
  const { dimension, subject } = selection;
  const minPct = selection.minPct ?? DEFAULT_MIN_CONTRIBUTOR_PCT;
  const most = selection.maxPerKind ?? DEFAULT_MAX_CONTRIBUTORS;
  const lists: [ContributorKind, string, readonly { key: string; sharePct: number }[], number][] = [
    ['country', 'countries', (contributors.countries ?? []).map((c) => ({ key: c.code, sharePct: c.sharePct })), most],
    ['service', 'services', contributors.services ?? [], most],
    ['source-port', 'sourcePorts', contributors.sourcePorts ?? [], most],
    ['source', 'sources', (contributors.sources ?? []).map((c) => ({ key: c.addr, sharePct: c.sharePct })), 1],
  ];
  const result: FindingContributor[] = [];
  for (const [kind, field, list, limit] of lists) {
    list.forEach((entry, index) => checkContributor({ subject, field: `contributors.${field}`, index, kind }, entry));
    if (kind === SELF_KIND[dimension]) continue;
    const chosen = list
      .filter((entry) => entry.sharePct >= minPct)
      .sort((a, b) => b.sharePct - a.sharePct || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .slice(0, limit);
    for (const entry of chosen) {
      result.push({ kind, key: kind === 'country' ? entry.key.toUpperCase() : entry.key, sharePct: entry.sharePct });
    }
  }
  return result;
}

function checkContributor(
  at: { subject: string; field: string; index: number; kind: ContributorKind },
  entry: { key: string; sharePct: number },
): void {
  const { subject, field, index, kind } = at;
  if (typeof entry.key !== 'string' || entry.key === '' || (kind === 'country' && !COUNTRY_CODE.test(entry.key))) {
    throw new FindingInputError(subject, field, index, `key ${JSON.stringify(entry.key)} is not valid`);
  }
  const pct = entry.sharePct;
  if (typeof pct !== 'number' || !(pct >= 0 && pct <= MAX_PERCENT)) {
    throw new FindingInputError(subject, field, index, `sharePct ${String(pct)} is not 0..100`);
  }
}
