/**
 * @module
 * §2-1 of the quarterly report, by destination port: the leader and the
 * largest movers of table 2-1, the findings about ports and source ports
 * (each citing its daily chart), the ratio donuts for all sensors and for
 * the selected country, table 2-1 with exactly the seed's columns, the
 * country share of each leading port, and a daily chart per leading or
 * notable port stacked by source country.
 */

import type { Finding, RankingTable } from '../../analyse/index.js';
import type { Block, Inline, Section } from '../document.js';
import { rankingTable, RANKING_COLUMNS } from '../ranking-table.js';
import type { ComposeContext } from './context.js';
import { countryLabel } from './context.js';
import { dailyLineChart, stackedDailyChart, withPeriodBand } from './daily-charts.js';
import { findingSentences, type FindingTables } from './findings-blocks.js';
import { cell, type ChapterNumbers } from './inline.js';
import { pairGroups } from './pair-shares.js';
import { portNote } from './port-notes.js';
import { leaders, type QuarterlyData } from './quarterly-data.js';
import { shareBars, sharePie } from './ratio-charts.js';

/** Slices of a ratio donut before "other". */
export const PIE_TOP = 10;
/** Ports and countries in the share bars. */
const SHARE_GROUPS = 5;
/** Rounding note of the ratio charts, as the published report prints it. */
export function roundingNote(ja: boolean): Inline[] {
  return [
    ja
      ? '割合は小数点第二位で四捨五入しているため、合計が 100% にならないことがある。'
      : 'Shares are rounded to one decimal and may not add up to 100 %.',
  ];
}

export interface ChapterTwo {
  numbers: ChapterNumbers;
  findingTables: FindingTables | null;
  /** Chart ids by finding dimension and key, filled as charts are made (`service:445/TCP`). */
  charts: Map<string, string>;
  /** Ids of the ranking tables 2-1 and 2-2, set by the sections that make them. */
  tables: { port?: string; country?: string };
}

export function portSection(data: QuarterlyData, ctx: ComposeContext, chapter: ChapterTwo): Section {
  const { ja, lang } = ctx;
  const { numbers } = chapter;
  const tableIds = numbers.table();
  const pieAll = sharePie(
    data.ports.rows,
    { ...numbers.figure(), caption: ja ? '宛先ポート別比率(全センサー)' : 'Destination ports, all sensors' },
    { top: PIE_TOP, lang, name: (k) => k },
  );
  const selected = data.selected;
  const countryName = selected === null ? '' : countryLabel(selected.country, lang);
  const pieCountry =
    selected === null
      ? null
      : sharePie(
          selected.ports.rows,
          {
            ...numbers.figure(),
            caption: ja
              ? `${countryName}からのアクセスの宛先ポート別比率`
              : `Destination ports of accesses from ${countryName}`,
          },
          { top: PIE_TOP, lang, name: (k) => k },
        );
  const table = rankingTable(data.ports.table, {
    id: tableIds.id,
    number: tableIds.number,
    caption: ja ? '宛先ポート別アクセス件数' : 'Accesses by destination port',
    subject: 'port',
    lang,
    uncertainty: data.ports.uncertainty,
  });
  chapter.tables.port = table.id;
  const topPorts = leaders(data.ports, SHARE_GROUPS);
  const topCountries = leaders(data.countries, SHARE_GROUPS);
  const bars = shareBars(
    pairGroups(data.pairs, { totals: data.ports, keys: topPorts, by: 'service' }),
    {
      ...numbers.figure(),
      caption: ja ? '宛先ポートの国・地域別比率' : 'Source countries of the leading ports',
    },
    { lang, partKeys: topCountries, groupName: (k) => k, partName: (k) => countryLabel(k, lang) },
  );
  const charts: Block[] = [];
  for (const daily of data.portDailies) {
    const place = numbers.figure();
    chapter.charts.set(`service:${daily.key}`, place.id);
    const note = portNote(daily.key, lang);
    if (note !== null) charts.push({ kind: 'paragraph', content: [note] });
    charts.push(
      withPeriodBand(
        stackedDailyChart(
          daily,
          {
            ...place,
            caption: ja
              ? `宛先ポート ${daily.key} に対するアクセスの推移`
              : `Daily accesses to ${daily.key} by source country`,
          },
          lang,
        ),
        { ranking: data.ports, key: daily.key, lang },
      ),
    );
  }
  for (const item of data.sourcePorts?.items ?? []) {
    const place = numbers.figure();
    chapter.charts.set(`source-port:${item.key}`, place.id);
    charts.push(
      dailyLineChart(
        {
          ...place,
          caption: ja ? `発信元ポート ${item.key} のアクセスの推移` : `Daily accesses from source port ${item.key}`,
        },
        {
          dates: data.sourcePorts!.dates,
          series: [{ key: item.key, name: item.key, values: item.perDayPerAddress }],
          yLabel: ja ? '件数(一日・1IP当たり)' : 'Per day per address',
        },
      ),
    );
  }
  const blocks: Block[] = [];
  blocks.push(...leaderParagraphs(ctx, { ranking: data.ports, tableId: table.id, ascii: true }));
  blocks.push(...findingParagraphs(ctx, { findings: data.findings, dimensions: ['service', 'source-port'], chapter }));
  for (const pie of [pieAll, pieCountry]) if (pie !== null) blocks.push({ ...pie, notes: [roundingNote(ja)] });
  if (selected !== null && pieCountry === null) {
    blocks.push({
      kind: 'paragraph',
      content: [
        ja
          ? `${countryName}からのアクセスは今期観測されなかった。`
          : `No accesses from ${countryName} were observed this quarter.`,
      ],
    });
  }
  blocks.push(table);
  if (bars !== null) blocks.push(bars);
  blocks.push(...charts);
  return { id: 's2-1', number: '2-1', title: ja ? '宛先ポート別' : 'By destination port', blocks };
}

/** The leader of a ranking table and its largest rise and fall, citing the table; `the` gives "the " for a key's English name. */
export function leaderParagraphs(
  ctx: ComposeContext,
  names: { ranking: RankingTable; tableId: string; the?: (key: string) => string; ascii: boolean },
): Block[] {
  const { ranking, tableId } = names;
  const the = names.the ?? ((): string => '');
  // Japanese sets half-width names off by spaces (445/TCP は), not Japanese ones (中国は).
  const pad = names.ascii ? ' ' : '';
  const { ja, words } = ctx;
  const c = RANKING_COLUMNS;
  const first = ranking.table.find((r) => r.rank === 1);
  if (first === undefined)
    return [
      {
        kind: 'paragraph',
        content: [
          ja ? `${words.current}はアクセスが観測されなかった。` : `No accesses were observed ${words.current}.`,
        ],
      },
    ];
  const at = (row: string, column: string): Inline => cell(tableId, row, column);
  const changed = (row: { key: string; previous: number; changeAbs: number }): boolean =>
    row.previous > 0 && row.changeAbs !== 0;
  const lead: Inline[] = ja
    ? [`アクセス件数が最も多かった${pad}`, at(first.key, c.item), `${pad}は一日・1IP 当たり `, at(first.key, c.current)]
    : [
        'The leader, ',
        the(first.key),
        at(first.key, c.item),
        ', had ',
        at(first.key, c.current),
        ' accesses per day per address',
      ];
  // A change the test did not pass is not called a rise or a fall (issue 18).
  const noise = (key: string): boolean =>
    ranking.uncertainty?.rows.find((u) => u.key === key)?.change?.direction === 'none';
  if (changed(first) && noise(first.key))
    lead.push(
      ja ? `で、${words.previous}と比較して有意な変化なし。` : `; no significant change from ${words.previous}.`,
    );
  else if (changed(first))
    lead.push(
      ...(ja
        ? [`で、${words.previous}と比較して `, at(first.key, c.change), 'した。']
        : [`; compared with ${words.previous}, this `, at(first.key, c.change), '.']),
    );
  else lead.push(ja ? 'であった。' : '.');
  const out: Block[] = [{ kind: 'paragraph', content: lead }];
  const movers: Inline[] = [];
  const rise = ranking.table.find((r) => r.increaseRank === 1);
  const fall = ranking.table.find((r) => r.decreaseRank === 1);
  if (rise !== undefined) {
    movers.push(
      ...(noise(rise.key)
        ? ja
          ? [
              `${words.previous}と比べて増加幅が最も大きかったのは${pad}`,
              at(rise.key, c.item),
              `${pad}であるが、有意な変化なし。`,
            ]
          : [
              `Against ${words.previous}, the largest rise was that of `,
              the(rise.key),
              at(rise.key, c.item),
              ', a change within day-to-day noise (no significant change).',
            ]
        : ja
          ? [
              `${words.previous}と比べて最も増加したのは${pad}`,
              at(rise.key, c.item),
              `${pad}で、`,
              at(rise.key, c.change),
              'した。',
            ]
          : [
              `Against ${words.previous}, the largest rise was that of `,
              the(rise.key),
              at(rise.key, c.item),
              ', which ',
              at(rise.key, c.change),
              '.',
            ]),
    );
  }
  if (fall !== undefined) {
    const opening = ja
      ? rise === undefined
        ? `${words.previous}と比べて`
        : 'また、'
      : rise === undefined
        ? `Against ${words.previous}, the`
        : ' The';
    movers.push(
      ...(noise(fall.key)
        ? ja
          ? [`${opening}減少幅が最も大きかったのは${pad}`, at(fall.key, c.item), `${pad}であるが、有意な変化なし。`]
          : [
              `${opening} largest fall was that of `,
              the(fall.key),
              at(fall.key, c.item),
              ', a change within day-to-day noise (no significant change).',
            ]
        : ja
          ? [`${opening}最も減少したのは${pad}`, at(fall.key, c.item), `${pad}で、`, at(fall.key, c.change), 'した。']
          : [
              `${opening} largest fall was that of `,
              the(fall.key),
              at(fall.key, c.item),
              ', which ',
              at(fall.key, c.change),
              '.',
            ]),
    );
  }
  if (movers.length > 0) out.push({ kind: 'paragraph', content: movers });
  return out;
}

/** One paragraph per finding of `dimensions`, citing the chapter's chart of it when there is one. */
export function findingParagraphs(
  ctx: ComposeContext,
  input: { findings: readonly Finding[]; dimensions: readonly Finding['dimension'][]; chapter: ChapterTwo },
): Block[] {
  const { findings, dimensions, chapter } = input;
  const tables = chapter.findingTables;
  if (tables === null) return [];
  return findings
    .filter((f) => dimensions.includes(f.dimension))
    .map((f): Block => {
      const chart = chapter.charts.get(`${f.dimension}:${f.key}`);
      return {
        kind: 'paragraph',
        content: findingSentences(f, ctx, chart === undefined ? { tables } : { tables, chart }),
      };
    });
}
