/**
 * @module
 * The monthly report's closing explanation table (補足説明): what each of
 * the month's most accessed ports is used for and why it is scanned, from
 * the bundled port knowledge base, IANA names as the fallback.
 */

import type { RankingTable } from '../../analyse/index.js';
import type { Section, TableBlock } from '../document.js';
import { formatMonth } from '../format-date.js';
import type { ComposeContext } from './context.js';
import { xref } from './inline.js';
import { portDescription } from './port-notes.js';

const EXPLAINED = 10;

export function portExplanations(ports: RankingTable, ctx: ComposeContext, place: { number: string }): Section {
  const { ja, lang } = ctx;
  const month = formatMonth(ports.period.label, lang);
  const rows = ports.rows.filter((r) => r.rank !== null && r.rank <= EXPLAINED && r.key !== '--');
  const table: TableBlock = {
    kind: 'table',
    id: `t${place.number}.1`,
    number: `${place.number}.1`,
    caption: ja ? `${month}にアクセス数の多かった宛先ポートの解説` : `The most accessed ports of ${month}`,
    columns: [
      { key: 'port', label: ja ? 'ポート種類' : 'Port', kind: 'text' },
      { key: 'service', label: ja ? 'サービス' : 'Service', kind: 'text' },
      { key: 'description', label: ja ? '解説' : 'Description', kind: 'text' },
    ],
    rows: rows.map((r) => {
      const d = portDescription(r.key, lang);
      return {
        key: r.key,
        cells: {
          port: r.key,
          service: d?.name ?? null,
          description: d?.description ?? (ja ? '(解説なし)' : '(no description)'),
        },
      };
    }),
  };
  const blocks: Section['blocks'] =
    rows.length === 0
      ? [
          {
            kind: 'paragraph',
            content: [ja ? `${month}はアクセスが観測されませんでした。` : `No accesses were observed in ${month}.`],
          },
        ]
      : [
          {
            kind: 'paragraph',
            content: ja
              ? [`${month}にアクセス数の多かった宛先ポートについて、`, xref(table.id), 'に解説します。']
              : [xref(table.id), ` explains the ports most accessed in ${month}.`],
          },
          table,
        ];
  return { id: `s${place.number}`, number: place.number, title: ja ? '補足説明' : 'Notes on the ports', blocks };
}
