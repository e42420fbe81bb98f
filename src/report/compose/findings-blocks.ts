/**
 * @module
 * Findings in a document: a findings table (when, title, level before and
 * after in accesses per day per address, the change, ranks), a table of what
 * each finding was made of, and the sentences that cite both, in the
 * published reports' register. A finding's numbers are data
 * (`analyse/findings.ts`), so every number a sentence prints is a cell here.
 */

import type { Finding, FindingContributor } from '../../analyse/index.js';
import type { Inline, TableBlock, TableRow } from '../document.js';
import type { ComposeContext } from './context.js';
import { article, countryLabel } from './context.js';
import { capitalize, findingSubject, findingTitle, findingWhen, RANKING_KINDS } from './finding-words.js';
import { cell, cellPart, listInlines, xref } from './inline.js';

/** Column keys of the findings table. */
export const FINDING_COLUMNS = {
  when: 'when',
  title: 'title',
  before: 'before',
  after: 'after',
  change: 'change',
  previousRank: 'previousRank',
  rank: 'rank',
} as const;
const VALUE_DECIMALS = 2;

export interface FindingTableIds {
  findings: { id: string; number: string };
  contributors: { id: string; number: string };
}

export interface FindingTables {
  findings: TableBlock;
  /** Null when no finding names a contributor. */
  contributors: TableBlock | null;
}

/** The findings table and its contributors table, rows keyed by finding id. */
export function findingTables(findings: readonly Finding[], ctx: ComposeContext, ids: FindingTableIds): FindingTables {
  const { ja, lang, period } = ctx;
  const c = FINDING_COLUMNS;
  const findingsTable: TableBlock = {
    kind: 'table',
    ...ids.findings,
    caption: ja ? `${ctx.words.current}の主な変化` : `Notable changes of ${ctx.words.current}`,
    columns: [
      { key: c.when, label: ja ? '時期' : 'When', kind: 'text' },
      { key: c.title, label: ja ? '事項' : 'Subject', kind: 'text' },
      {
        key: c.before,
        label: ja ? '変化前(一日・1IP当たり)' : 'Before (per day per address)',
        kind: 'number',
        decimals: VALUE_DECIMALS,
        unit: 'count',
      },
      {
        key: c.after,
        label: ja ? '変化後(一日・1IP当たり)' : 'After (per day per address)',
        kind: 'number',
        decimals: VALUE_DECIMALS,
        unit: 'count',
      },
      { key: c.change, label: ja ? '変化' : 'Change', kind: 'change', decimals: VALUE_DECIMALS, unit: 'count' },
      { key: c.previousRank, label: ja ? `${ctx.words.previous}順位` : 'Previous rank', kind: 'rank' },
      { key: c.rank, label: ja ? `${ctx.words.current}順位` : 'Rank', kind: 'rank' },
    ],
    rows: findings.map((f): TableRow => ({
      key: f.id,
      cells: {
        [c.when]: findingWhen(f, lang, period),
        [c.title]: findingTitle(f, lang),
        [c.before]: f.before.level,
        [c.after]: f.after.level,
        [c.change]: { abs: f.changeAbs, pct: f.changePct },
        [c.previousRank]: f.previousRank,
        [c.rank]: f.rank,
      },
    })),
  };
  const rows: TableRow[] = findings.flatMap((f) =>
    f.contributors.map((k) => ({
      key: contributorKey(f, k),
      cells: { finding: findingTitle(f, lang), part: contributorName(k, ctx), share: k.sharePct },
    })),
  );
  const contributors: TableBlock | null =
    rows.length === 0
      ? null
      : {
          kind: 'table',
          ...ids.contributors,
          caption: ja ? '主な変化の内訳' : 'What the notable changes were made of',
          columns: [
            { key: 'finding', label: ja ? '事項' : 'Subject', kind: 'text' },
            { key: 'part', label: ja ? '内訳' : 'Part', kind: 'text' },
            { key: 'share', label: ja ? '割合' : 'Share', kind: 'percent', decimals: 1 },
          ],
          rows,
        };
  return { findings: findingsTable, contributors };
}

function contributorKey(finding: Finding, contributor: FindingContributor): string {
  return `${finding.id}|${contributor.kind}|${contributor.key}`;
}

function contributorName(k: FindingContributor, ctx: ComposeContext): string {
  switch (k.kind) {
    case 'country':
      return ctx.ja
        ? `${countryLabel(k.key, 'ja')}から`
        : `from ${article(countryLabel(k.key, 'en'), 'en')}${countryLabel(k.key, 'en')}`;
    case 'service':
      return ctx.ja ? `宛先ポート ${k.key}` : `to ${k.key}`;
    case 'source-port':
      return ctx.ja ? `発信元ポート ${k.key}` : `from source port ${k.key}`;
    case 'source':
      return ctx.ja ? '単一の発信元 IP アドレス' : 'a single source address';
  }
}

/** How an English sentence says what a contributor was: "came from the United States", "went to 445/TCP". */
function contributorPhrase(k: FindingContributor): string {
  switch (k.kind) {
    case 'country': {
      const name = countryLabel(k.key, 'en');
      return `came from ${article(name, 'en')}${name}`;
    }
    case 'service':
      return `went to ${k.key}`;
    case 'source-port':
      return `came from source port ${k.key}`;
    case 'source':
      return 'came from a single source address';
  }
}

export interface SentenceOptions {
  tables: FindingTables;
  /** A figure that shows the finding, cited at the end. */
  chart?: string;
}

/** The sentences of one finding, citing `options.tables` (from `findingTables`). */
export function findingSentences(finding: Finding, ctx: ComposeContext, options: SentenceOptions): Inline[] {
  const { tables } = options;
  const t = tables.findings.id;
  const c = FINDING_COLUMNS;
  const row = finding.id;
  const at = (column: string): Inline => cell(t, row, column);
  const out = ctx.ja
    ? mainJa(finding, ctx, at)
    : mainEn(finding, ctx, {
        at,
        pct: cellPart({ table: t, row, column: c.change, part: 'pct' }, { magnitude: true }),
      });
  if (tables.contributors !== null && finding.contributors.length > 0) {
    const cid = tables.contributors.id;
    const parts = finding.contributors.map((k): Inline[] => {
      const share = cell(cid, contributorKey(finding, k), 'share');
      const name = `${contributorName(k, ctx)}${k.kind === 'country' ? 'のアクセス' : ''}`;
      return ctx.ja
        ? [`${name}${/[\x21-\x7e]$/.test(name) ? ' ' : ''}が `, share]
        : [share, ` ${contributorPhrase(k)}`];
    });
    out.push(
      ...(ctx.ja
        ? ['そのうち、', ...listInlines(parts, true), 'を占めた。']
        : [' Of these, ', ...listInlines(parts, false), '.']),
    );
  }
  if (options.chart !== undefined)
    out.push(...(ctx.ja ? ['(', xref(options.chart), ')'] : [' See ', xref(options.chart), '.']));
  return out;
}

type At = (column: string) => Inline;

function mainJa(f: Finding, ctx: ComposeContext, at: At): Inline[] {
  const c = FINDING_COLUMNS;
  const s = findingSubject(f, 'ja');
  const { previous: prev, current: cur } = ctx.words;
  switch (f.kind) {
    case 'surge':
    case 'drop':
      // "1.00 件から 10.00 件へ 9.00 件 (900.0%) 増加した": the change cell prints the published arithmetic.
      return [
        `${s}は`,
        at(c.when),
        '、一日・1IP 当たり ',
        at(c.before),
        'から ',
        at(c.after),
        'へ ',
        at(c.change),
        'した。',
      ];
    case 'new-entry':
      return [`${s}は`, at(c.when), '新たに観測され、一日・1IP 当たり平均 ', at(c.after), 'であった。'];
    case 'spike':
      return [
        `${s}は`,
        at(c.when),
        'に一時的に増加し、一日・1IP 当たり ',
        at(c.after),
        ' (通常は ',
        at(c.before),
        ')に達した。',
      ];
    case 'rank-jump':
      return [
        `${s}は、${prev} `,
        at(c.previousRank),
        `から${cur} `,
        at(c.rank),
        'に順位を上げた。一日・1IP 当たり ',
        at(c.after),
        `で、${prev}と比較して `,
        at(c.change),
        'した。',
      ];
    case 'top-entry':
      return f.previousRank === null
        ? [
            `${s}は${prev}には観測されていなかったが、${cur}は `,
            at(c.rank),
            'となった (一日・1IP 当たり ',
            at(c.after),
            ')。',
          ]
        : [
            `${s}は${prev} `,
            at(c.previousRank),
            `から${cur} `,
            at(c.rank),
            'となり、上位に入った。一日・1IP 当たり ',
            at(c.after),
            `で、${prev}と比較して `,
            at(c.change),
            'した。',
          ];
    case 'rise':
    case 'fall':
      return [`${s}は一日・1IP 当たり `, at(c.after), `で、${prev}と比較して `, at(c.change), 'した。'];
  }
}

function mainEn(f: Finding, ctx: ComposeContext, refs: { at: At; pct: Inline }): Inline[] {
  const { at, pct } = refs;
  const c = FINDING_COLUMNS;
  const s = capitalize(findingSubject(f, 'en'));
  const { previous: prev, current: cur } = ctx.words;
  const hasPct = f.changePct !== null;
  switch (f.kind) {
    case 'surge':
    case 'drop': {
      const rose = f.kind === 'surge';
      return [
        `${s} ${rose ? 'rose' : 'fell'} to `,
        at(c.after),
        ' per day per address (',
        at(c.when),
        `), ${rose ? 'up' : 'down'} from `,
        at(c.before),
        ...(hasPct ? [` (${rose ? '+' : '-'}`, pct, ')'] : []),
        '.',
      ];
    }
    case 'new-entry':
      return [`${s} newly appeared (`, at(c.when), '), averaging ', at(c.after), ' per day per address.'];
    case 'spike':
      return [
        `${s} spiked to `,
        at(c.after),
        ' per day per address (',
        at(c.when),
        '), against a usual ',
        at(c.before),
        '.',
      ];
    case 'rank-jump':
      return [
        `${s} climbed from rank `,
        at(c.previousRank),
        ' to ',
        at(c.rank),
        ', at ',
        at(c.after),
        ` per day per address; against ${prev} they `,
        at(c.change),
        '.',
      ];
    case 'top-entry':
      return f.previousRank === null
        ? [`${s} were not seen in ${prev} and ranked `, at(c.rank), ` ${cur} (`, at(c.after), ' per day per address).']
        : [
            `${s} rose from rank `,
            at(c.previousRank),
            ' to ',
            at(c.rank),
            ', into the top ranks, at ',
            at(c.after),
            ` per day per address; against ${prev} they `,
            at(c.change),
            '.',
          ];
    case 'rise':
    case 'fall':
      return [`${s} were `, at(c.after), ' per day per address and ', at(c.change), ` against ${prev}.`];
  }
}

/** A headline bullet: the finding's title, when, and its level before and after. */
export function findingHeadline(finding: Finding, ctx: ComposeContext, tables: FindingTables): Inline[] {
  const t = tables.findings.id;
  const c = FINDING_COLUMNS;
  const at = (column: string): Inline => cell(t, finding.id, column);
  const when: Inline[] = RANKING_KINDS.has(finding.kind) ? [] : [at(c.when), ctx.ja ? '、' : ', '];
  return ctx.ja
    ? [at(c.title), ' (', ...when, '一日・1IP 当たり ', at(c.before), ' → ', at(c.after), ')']
    : [at(c.title), ' (', ...when, at(c.before), ' → ', at(c.after), ' per day per address)'];
}
