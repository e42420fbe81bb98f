/**
 * @module
 * The findings chapter: the period's notable changes listed with when they
 * happened and what they were (the published quarterly report's §5 lists its
 * advisories with date and title), their levels before and after, and what
 * they were made of, with a note on how the changes were found.
 */

import type { Finding } from '../../analyse/index.js';
import type { Block, Section } from '../document.js';
import type { ComposeContext } from './context.js';
import { xref } from './inline.js';
import type { FindingTables } from './findings-blocks.js';

export function advisoriesSection(
  ctx: ComposeContext,
  input: { findings: readonly Finding[]; tables: FindingTables | null; id: string; number: string },
): Section {
  const { ja, words } = ctx;
  const { findings, tables } = input;
  const place = { id: input.id, number: input.number };
  const title = ja ? `${words.current}の主な変化` : `Notable changes of ${words.current}`;
  if (tables === null || findings.length === 0) {
    return {
      ...place,
      title,
      blocks: [
        {
          kind: 'paragraph',
          content: [
            ja
              ? `${words.current}は、報告の基準を満たす変化は検出されなかった。`
              : `No change met the reporting thresholds ${words.current}.`,
          ],
        },
      ],
    };
  }
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      content: ja
        ? [`${words.current}に検出した主な変化は次のとおりである。(`, xref(tables.findings.id), ')']
        : [`The notable changes found ${words.current} are listed in `, xref(tables.findings.id), '.'],
    },
    tables.findings,
  ];
  if (tables.contributors !== null) blocks.push(tables.contributors);
  blocks.push({
    kind: 'note',
    content: [
      ja
        ? '変化は、宛先ポート・発信元国・地域・発信元ポートごとの一日・1IP 当たりの件数の日次推移 (曜日による変動を補正) から水準の変化点と一時的な急増を検出し、あわせて前期との順位・件数の比較から選んでいる。変化前・変化後は、それぞれの区間の平均である。'
        : 'Changes are found in the daily series of accesses per day per address of each destination port, source country and source port (corrected for the weekday pattern), as level shifts and short spikes, and in the ranking against the previous period. Before and after are the means of the two spans.',
    ],
  });
  return { ...place, title, blocks };
}
