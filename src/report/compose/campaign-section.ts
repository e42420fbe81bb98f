/**
 * @module
 * §2's subsection on scanning campaigns: scanners of the period linked into
 * one actor's work (`detect/campaign-links.ts`), the largest in a table and
 * the first few in words with the reasons of their links. Only present when
 * the period has campaigns: a report without them reads as it always did.
 * The reasons are data, put in the report's language by
 * `analyse/campaign-words.ts` (the words `teiten campaigns` and the API use).
 */

import { linkReasonText } from '../../analyse/index.js';
import type { Block, Inline, Section, TableBlock } from '../document.js';
import type { ComposeContext } from './context.js';
import type { CampaignInput } from './detection-input.js';
import { cell, type ChapterNumbers } from './inline.js';

const CAMPAIGNS_LISTED = 10;
const CAMPAIGNS_DESCRIBED = 2;
const SOURCES_NAMED = 3;
const PORTS_NAMED = 5;

const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const ports = (services: readonly string[]): string =>
  services.length <= PORTS_NAMED
    ? services.join(' ')
    : `${services.slice(0, PORTS_NAMED).join(' ')} … (${services.length})`;

/** The subsection for `input`, its table numbered by `numbers`; null without campaigns. */
export function campaignSection(
  input: CampaignInput | null | undefined,
  ctx: ComposeContext,
  numbers: ChapterNumbers,
): Section | null {
  if (input === null || input === undefined || input.campaigns.length === 0) return null;
  const { ja } = ctx;
  const campaigns = input.campaigns.slice(0, CAMPAIGNS_LISTED);
  const table: TableBlock = {
    kind: 'table',
    ...numbers.table(),
    caption: ja
      ? '同一の主体によると考えられる探索活動（キャンペーン）'
      : "Scanning campaigns: scanners that are one actor's work",
    columns: [
      { key: 'rank', label: ja ? '順位' : 'Rank', kind: 'rank' },
      { key: 'start', label: ja ? '開始' : 'Start', kind: 'text' },
      { key: 'sources', label: ja ? '発信元数' : 'Sources', kind: 'number', decimals: 0, unit: 'address' },
      { key: 'first', label: ja ? '主な発信元' : 'First sources', kind: 'code' },
      { key: 'tools', label: ja ? 'ツール' : 'Tools', kind: 'text' },
      { key: 'ports', label: ja ? 'ポート' : 'Ports', kind: 'text' },
      { key: 'packets', label: ja ? 'パケット数' : 'Probes', kind: 'number', decimals: 0, unit: 'packet' },
    ],
    rows: campaigns.map((c, i) => ({
      key: `campaign-${i + 1}`,
      cells: {
        rank: i + 1,
        start: minute(c.start),
        sources: c.sources.length,
        first: c.sources.slice(0, SOURCES_NAMED).join(', '),
        tools: c.tools.length === 0 ? '-' : c.tools.join(', '),
        ports: ports(c.services),
        packets: c.packets,
      },
    })),
  };
  const linked = input.campaigns.reduce((n, c) => n + c.sources.length, 0);
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      content: [
        ja
          ? `探索活動を行った ${input.sources} の発信元のうち ${linked} は、ポートの組、開始・終了の時刻、発信元のネットワーク及びツールの特徴が一致し、${input.campaigns.length} のキャンペーンにまとめられた。`
          : `Of the ${input.sources} scanning sources, ${linked} shared their port sets, start and stop times, source networks and tool fingerprints closely enough to form ${input.campaigns.length} campaigns.`,
      ],
    },
  ];
  campaigns.slice(0, CAMPAIGNS_DESCRIBED).forEach((c, i) => {
    const at = (column: string): Inline => cell(table.id, `campaign-${i + 1}`, column);
    const link = c.links[0];
    const why =
      link === undefined
        ? ''
        : `${link.a} – ${link.b}: ${link.reasons.map((r) => linkReasonText(r, ctx.lang)).join(ja ? '、' : '; ')}`;
    blocks.push({
      kind: 'paragraph',
      content: ja
        ? [
            at('start'),
            'から、',
            at('sources'),
            'の発信元が ',
            at('ports'),
            ' を探索した (',
            at('tools'),
            ')。結び付けた根拠の例: ',
            why,
            '。',
          ]
        : [
            'From ',
            at('start'),
            ', ',
            at('sources'),
            ' sources probed ',
            at('ports'),
            ' (',
            at('tools'),
            '). For example, ',
            why,
            '.',
          ],
    });
  });
  blocks.push(table);
  return { id: 's2-campaigns', title: ja ? '探索活動のキャンペーン' : 'Scanning campaigns', blocks };
}
