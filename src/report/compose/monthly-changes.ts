/**
 * @module
 * §2.1 of the monthly report: the month's notable changes in words (each
 * citing the findings table and its chart), the findings and contributors
 * tables, and per port or country involved a daily chart by region or port
 * (with the band of its monthly mean's 95 % interval) and what the port is
 * used for.
 */

import type { Block, Section } from '../document.js';
import { formatMonth } from '../format-date.js';
import type { ComposeContext } from './context.js';
import { countryLabel } from './context.js';
import { dailyLineChart, stackedDailyChart, withPeriodBand } from './daily-charts.js';
import { findingSentences, type FindingTables } from './findings-blocks.js';
import { xref, type Numberer } from './inline.js';
import type { MonthlyData } from './monthly-data.js';
import { portNote } from './port-notes.js';

export function monthlyChanges(
  data: MonthlyData,
  ctx: ComposeContext,
  options: { tables: FindingTables | null; figures: Numberer },
): Section {
  const { ja, lang } = ctx;
  const { tables, figures } = options;
  const month = formatMonth(data.period.label, lang);
  const charts = new Map<string, string>();
  const chartBlocks: Block[] = [];
  for (const daily of data.notable) {
    const number = figures.next();
    const id = `f${number}`;
    charts.set(`${daily.dimension}:${daily.key}`, id);
    const note = daily.dimension === 'service' ? portNote(daily.key, lang) : null;
    if (note !== null) chartBlocks.push({ kind: 'paragraph', content: [note] });
    const name = daily.dimension === 'service' ? daily.key : countryLabel(daily.key, lang);
    const caption =
      daily.dimension === 'service'
        ? ja
          ? `${month}の ${name} への発信元地域別アクセス数の変化`
          : `Daily accesses to ${name} by source region, ${month}`
        : ja
          ? `${month}の${name}からの宛先ポート別アクセス数の変化`
          : `Daily accesses from ${name} by destination port, ${month}`;
    // The band: the item's monthly mean with its 95 % interval, from its row of the month's ranking.
    const ranking = daily.dimension === 'service' ? data.ports : data.countries;
    chartBlocks.push(
      withPeriodBand(stackedDailyChart(daily, { id, number, caption }, lang), { ranking, key: daily.key, lang }),
    );
  }
  for (const item of data.sourcePorts?.items ?? []) {
    const number = figures.next();
    const id = `f${number}`;
    charts.set(`source-port:${item.key}`, id);
    chartBlocks.push(
      dailyLineChart(
        {
          id,
          number,
          caption: ja
            ? `${month}の発信元ポート ${item.key} のアクセス数の変化`
            : `Daily accesses from source port ${item.key}, ${month}`,
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
  if (tables === null || data.findings.length === 0) {
    blocks.push({
      kind: 'paragraph',
      content: [
        ja
          ? `${month}は、前月と比べて目立った変化はありませんでした。`
          : `Nothing changed notably in ${month} against the previous month.`,
      ],
    });
  } else {
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [`${month}に目立った変化は次のとおりです。(`, xref(tables.findings.id), ')']
        : [`The notable changes of ${month} follow (`, xref(tables.findings.id), ').'],
    });
    for (const f of data.findings) {
      const chart = charts.get(`${f.dimension}:${f.key}`);
      blocks.push({
        kind: 'paragraph',
        content: findingSentences(f, ctx, chart === undefined ? { tables } : { tables, chart }),
      });
    }
    blocks.push(tables.findings);
    if (tables.contributors !== null) blocks.push(tables.contributors);
  }
  blocks.push(...chartBlocks);
  return { id: 's2.1', number: '2.1', title: ja ? `${month}の主な変化` : `Notable changes of ${month}`, blocks };
}
