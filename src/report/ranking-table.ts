/**
 * @module
 * The quarterly report's ranking tables (2-1 ports, 2-2 countries, 3-1
 * methods, 3-2 countries) as document tables, from `selectTableRows` output:
 * exactly the columns 今期順位 / 前期順位 / ポート / 今期件数(一日・1IP当たり) /
 * 前期比 / 増加順位 / 減少順位 (今月 / 前月 in the monthly report's). Row keys
 * are the ranking keys, so a sentence can cite `{table, row: '445/TCP',
 * column: 'current'}`.
 */

import type { RankingUncertainty, RankRow } from '../analyse/index.js';
import type { Inline, Language, TableBlock, TableColumn, UnitKey } from './document.js';
import { formatNumber, formatRange } from './format.js';

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
  interval: 'interval',
  qValue: 'qValue',
} as const;

const SUBJECT_LABELS: Record<RankingSubject, Record<Language, string>> = {
  port: { ja: 'ポート', en: 'Port' },
  country: { ja: '国・地域', en: 'Country/region' },
  method: { ja: '攻撃手法', en: 'Attack type' },
};

/** Decimals of the published tables: "148.32 件", "-15.3% (-26.73 件)". */
const TABLE_DECIMALS = 2;

/** The Japanese words for this and the previous period of the quarterly (今期, 前期) and monthly (今月, 前月) reports. */
const PERIOD_WORDS = {
  quarter: { current: '今期', previous: '前期' },
  month: { current: '今月', previous: '前月' },
} as const;
export type RankingPeriod = keyof typeof PERIOD_WORDS;

/** The seven columns of a ranking table in `lang`. */
export function rankingColumns(
  subject: RankingSubject,
  lang: Language,
  options: { unit?: UnitKey | undefined; period?: RankingPeriod | undefined } = {},
): TableColumn[] {
  const unit = options.unit ?? 'count';
  const ja = lang === 'ja';
  const c = RANKING_COLUMNS;
  const w = PERIOD_WORDS[options.period ?? 'quarter'];
  return [
    { key: c.rank, label: ja ? `${w.current}順位` : 'Rank', kind: 'rank' },
    { key: c.previousRank, label: ja ? `${w.previous}順位` : 'Previous rank', kind: 'rank' },
    { key: c.item, label: SUBJECT_LABELS[subject][lang], kind: 'text' },
    {
      key: c.current,
      label: ja ? `${w.current}件数(一日・1IP当たり)` : 'Count (per day per address)',
      kind: 'number',
      decimals: TABLE_DECIMALS,
      unit,
    },
    { key: c.change, label: ja ? `${w.previous}比` : 'Change', kind: 'change', decimals: TABLE_DECIMALS, unit },
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
  /** Whose words head the columns: 今期/前期 (default) or 今月/前月. */
  period?: RankingPeriod;
  /** Printed name of a ranking key, e.g. `JP` → 日本. Default: the key itself. */
  label?: (key: string) => string;
  unit?: UnitKey;
  notes?: Inline[][];
  /**
   * Intervals and change tests of the rows (`RankingTable.uncertainty`): adds
   * a 95 % interval column after the count and a q-value column after the
   * change, with a note on how to read them. Omitted or null: the seven
   * published columns only.
   */
  uncertainty?: RankingUncertainty | null;
}

/** q-values below this print as "<0.001". */
const SMALLEST_Q = 0.001;
const Q_DECIMALS = 3;

/** A document table of `rows` (already selected and ordered, e.g. by `selectTableRows`). */
export function rankingTable(rows: readonly RankRow[], options: RankingTableOptions): TableBlock {
  const label = options.label ?? ((key: string) => key);
  const c = RANKING_COLUMNS;
  const uncertainty = options.uncertainty ?? null;
  const byKey = new Map((uncertainty?.rows ?? []).map((u) => [u.key, u]));
  const columns = rankingColumns(options.subject, options.lang, { unit: options.unit, period: options.period });
  if (uncertainty !== null) {
    const ja = options.lang === 'ja';
    columns.splice(columns.findIndex((col) => col.key === c.current) + 1, 0, {
      key: c.interval,
      label: ja ? '95%区間' : '95 % interval',
      kind: 'text',
    });
    columns.splice(columns.findIndex((col) => col.key === c.change) + 1, 0, {
      key: c.qValue,
      label: ja ? 'q値' : 'q-value',
      kind: 'text',
    });
  }
  const table: TableBlock = {
    kind: 'table',
    id: options.id,
    caption: options.caption,
    columns,
    rows: rows.map((row) => {
      const cells: TableBlock['rows'][number]['cells'] = {
        [c.rank]: row.rank,
        [c.previousRank]: row.previousRank,
        [c.item]: label(row.key),
        [c.current]: row.current,
        [c.change]: { abs: row.changeAbs, pct: row.changePct },
        [c.increaseRank]: row.increaseRank,
        [c.decreaseRank]: row.decreaseRank,
      };
      if (uncertainty !== null) {
        const u = byKey.get(row.key);
        cells[c.interval] = u?.current == null ? null : formatRange(u.current.low, u.current.high, TABLE_DECIMALS);
        cells[c.qValue] = u?.change == null ? null : formatQ(u.change.qValue, u.change.direction !== 'none');
      }
      return { key: row.key, cells };
    }),
  };
  if (options.number !== undefined) table.number = options.number;
  const notes = [
    ...(options.notes ?? []),
    ...(uncertainty === null ? [] : [uncertaintyNote(options.lang, options.period ?? 'quarter')]),
  ];
  if (notes.length > 0) table.notes = notes;
  return table;
}

/** "0.003*" (a change that may be claimed), "0.412", "<0.001*". */
function formatQ(q: number, claimed: boolean): string {
  const text = q < SMALLEST_Q ? `<${formatNumber(SMALLEST_Q, Q_DECIMALS)}` : formatNumber(q, Q_DECIMALS);
  return claimed ? `${text}*` : text;
}

function uncertaintyNote(lang: Language, period: RankingPeriod): Inline[] {
  const w = PERIOD_WORDS[period];
  return [
    lang === 'ja'
      ? `95%区間は日ごとの件数のばらつき (過分散) を考慮した${w.current}の一日・1IP 当たり件数の区間。q値は${w.previous}比の変化の検定の p 値を表の全項目について Benjamini–Hochberg 法で補正したもので、* (q ≤ 0.05) の項目のみ本文で増加・減少とし、それ以外は「有意な変化なし」とする。`
      : '95 % interval: of this period\'s count per day per address, allowing for day-to-day over-dispersion. q-value: the p-value of the change against the previous period, Benjamini–Hochberg corrected over every item ranked; only rows marked * (q ≤ 0.05) are described as rising or falling, others as "no significant change".',
  ];
}
