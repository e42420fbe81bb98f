/**
 * @module
 * §4's subsection on reflection and UDP backscatter, beside the TCP
 * backscatter: the episodes in which answers of amplification services (or
 * ICMP errors quoting the spoofed queries) reached the telescope, with the
 * reading of each (a reflection aimed at a sensor address, or a flood
 * against the reflector), the amplification seen and the thresholds. Only
 * present when the period has episodes: a report without them reads as it
 * always did.
 */

import type { Block, Inline, Section, TableBlock } from '../document.js';
import type { ComposeContext } from './context.js';
import type { ReflectionInput } from './detection-input.js';
import { cell } from './inline.js';

const EPISODES_LISTED = 10;
const EPISODES_DESCRIBED = 3;

type Episode = ReflectionInput['episodes'][number];

const minute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The subsection for `input`, numbered after the tables `s4` already holds; null without episodes. */
export function reflectionSection(
  input: ReflectionInput | null | undefined,
  ctx: ComposeContext,
  s4: Section,
): Section | null {
  if (input === null || input === undefined || input.episodes.length === 0) return null;
  const { ja } = ctx;
  const tablesBefore = s4.blocks.filter((b) => b.kind === 'table').length;
  const number = `4-${tablesBefore + 1}`;
  const episodes = [...input.episodes]
    .sort((a, b) => b.replies + b.quotedQueries - (a.replies + a.quotedQueries) || a.start.localeCompare(b.start))
    .slice(0, EPISODES_LISTED);
  const table: TableBlock = {
    kind: 'table',
    id: `t${number}`,
    number,
    caption: ja ? 'リフレクション攻撃（UDP 跳ね返り）のエピソード' : 'Reflection and UDP backscatter episodes',
    columns: [
      { key: 'start', label: ja ? '開始' : 'Start', kind: 'text' },
      { key: 'reading', label: ja ? '解釈' : 'Reading', kind: 'text' },
      { key: 'target', label: ja ? '攻撃対象' : 'Target', kind: 'code' },
      { key: 'service', label: ja ? 'サービス' : 'Service', kind: 'text' },
      { key: 'answers', label: ja ? '応答数' : 'Answers', kind: 'number', decimals: 0, unit: 'packet' },
      { key: 'bytes', label: ja ? 'バイト数' : 'Bytes', kind: 'number', decimals: 0, unit: 'none' },
      { key: 'mean', label: ja ? '平均応答長' : 'Mean answer bytes', kind: 'number', decimals: 1, unit: 'none' },
      { key: 'reflectors', label: ja ? 'リフレクタ数' : 'Reflectors', kind: 'number', decimals: 0, unit: 'address' },
      {
        key: 'addresses',
        label: ja ? 'センサーアドレス数' : 'Sensor addresses',
        kind: 'number',
        decimals: 0,
        unit: 'address',
      },
    ],
    rows: episodes.map((e, i) => ({
      key: `episode-${i + 1}`,
      cells: {
        start: minute(e.start),
        reading: reading(e, ja),
        target: e.target,
        service: `${e.service} (${e.protocol})`,
        answers: e.replies + e.quotedQueries,
        bytes: e.bytes,
        mean: e.meanReplyBytes,
        reflectors: e.reflectors,
        addresses: e.sensorAddresses,
      },
    })),
    notes: [[thresholdNote(input.settings, ja)]],
  };
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      content: [
        ja
          ? `増幅に使われる UDP サービス（DNS、NTP、SNMP、CLDAP、SSDP、Memcached など）からの応答、及びそれらへの問い合わせを引用した ICMP エラーがセンサーに届いた。センサーのアドレスを送信元に詐称した問い合わせが送られていたことを示す。エピソードは ${input.episodes.length} 件であった。`
          : `Answers of UDP amplification services (DNS, NTP, SNMP, CLDAP, SSDP, Memcached …), and ICMP errors quoting queries to them, reached the sensors: someone sent queries with the sensors' addresses as their spoofed source. There were ${input.episodes.length} episodes.`,
      ],
    },
  ];
  for (const row of table.rows.slice(0, EPISODES_DESCRIBED)) {
    const e = episodes[Number(row.key.slice('episode-'.length)) - 1]!;
    const at = (column: string): Inline => cell(table.id, row.key, column);
    blocks.push({
      kind: 'paragraph',
      content:
        e.kind === 'reflection'
          ? ja
            ? [
                at('start'),
                'から、',
                at('reflectors'),
                'のリフレクタが ',
                at('service'),
                ' の応答 ',
                at('answers'),
                '（',
                at('bytes'),
                ' バイト）を ',
                at('target'),
                ' に送った。このセンサーアドレスを詐称した問い合わせによるリフレクション攻撃であり、攻撃の対象はこのアドレス（未使用のため、そのプレフィックス、誤り、又はリフレクタの試験）と考えられる。',
              ]
            : [
                'From ',
                at('start'),
                ', ',
                at('reflectors'),
                ' reflectors sent ',
                at('answers'),
                ' ',
                at('service'),
                ' answers (',
                at('bytes'),
                ' bytes) to ',
                at('target'),
                ': a reflection attack with this sensor address as the spoofed victim (an unused address, so the attack aimed at its prefix, picked it by mistake, or tested the reflectors).',
              ]
          : ja
            ? [
                at('start'),
                'から、',
                at('target'),
                ' (',
                at('service'),
                ') が ',
                at('addresses'),
                'のセンサーアドレスへ応答 ',
                at('answers'),
                'を送った。送信元をランダムに詐称した問い合わせでこのサーバーが攻撃され、センサーはその応答の一部を受けたと考えられる（UDP の跳ね返り）。',
              ]
            : [
                'From ',
                at('start'),
                ', ',
                at('target'),
                ' (',
                at('service'),
                ') sent ',
                at('answers'),
                ' answers to ',
                at('addresses'),
                ' sensor addresses: the server was flooded with queries from randomly spoofed sources, and the sensors drew a share of its answers (UDP backscatter).',
              ],
    });
  }
  blocks.push(table);
  return {
    id: 's4-reflection',
    title: ja ? 'リフレクション攻撃と UDP の跳ね返り' : 'Reflection and UDP backscatter',
    blocks,
  };
}

function reading(e: Episode, ja: boolean): string {
  if (e.kind === 'reflection') return ja ? 'センサーアドレスへのリフレクション' : 'reflection on a sensor address';
  return ja ? 'リフレクタへの攻撃の跳ね返り' : 'flood against the reflector';
}

function thresholdNote(s: ReflectionInput['settings'], ja: boolean): string {
  return ja
    ? `エピソードの条件: 応答又は ICMP エラー ${s.minPackets} 件以上で間隔 ${s.gapSec} 秒以内、かつ一つのセンサーアドレスに ${s.minReflectors} 以上のリフレクタ（リフレクション）、又は一つのリフレクタから ${s.minSpoofedAddresses} 以上のセンサーアドレス（跳ね返り）。生パケットから導出。`
    : `An episode needs ${s.minPackets} answers or ICMP errors, none more than ${s.gapSec} s apart, and either ${s.minReflectors} reflectors answering one sensor address (reflection) or one reflector answering ${s.minSpoofedAddresses} sensor addresses (backscatter). Derived from the raw packets.`;
}
