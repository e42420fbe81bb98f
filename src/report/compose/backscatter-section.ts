/**
 * @module
 * §4 of the quarterly report, DoS backscatter (SYN/ACK and RST/ACK replies
 * to packets spoofed with the sensors' addresses): the daily figures (cited
 * from table 1-1), the source-port and country donuts, the daily chart, and
 * the largest victims in a table and in words. Without backscatter data the
 * section says that no data was stored for the period.
 */

import type { Block, Inline, Section, TableBlock } from '../document.js';
import { formatDate } from '../format-date.js';
import { changeClause, currentRef, hasCurrent } from './comparison-table.js';
import type { ComposeContext } from './context.js';
import { article, countryLabel } from './context.js';
import { dailyLineChart } from './daily-charts.js';
import { DETECTION_ROWS } from './detection-figures.js';
import type { BackscatterInput } from './detection-input.js';
import { cell, ChapterNumbers, listInlines, point, xref } from './inline.js';
import { PIE_TOP, roundingNote } from './port-section.js';
import { valuePie } from './ratio-charts.js';

const NAMED_SHARES = 3;
const VICTIMS_LISTED = 10;
const VICTIMS_DESCRIBED = 3;
const PERCENT = 100;
export const BACKSCATTER_SECTION_ID = 's4';

export function backscatterSection(input: BackscatterInput | null, ctx: ComposeContext, summary: TableBlock): Section {
  const { ja, lang } = ctx;
  const base = {
    id: BACKSCATTER_SECTION_ID,
    number: '4',
    title: ja ? 'DoS 攻撃被害観測状況' : 'DoS attack backscatter',
  };
  if (input === null || input.daily.length === 0) {
    return {
      ...base,
      blocks: [
        {
          kind: 'paragraph',
          content: [
            ja
              ? 'DoS 攻撃の跳ね返りパケットのデータは、この期間について保存されていない。'
              : 'No DoS backscatter data was stored for this period.',
          ],
        },
      ],
    };
  }
  const numbers = new ChapterNumbers('4', '-');
  const portPlace = numbers.figure();
  const countryPlace = numbers.figure();
  const ports = valuePie(
    input.bySourcePort.map((p) => ({ key: p.key, value: p.packets })),
    { ...portPlace, caption: ja ? '跳ね返りパケットの発信元ポート比率' : 'Backscatter by source port' },
    { top: PIE_TOP, lang, name: (k) => k },
  );
  const countries = valuePie(
    input.byCountry.map((c) => ({ key: c.key, value: c.packets })),
    {
      ...countryPlace,
      caption: ja ? '跳ね返りパケットの発信元国・地域別比率' : 'Backscatter by source country or region',
    },
    { top: PIE_TOP, lang, name: (k) => countryLabel(k, lang) },
  );
  const daily = dailyLineChart(
    {
      ...numbers.figure(),
      caption: ja ? '跳ね返りパケット数及び発信元数の推移' : 'Daily backscatter packets and sources',
    },
    {
      dates: input.daily.map((d) => d.date),
      series: [
        { key: 'packets', name: ja ? 'パケット数' : 'Packets', values: input.daily.map((d) => d.packets) },
        { key: 'sources', name: ja ? '発信元数' : 'Sources', values: input.daily.map((d) => d.sources) },
      ],
      yLabel: ja ? '一日当たり' : 'Per day',
      decimals: 0,
    },
  );
  const victims = victimTable(input, ctx, numbers);
  const blocks: Block[] = [];
  const r = DETECTION_ROWS;
  if (hasCurrent(summary, r.backscatterPackets)) {
    const change = (row: string, unit: 'packet' | 'address'): Inline[] => {
      const clause = changeClause(ctx, { table: summary, row, unit });
      return clause.length === 0 ? (ja ? ['であった'] : []) : [ja ? 'で、' : '; ', ...clause];
    };
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [
            `${ctx.words.current}の SYN/ACK 及び RST/ACK パケットの検知件数は一日当たり `,
            currentRef(summary, r.backscatterPackets, 'packet'),
            ...change(r.backscatterPackets, 'packet'),
            '。発信元 IP アドレス数は一日当たり ',
            currentRef(summary, r.backscatterSources, 'address'),
            ...change(r.backscatterSources, 'address'),
            '。(',
            xref(summary.id),
            ')',
          ]
        : [
            'Backscatter came to ',
            currentRef(summary, r.backscatterPackets, 'packet'),
            ' packets per day',
            ...change(r.backscatterPackets, 'packet'),
            '. It came from ',
            currentRef(summary, r.backscatterSources, 'address'),
            ' sources per day',
            ...change(r.backscatterSources, 'address'),
            ' (',
            xref(summary.id),
            ').',
          ],
    });
  }
  for (const [pie, place, what] of [
    [ports, portPlace, 'port'],
    [countries, countryPlace, 'country'],
  ] as const) {
    if (pie === null || pie.chart.type !== 'pie') continue;
    const named = pie.chart.slices.filter((s) => s.other !== true).slice(0, NAMED_SHARES);
    const items = named.map((s): Inline[] => [
      what === 'country' ? article(s.name, lang) : '',
      s.name,
      ' (',
      point(place.id, { point: s.key, part: 'share' }),
      ')',
    ]);
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [
            what === 'port' ? '発信元ポート別では、' : '発信元国・地域別では、',
            ...listInlines(items, true),
            'の順であった。(',
            xref(place.id),
            ')',
          ]
        : [
            what === 'port' ? 'By source port, backscatter came most from ' : 'By country, backscatter came most from ',
            ...listInlines(items, false),
            ' (',
            xref(place.id),
            ').',
          ],
    });
  }
  if (victims !== null) blocks.push(...victimSentences(victims, ctx));
  for (const pie of [ports, countries]) if (pie !== null) blocks.push({ ...pie, notes: [roundingNote(ja)] });
  blocks.push(daily);
  if (victims !== null) blocks.push(victims);
  return { ...base, blocks };
}

function victimTable(input: BackscatterInput, ctx: ComposeContext, numbers: ChapterNumbers): TableBlock | null {
  if (input.victims.length === 0) return null;
  const { ja, lang } = ctx;
  const total = input.daily.reduce((sum, d) => sum + d.packets, 0);
  const ids = numbers.table();
  const victims = [...input.victims]
    .sort((a, b) => b.packets - a.packets || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
    .slice(0, VICTIMS_LISTED);
  return {
    kind: 'table',
    ...ids,
    caption: ja ? '跳ね返りパケットの多かった発信元' : 'Largest sources of backscatter (attack victims)',
    columns: [
      { key: 'rank', label: ja ? '順位' : 'Rank', kind: 'rank' },
      { key: 'address', label: ja ? '発信元 IP アドレス' : 'Source address', kind: 'code' },
      { key: 'country', label: ja ? '国・地域' : 'Country/region', kind: 'text' },
      { key: 'port', label: ja ? '発信元ポート' : 'Source port', kind: 'text' },
      { key: 'packets', label: ja ? 'パケット数' : 'Packets', kind: 'number', decimals: 0, unit: 'packet' },
      { key: 'share', label: ja ? '割合' : 'Share', kind: 'percent', decimals: 1 },
      { key: 'span', label: ja ? '観測期間' : 'Seen', kind: 'text' },
    ],
    rows: victims.map((v, i) => ({
      key: `victim-${i + 1}`,
      cells: {
        rank: i + 1,
        address: v.address,
        country: countryLabel(v.country, lang),
        port: v.sourcePort,
        packets: v.packets,
        share: total > 0 ? (v.packets / total) * PERCENT : null,
        span:
          v.firstDate === v.lastDate
            ? formatDate(v.firstDate, lang)
            : `${formatDate(v.firstDate, lang)}${ja ? '～' : ' – '}${formatDate(v.lastDate, lang)}`,
      },
    })),
  };
}

function victimSentences(table: TableBlock, ctx: ComposeContext): Block[] {
  const { ja } = ctx;
  return table.rows
    .slice(0, VICTIMS_DESCRIBED)
    .filter((row) => typeof row.cells['share'] === 'number')
    .map((row): Block => {
      const at = (column: string): Inline => cell(table.id, row.key, column);
      return {
        kind: 'paragraph',
        content: ja
          ? [
              at('country'),
              'の ',
              at('address'),
              ' からは、',
              at('port'),
              ' を発信元ポートとする跳ね返りパケットを ',
              at('packets'),
              '検知し、全体の ',
              at('share'),
              'を占めた (',
              at('span'),
              ')。この IP アドレスに対して DoS 攻撃が行われていたと考えられる。',
            ]
          : [
              'From ',
              at('address'),
              ' (',
              at('country'),
              '), ',
              at('packets'),
              ' backscatter packets from source port ',
              at('port'),
              ' arrived, ',
              at('share'),
              ' of all (',
              at('span'),
              '): this address was most likely under a denial-of-service attack.',
            ],
      };
    });
}
