/**
 * @module
 * The quarterly report's ranking tables (2-1 ports, 2-2 countries, 3-1
 * methods, 3-2 countries) as document tables, from `selectTableRows` output:
 * exactly the columns 今期順位 / 前期順位 / ポート / 今期件数(一日・1IP当たり) /
 * 前期比 / 増加順位 / 減少順位. Row keys are the ranking keys, so a sentence
 * can cite `{table, row: '445/TCP', column: 'current'}`.
 */

import type { RankRow } from '../analyse/index.js';
import type { Inline, Language, TableBlock, TableColumn, UnitKey } from './document.js';

export type RankingSubject = 'port' | 'country' | 'method';

/** Column keys of a ranking table, for `ValueRef`s. */
export const RANKING_COLUMNS = {
  rank: 'rank',
  previousRank: 'previousRank',
  item: 'item',
  current: 'current',
  change: 'change',
  increaseRank: 'increaseRank',
  decreaseRank: 'decreaseRank',
} as const;

const SUBJECT_LABELS: Record<RankingSubject, Record<Language, string>> = {
  port: { ja: 'ポート', en: 'Port' },
  country: { ja: '国・地域', en: 'Country/region' },
  method: { ja: '攻撃手法', en: 'Attack type' },
};

/** Decimals of the published tables: "148.32 件", "-15.3% (-26.73 件)". */
const TABLE_DECIMALS = 2;

/** The seven columns of a ranking table in `lang`. */
export function rankingColumns(subject: RankingSubject, lang: Language, options: { unit?: UnitKey } = {}): TableColumn[] {
  const unit = options.unit ?? 'count';
  const ja = lang === 'ja';
  const c = RANKING_COLUMNS;
  return [
    { key: c.rank, label: ja ? '今期順位' : 'Rank', kind: 'rank' },
    { key: c.previousRank, label: ja ? '前期順位' : 'Previous rank', kind: 'rank' },
    { key: c.item, label: SUBJECT_LABELS[subject][lang], kind: 'text' },
    {
      key: c.current,
      label: ja ? '今期件数(一日・1IP当たり)' : 'Count (per day per address)',
      kind: 'number',
      decimals: TABLE_DECIMALS,
      unit,
    },
    { key: c.change, label: ja ? '前期比' : 'Change', kind: 'change', decimals: TABLE_DECIMALS, unit },
    { key: c.increaseRank, label: ja ? '増加順位' : 'Rise rank', kind: 'rank' },
    { key: c.decreaseRank, label: ja ? '減少順位' : 'Fall rank', kind: 'rank' },
  ];
}

export interface RankingTableOptions {
  id: string;
  number?: string;
  caption: string;
  subject: RankingSubject;
  lang: Language;
  /** Printed name of a ranking key, e.g. `JP` → 日本. Default: the key itself. */
  label?: (key: string) => string;
  unit?: UnitKey;
  notes?: Inline[][];
}

/** A document table of `rows` (already selected and ordered, e.g. by `selectTableRows`). */
export function rankingTable(rows: readonly RankRow[], options: RankingTableOptions): TableBlock {
  const label = options.label ?? ((key: string) => key);
  const c = RANKING_COLUMNS;
  const table: TableBlock = {
    kind: 'table',
    id: options.id,
    caption: options.caption,
    columns: rankingColumns(options.subject, options.lang, { unit: options.unit }),
    rows: rows.map((row) => ({
      key: row.key,
      cells: {
        [c.rank]: row.rank,
        [c.previousRank]: row.previousRank,
        [c.item]: label(row.key),
        [c.current]: row.current,
        [c.change]: { abs: row.changeAbs, pct: row.changePct },
        [c.increaseRank]: row.increaseRank,
        [c.decreaseRank]: row.decreaseRank,
      },
    })),
  };
  if (options.number !== undefined) table.number = options.number;
  if (options.notes !== undefined) table.notes = options.notes;
  return table;
}
