/**
 * @module
 * §1 of the monthly report (after TALOT2), for the general public: the
 * month's unsolicited accesses in total and per observation point, and the
 * plain-language line "your computer receives N accesses a day from M
 * strangers"; figure 1.1 shows the six months' accesses per day per address
 * and sources per day per observation point. The month's accesses per day
 * per address carry their 95 % interval in table 1.2.
 */

import type { ChartBlock, Inline, Section } from '../document.js';
import { formatMonth } from '../format-date.js';
import { roundHalfUp } from '../format.js';
import { comparisonTable } from './comparison-table.js';
import type { ComposeContext } from './context.js';
import { cell, point, xref } from './inline.js';
import type { MonthFigures } from './month-figures.js';

const SENTENCE_DECIMALS = 0;
const PER_SOURCE_DECIMALS = 1;

export function monthlyOverview(
  months: readonly MonthFigures[],
  ctx: ComposeContext,
  options: { interval: { low: number; high: number } | null },
): Section {
  const { ja, lang } = ctx;
  const now = months[months.length - 1]!;
  const before = months[months.length - 2] ?? null;
  const perSource = (m: MonthFigures | null): number | null =>
    m === null || m.perDayPerAddress === null || m.sourcesPerDayPerPoint === null || m.sourcesPerDayPerPoint === 0
      ? null
      : m.perDayPerAddress / m.sourcesPerDayPerPoint;
  const totals = comparisonTable(ctx, {
    rows: [
      {
        key: 'points',
        label: ja ? '観測点の数' : 'Observation points',
        current: now.points,
        previous: before?.points ?? null,
      },
      {
        key: 'total',
        label: ja ? 'アクセスの総数(件)' : 'Accesses in all',
        current: now.packets,
        previous: before?.packets ?? null,
      },
    ],
    id: 't1.1',
    number: '1.1',
    caption: ja ? '観測点とアクセスの総数' : 'Observation points and accesses',
    decimals: 0,
  });
  const daily = comparisonTable(ctx, {
    rows: [
      {
        key: 'accesses',
        label: ja ? '1アドレス1日あたりのアクセス数(件)' : 'Accesses per address per day',
        current: now.perDayPerAddress,
        previous: before?.perDayPerAddress ?? null,
        interval: options.interval,
      },
      {
        key: 'sources',
        label: ja ? '1観測点1日あたりの発信元数(個)' : 'Sources per observation point per day',
        current: now.sourcesPerDayPerPoint,
        previous: before?.sourcesPerDayPerPoint ?? null,
      },
      {
        key: 'perSource',
        label: ja ? '発信元1個あたりのアクセス数(件)' : 'Accesses per source',
        current: perSource(now),
        previous: perSource(before),
      },
    ],
    id: 't1.2',
    number: '1.2',
    caption: ja ? '1日あたりのアクセス数と発信元数' : 'Accesses and sources per day',
  });
  const chart: ChartBlock = {
    kind: 'chart',
    id: 'f1.1',
    number: '1.1',
    caption: ja
      ? '1アドレス1日あたりのアクセス数と1観測点1日あたりの発信元数'
      : 'Accesses per address per day and sources per observation point per day',
    chart: {
      type: 'bar',
      categoryKind: 'month',
      categories: months.map((m) => m.month),
      decimals: 1,
      series: [
        { key: 'accesses', name: ja ? 'アクセス数' : 'Accesses', values: months.map((m) => m.perDayPerAddress) },
        { key: 'sources', name: ja ? '発信元数' : 'Sources', values: months.map((m) => m.sourcesPerDayPerPoint) },
      ],
    },
  };
  const month = formatMonth(now.month, lang);
  const t = (table: string, row: string, format: Parameters<typeof cell>[3]): Inline =>
    cell(table, row, 'current', format);
  const blocks: Section['blocks'] = [];
  if (now.perDayPerAddress === null) {
    blocks.push({
      kind: 'paragraph',
      content: [ja ? `${month}は、センサーが観測していた記録がありません。` : `No sensor observed in ${month}.`],
    });
  } else {
    const accesses = t(daily.id, 'accesses', { decimals: SENTENCE_DECIMALS, unit: 'count' });
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [
            `インターネット定点観測によると、${month}の一方的なアクセスの総数は、`,
            t(totals.id, 'points', { unit: 'none' }),
            ' 観測点で ',
            t(totals.id, 'total', { unit: 'count' }),
            'でした。センサーの 1 アドレスには、1 日あたり ',
            accesses,
            'のアクセスがあったことになります。(',
            xref(totals.id),
            '、',
            xref(daily.id),
            ')',
          ]
        : [
            `In ${month}, the sensors received `,
            t(totals.id, 'total', {}),
            ' unsolicited accesses at ',
            t(totals.id, 'points', {}),
            ' observation points: ',
            accesses,
            ' a day for each sensor address (',
            xref(totals.id),
            ', ',
            xref(daily.id),
            ').',
          ],
    });
    if (now.sourcesPerDayPerPoint !== null && now.sourcesPerDayPerPoint > 0) {
      const strangers = t(daily.id, 'sources', { decimals: SENTENCE_DECIMALS, unit: 'none' });
      const each = t(daily.id, 'perSource', { decimals: PER_SOURCE_DECIMALS, unit: 'count' });
      blocks.push({
        kind: 'paragraph',
        content: ja
          ? [
              'センサーは、特別な対策をしていない一般的なインターネット接続と同じように、届いたパケットをそのまま受け取っています。皆さんのコンピュータにも同じくらいの一方的なアクセスが届いていると考えられます。言い換えれば、',
              {
                kind: 'strong',
                content: [
                  'あなたのコンピュータは、毎日、平均して ',
                  strangers,
                  ' 人の見知らぬ人 (発信元) から、',
                  accesses,
                  'の一方的なアクセスを受けている',
                ],
              },
              'ということになります (発信元一人当たり ',
              each,
              ')。',
            ]
          : [
              'A sensor address is reached from the Internet like any other connected computer without special protection, so yours can expect the same. In plain words: ',
              {
                kind: 'strong',
                content: [
                  'your computer receives ',
                  accesses,
                  ' unsolicited accesses a day from ',
                  strangers,
                  ' strangers',
                ],
              },
              ', about ',
              each,
              ' from each.',
            ],
      });
    }
  }
  blocks.push(totals, daily);
  blocks.push({ kind: 'paragraph', content: trendSentence(months, chart.id, ctx) }, chart);
  return { id: 's1', number: '1', title: ja ? '一般のインターネット利用者の皆さんへ' : 'For Internet users', blocks };
}

function trendSentence(months: readonly MonthFigures[], chartId: string, ctx: ComposeContext): Inline[] {
  const { ja, lang } = ctx;
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const span = `${formatMonth(first.month, lang)}${ja ? '～' : ' to '}${formatMonth(last.month, lang)}`;
  const out: Inline[] = ja
    ? [
        `${span}の各月の、1 アドレス 1 日あたりの平均アクセス数と 1 観測点 1 日あたりの平均発信元数を`,
        xref(chartId),
        'に示します。',
      ]
    : [
        xref(chartId),
        ` shows, for each month from ${span}, the mean accesses per address per day and the mean sources per observation point per day.`,
      ];
  if (first !== last && first.perDayPerAddress !== null && last.perDayPerAddress !== null) {
    const a = roundHalfUp(first.perDayPerAddress, 1);
    const b = roundHalfUp(last.perDayPerAddress, 1);
    const at = (m: MonthFigures): Inline =>
      point(chartId, { series: 'accesses', point: m.month }, { unit: 'count', decimals: 1 });
    const word = b > a ? (ja ? '増加' : 'rose') : b < a ? (ja ? '減少' : 'fell') : null;
    if (word === null)
      out.push(
        ja
          ? `アクセス数は${formatMonth(first.month, lang)}と${formatMonth(last.month, lang)}で同じ水準でした。`
          : ' Accesses were at the same level at both ends.',
      );
    else
      out.push(
        ...(ja
          ? [
              `アクセス数は${formatMonth(first.month, lang)}の `,
              at(first),
              `から${formatMonth(last.month, lang)}の `,
              at(last),
              `へ${word}しました。`,
            ]
          : [
              ` Accesses ${word} from `,
              at(first),
              ` in ${formatMonth(first.month, lang)} to `,
              at(last),
              ` in ${formatMonth(last.month, lang)}.`,
            ]),
      );
  }
  return out;
}
