/**
 * @module
 * Shares within groups from the country × port ranking: for each of the
 * leading ports, what each country sent of it (宛先ポートの国・地域別比率);
 * for each of the leading countries, what each port took of it
 * (発信元国・地域別上位のポート別比率). Values are this period's accesses per
 * day per address.
 */

import type { RankingTable } from '../../analyse/index.js';
import type { ShareGroup } from './ratio-charts.js';

/**
 * One group per key of `options.keys` (ports when `by` is `service`,
 * countries when `country`), its total from `totals`, its parts from `pairs` keyed by
 * the other half of the pair.
 */
export function pairGroups(
  pairs: RankingTable,
  options: { totals: RankingTable; keys: readonly string[]; by: 'service' | 'country' },
): ShareGroup[] {
  const { totals, keys: groupKeys, by } = options;
  const totalOf = new Map(totals.rows.map((r) => [r.key, r.current]));
  return groupKeys.map((key) => {
    const parts = new Map<string, number>();
    for (const row of pairs.rows) {
      if (row.current <= 0) continue;
      const group = by === 'service' ? row.label.service : row.label.country;
      const part = by === 'service' ? row.label.country : row.label.service;
      if (group === key && part !== null) parts.set(part, (parts.get(part) ?? 0) + row.current);
    }
    return { key, total: totalOf.get(key) ?? 0, parts };
  });
}

/** The parts with the largest shares in `group`, largest first, at most `n`. */
export function largestParts(group: ShareGroup, n: number): string[] {
  return [...group.parts]
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([key]) => key);
}
