/**
 * @module
 * §1 of the quarterly report: the period at a glance. Table 1-1 holds the
 * headline figures (accesses per day per address, sources per day, and the
 * detection figures when the store has them); the paragraphs cite it with
 * the published arithmetic ("533.7 件で、前期と比較して 101.4 件 (23.4%)
 * 増加した"), then name the five leading ports and countries from tables
 * 2-1 and 2-2.
 */

import type { ChangeClaim, RankingTable } from '../../analyse/index.js';
import type { Inline, Section, TableBlock } from '../document.js';
import { changeClause, comparisonTable, currentRef, hasCurrent, type ComparisonRow } from './comparison-table.js';
import { countryArticle, type ComposeContext } from './context.js';
import { DETECTION_ROWS, detectionRows } from './detection-figures.js';
import type { DetectionInput } from './detection-input.js';
import { cell, listInlines, xref } from './inline.js';
import { leaders, type QuarterlyData } from './quarterly-data.js';
import { RANKING_COLUMNS } from '../ranking-table.js';

const LEADERS = 5;

export interface SummaryRefs {
  /** Ids of the port and country ranking tables (2-1, 2-2). */
  portTable: string;
  countryTable: string;
  /** Ids of the §3 and §4 sections, cited when they have data. */
  signatureSection: string;
  backscatterSection: string;
}

/** §1 and its table 1-1 (which §4 cites too). */
export function summarySection(
  data: QuarterlyData,
  ctx: ComposeContext,
  refs: SummaryRefs & { detections: DetectionInput },
): { section: Section; table: TableBlock } {
  const { ja, words } = ctx;
  const { detections } = refs;
  const s = data.summary;
  const rows: ComparisonRow[] = [
    {
      key: 'accesses',
      label: ja ? 'アクセス件数(一日・1IP当たり、件)' : 'Accesses per day per address',
      current: s.current.perDayPerAddress,
      previous: s.previous.perDayPerAddress,
      interval: s.uncertainty.current,
    },
    {
      key: 'sources',
      label: ja ? '発信元IPアドレス数(一日当たり、個)' : 'Distinct sources per day',
      current: s.current.sourcesPerDay,
      previous: s.previous.sourcesPerDay,
    },
    ...detectionRows(detections, ja),
  ];
  const table = comparisonTable(ctx, {
    rows,
    id: 't1-1',
    number: '1-1',
    caption: ja ? '観測結果の概要' : 'The quarter at a glance',
  });
  const blocks: Section['blocks'] = [table];
  blocks.push({ kind: 'paragraph', content: accessSentences(table, ctx, s.uncertainty.change?.direction ?? null) });
  const ports = leaderList(data.ports, refs.portTable);
  if (ports.length > 0) {
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [
            'アクセス件数の多い宛先ポートは、順に ',
            ...listInlines(ports, true),
            ' であった。(',
            xref(refs.portTable),
            ')',
          ]
        : [
            'The destination ports with the most accesses were, in order, ',
            ...listInlines(ports, false),
            ' (',
            xref(refs.portTable),
            ').',
          ],
    });
  }
  const countries = leaderList(data.countries, refs.countryTable, (k) => countryArticle(k, ctx.lang));
  if (countries.length > 0) {
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [
            'アクセス件数の多い発信元の国・地域は、順に',
            ...listInlines(countries, true),
            'であった。(',
            xref(refs.countryTable),
            ')',
          ]
        : [
            'The source countries and regions with the most accesses were, in order, ',
            ...listInlines(countries, false),
            ' (',
            xref(refs.countryTable),
            ').',
          ],
    });
  }
  for (const content of detectionSentences(table, ctx, refs)) blocks.push({ kind: 'paragraph', content });
  return {
    section: { id: 's1', number: '1', title: ja ? `${words.current}の観測状況` : 'Overview of the quarter', blocks },
    table,
  };
}

function accessSentences(table: TableBlock, ctx: ComposeContext, claim: ChangeClaim | null): Inline[] {
  const { ja } = ctx;
  if (!hasCurrent(table, 'accesses')) {
    return [ja ? '今期は、センサーが観測していた記録がない。' : 'No sensor observed during this quarter.'];
  }
  const out: Inline[] = ja
    ? [
        '今期のセンサーに対するアクセス件数は一日・1IP 当たり ',
        currentRef(table, 'accesses', 'count'),
        ...clause(table, 'accesses', 'count', ctx, 'で、', claim),
        '。',
      ]
    : [
        'The sensors received ',
        currentRef(table, 'accesses', 'count'),
        ' accesses per day per address this quarter',
        ...clause(table, 'accesses', 'count', ctx, '; ', claim),
        '.',
      ];
  if (hasCurrent(table, 'sources')) {
    out.push(
      ...(ja
        ? [
            'また、発信元 IP アドレス数は一日当たり ',
            currentRef(table, 'sources', 'address'),
            ...clause(table, 'sources', 'address', ctx, 'で、'),
            '。',
          ]
        : [
            ' They came from ',
            currentRef(table, 'sources', 'address'),
            ' distinct source addresses per day',
            ...clause(table, 'sources', 'address', ctx, '; '),
            '.',
          ]),
    );
  }
  return out;
}

/** The change clause after `joiner`, or nothing (ja: "であった" closes the sentence then). */
function clause(
  table: TableBlock,
  row: string,
  unit: 'count' | 'address' | 'packet',
  ctx: ComposeContext,
  joiner: string,
  claim: ChangeClaim | null = null,
): Inline[] {
  const change = changeClause(ctx, { table, row, unit, claim });
  if (change.length === 0) return ctx.ja ? ['であった'] : [];
  return [joiner, ...change];
}

function leaderList(ranking: RankingTable, tableId: string, the: (key: string) => string = () => ''): Inline[][] {
  return leaders(ranking, LEADERS).map((key) =>
    [the(key), cell(tableId, key, RANKING_COLUMNS.item)].filter((x) => x !== ''),
  );
}

/** One paragraph on signature detections and one on backscatter, or plain statements that there is no such data. */
function detectionSentences(table: TableBlock, ctx: ComposeContext, refs: SummaryRefs): [Inline[], Inline[]] {
  const { ja } = ctx;
  const r = DETECTION_ROWS;
  const out: Inline[] = [];
  if (hasCurrent(table, r.signatures)) {
    out.push(
      ...(ja
        ? [
            '今期のシグネチャを用いた不正侵入等の検知件数は、一日・1IP 当たり ',
            currentRef(table, r.signatures, 'count'),
            ...clause(table, r.signatures, 'count', ctx, 'で、'),
            '。',
          ]
        : [
            'Signatures raised ',
            currentRef(table, r.signatures, 'count'),
            ' detections per day per address',
            ...clause(table, r.signatures, 'count', ctx, '; '),
            '.',
          ]),
    );
    if (hasCurrent(table, r.signatureSources)) {
      out.push(
        ...(ja
          ? [
              '検知した発信元 IP アドレス数は一日当たり ',
              currentRef(table, r.signatureSources, 'address'),
              ...clause(table, r.signatureSources, 'address', ctx, 'で、'),
              '。',
            ]
          : [
              ' They came from ',
              currentRef(table, r.signatureSources, 'address'),
              ' sources per day',
              ...clause(table, r.signatureSources, 'address', ctx, '; '),
              '.',
            ]),
      );
    }
    out.push(ja ? '(' : ' (', xref(refs.signatureSection), ja ? ')' : ')');
  } else {
    out.push(
      ja
        ? 'シグネチャを用いた検知のデータは、この期間について保存されていない。'
        : 'No signature detection data was stored for this period.',
    );
  }
  const bs: Inline[] = [];
  if (hasCurrent(table, r.backscatterPackets)) {
    bs.push(
      ...(ja
        ? [
            'DoS 攻撃の跳ね返りと見られる SYN/ACK 及び RST/ACK パケットの検知件数は一日当たり ',
            currentRef(table, r.backscatterPackets, 'packet'),
            ...clause(table, r.backscatterPackets, 'packet', ctx, 'で、'),
            '。発信元 IP アドレス数は一日当たり ',
            currentRef(table, r.backscatterSources, 'address'),
            ...clause(table, r.backscatterSources, 'address', ctx, 'で、'),
            '。(',
            xref(refs.backscatterSection),
            ')',
          ]
        : [
            'Backscatter from denial-of-service attacks (SYN/ACK and RST/ACK replies to spoofed packets) came to ',
            currentRef(table, r.backscatterPackets, 'packet'),
            ' packets per day',
            ...clause(table, r.backscatterPackets, 'packet', ctx, '; '),
            '. It came from ',
            currentRef(table, r.backscatterSources, 'address'),
            ' sources per day',
            ...clause(table, r.backscatterSources, 'address', ctx, '; '),
            ' (',
            xref(refs.backscatterSection),
            ').',
          ]),
    );
  } else {
    bs.push(
      ja
        ? 'DoS 攻撃の跳ね返りパケットのデータは、この期間について保存されていない。'
        : 'No DoS backscatter data was stored for this period.',
    );
  }
  return [out, bs];
}
