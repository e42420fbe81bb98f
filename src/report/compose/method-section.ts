/**
 * @module
 * The method chapter: how accesses are counted (per port, ICMP per type;
 * per day per sensor address over the address-days observed), the sensors
 * with their addresses and uptime, the GeoIP database and its build date as
 * recorded by the ingests (with a warning when one was more than 90 days old
 * when used), and the signatures loaded when known.
 */

import { GEO_STALE_AFTER_DAYS } from '../../classify/index.js';
import type { Block, Inline, Section, TableBlock } from '../document.js';
import { formatDate } from '../format-date.js';
import { formatQuantity } from '../format.js';
import type { ComposeContext } from './context.js';
import type { SignatureInput } from './detection-input.js';
import { cell, ChapterNumbers, xref } from './inline.js';
import type { ObservationSetup } from './observation-setup.js';

/** The method chapter of `place.setup`, numbered `place.number`, its parts and tables with `place.separator` (default '-': 6-1, 6-2). */
export function methodSection(
  ctx: ComposeContext,
  place: { setup: ObservationSetup; signatures: SignatureInput | null; number: string; separator?: string },
): Section {
  const { ja } = ctx;
  const { setup, signatures } = place;
  const sep = place.separator ?? '-';
  const numbers = new ChapterNumbers(place.number, sep);
  const facts = factsTable(setup, signatures, ctx, numbers.table());
  const sensors = sensorTable(setup, ctx, numbers.table());
  const at = (row: string): Inline => cell(facts.id, row, 'value');
  const counting: Block[] = [
    {
      kind: 'paragraph',
      content: [
        ja
          ? 'TCP 及び UDP は宛先ポートごとに集計し、ポート番号にプロトコル名を付けて表す (例: 135/TCP は TCP の 135 番ポート)。ICMP はタイプごとに集計し、タイプ番号を付けて表す (例: 8/ICMP は ICMP Echo Request)。'
          : 'TCP and UDP are counted per destination port, written with the protocol (135/TCP is TCP port 135); ICMP is counted per type, written with the type number (8/ICMP is ICMP Echo Request).',
      ],
    },
    {
      kind: 'paragraph',
      content: [
        ja
          ? '一日・1IP 当たりの件数は、期間中にセンサーのアドレスに届いたパケット数を、各センサーのアドレス数に観測していた日数 (停止時間を除く) を乗じた値 (アドレス日) の合計で割ったものである。発信元 IP アドレス数は、日ごとの異なる発信元 IP アドレスの数を観測日数で平均したものである。'
          : "Accesses per day per address are the packets that reached the sensors' addresses divided by the address-days observed: each sensor's addresses times the days it observed, downtime excluded. Sources per day are each day's count of distinct source addresses, averaged over the days observed.",
      ],
    },
    {
      kind: 'paragraph',
      content: [
        ja
          ? `一日・1IP 当たりの件数に付す 95% 区間は、日ごとの件数が平均に比例する分散を持ち、その比例係数 (過分散) を各日の残差から推定する準ポアソンモデルによる。各日の重みはその日に観測したアドレス日で、一部のみ観測した日もその割合で数える。区間は有効件数 (件数 ÷ 過分散) の正確なポアソン区間を過分散で戻し、過分散の推定に用いた日数に応じて t 分布で広げたものである。${ctx.words.versus}の変化は、両期間の件数の比の対数を Welch の t 検定で検定し、表の全項目について Benjamini–Hochberg 法で補正した q 値が 0.05 以下のときのみ増加・減少と記し、それ以外は「有意な変化なし」と記す。`
          : "The 95 % interval given with a count per day per address comes from a quasi-Poisson model: each day's count has a variance proportional to its mean, the factor (over-dispersion) estimated from the days' residuals; each day weighs by the address-days it observed, so a partly observed day counts by its share. The interval is the exact Poisson interval of the effective count (count ÷ over-dispersion) scaled back, widened by Student's t for the days the over-dispersion was estimated from. A change against the previous period is tested on the log ratio of the two rates by Welch's t test; it is called a rise or a fall only when its Benjamini–Hochberg q-value, corrected over every item ranked, is 0.05 or less, and \"no significant change\" otherwise.",
      ],
    },
  ];
  const observed: Inline[] =
    setup.sensors.length === 0
      ? [ja ? 'センサーは登録されていない。' : 'No sensor is registered.']
      : ja
        ? [
            `${ctx.words.current}は `,
            at('sensors'),
            ' 台のセンサー (',
            at('addresses'),
            ' アドレス) で観測した。各センサーの稼働状況は',
            xref(sensors.id),
            'のとおりである。',
          ]
        : [
            'This period was observed by ',
            at('sensors'),
            ' sensors with ',
            at('addresses'),
            ' addresses; ',
            xref(sensors.id),
            ' lists their uptime.',
          ];
  const geo: Inline[] =
    setup.geoip.length === 0 || setup.geoip[0]!.database === ''
      ? [
          ja
            ? '発信元の国・地域の判定に用いた GeoIP データベースの記録はない。'
            : "No GeoIP database was recorded for the period's ingests.",
        ]
      : ja
        ? [
            '発信元の国・地域は GeoIP データベース ',
            at('geoip'),
            ...(setup.geoip[0]!.buildDate === null ? [] : [' (', at('geoipDate'), '作成)']),
            ' により判定した。',
          ]
        : [
            'Source countries were looked up in the GeoIP database ',
            at('geoip'),
            ...(setup.geoip[0]!.buildDate === null ? [] : [' (built ', at('geoipDate'), ')']),
            '.',
          ];
  const stale = staleGeoSentence(setup, ctx);
  const rules: Inline[] =
    signatures === null
      ? [
          ja
            ? 'シグネチャ検知のデータは保存されていないため、登録シグネチャ数は記載しない。'
            : 'No signature detection data was stored, so the number of signatures loaded is not given.',
        ]
      : signatures.rulesLoaded === null
        ? [ja ? '登録シグネチャ数は記録されていない。' : 'The number of signatures loaded was not recorded.']
        : ja
          ? ['各センサーには、シグネチャが ', at('signatures'), ' 種類登録されている。']
          : ['The sensors were loaded with ', at('signatures'), ' signatures.'];
  return {
    id: `s${place.number}`,
    number: place.number,
    title: ja ? '集計方法' : 'Method',
    blocks: [],
    sections: [
      {
        id: `s${place.number}${sep}1`,
        number: `${place.number}${sep}1`,
        title: ja ? 'センサーに対するアクセス' : 'Accesses to the sensors',
        blocks: counting,
      },
      {
        id: `s${place.number}${sep}2`,
        number: `${place.number}${sep}2`,
        title: ja ? '観測体制' : 'Observation setup',
        blocks: [
          {
            kind: 'paragraph',
            content: [...observed, ja ? '' : ' ', ...geo, ...stale, ja ? '' : ' ', ...rules].filter((x) => x !== ''),
          },
          facts,
          sensors,
        ],
      },
    ],
  };
}

/**
 * The sentence saying that a GeoIP database was more than
 * `GEO_STALE_AFTER_DAYS` old when captures of the period were ingested with
 * it (the oldest such, by its age at its latest ingest); none otherwise.
 */
function staleGeoSentence(setup: ObservationSetup, ctx: ComposeContext): Inline[] {
  const stale = setup.geoip
    .filter((u) => u.database !== '' && u.ageDays !== null && u.ageDays > GEO_STALE_AFTER_DAYS)
    .sort((a, b) => b.ageDays! - a.ageDays!)[0];
  if (stale === undefined) return [];
  const age = formatQuantity(stale.ageDays!, ctx.lang);
  const limit = formatQuantity(GEO_STALE_AFTER_DAYS, ctx.lang);
  return ctx.ja
    ? [
        `なお、GeoIP データベース ${stale.database} は、取り込み時点で作成から ${age} 日 (${limit} 日超) を経ており、発信元の国・地域の一部は現在の割り当てと異なる可能性がある。`,
      ]
    : [
        ` The GeoIP database ${stale.database} was ${age} days old (more than ${limit}) when captures were ingested with it, so some source countries may no longer match current assignments.`,
      ];
}

function sensorTable(setup: ObservationSetup, ctx: ComposeContext, place: { id: string; number: string }): TableBlock {
  const { ja } = ctx;
  const delivered = setup.sensors.some((s) => s.losses !== null);
  return {
    kind: 'table',
    ...place,
    caption: ja ? 'センサーと稼働状況' : 'Sensors and uptime',
    columns: [
      { key: 'name', label: ja ? 'センサー' : 'Sensor', kind: 'code' },
      { key: 'label', label: ja ? '名称' : 'Label', kind: 'text' },
      { key: 'addresses', label: ja ? 'アドレス' : 'Addresses', kind: 'code' },
      { key: 'count', label: ja ? 'アドレス数' : 'Address count', kind: 'number', decimals: 0 },
      { key: 'addressDays', label: ja ? 'アドレス日' : 'Address-days', kind: 'number', decimals: 2 },
      { key: 'uptime', label: ja ? '稼働率' : 'Uptime', kind: 'percent', decimals: 1 },
      // Only when some sensor delivers through the collector: losses on the way are part of how the period was observed.
      ...(delivered
        ? [
            {
              key: 'dropped',
              label: ja ? '取りこぼし (カーネル・エージェント)' : 'Dropped (kernel, agent)',
              kind: 'number',
              decimals: 0,
            } as const,
            {
              key: 'spool',
              label: ja ? 'スプール破棄パケット' : 'Spool losses (packets)',
              kind: 'number',
              decimals: 0,
            } as const,
          ]
        : []),
    ],
    rows: setup.sensors.map((s) => ({
      key: s.name,
      cells: {
        name: s.name,
        label: s.label,
        addresses: s.addresses.join(' '),
        count: s.addressCount,
        addressDays: s.addressDays,
        uptime: s.uptimePct,
        ...(delivered
          ? {
              dropped: s.losses === null ? null : s.losses.kernelDropped + s.losses.agentDropped,
              spool: s.losses === null ? null : s.losses.spoolDroppedPackets,
            }
          : {}),
      },
    })),
  };
}

function factsTable(
  setup: ObservationSetup,
  signatures: SignatureInput | null,
  ctx: ComposeContext,
  place: { id: string; number: string },
): TableBlock {
  const { ja } = ctx;
  const geo = setup.geoip[0];
  const rows: [string, string, number | string | null][] = [
    ['sensors', ja ? 'センサー数' : 'Sensors', setup.sensors.length],
    ['addresses', ja ? 'アドレス数' : 'Addresses', setup.sensors.reduce((n, s) => n + s.addressCount, 0)],
    ['ingests', ja ? '取り込んだキャプチャ数' : 'Captures ingested', setup.ingests],
    // Only when there are some: reports of complete captures stay as they were.
    ...(setup.truncatedIngests === 0
      ? []
      : [
          [
            'truncated',
            ja
              ? '途中で切れたキャプチャ数 (完全なレコードのみ集計)'
              : 'Captures cut inside a record (complete records counted)',
            setup.truncatedIngests,
          ] as [string, string, number],
        ]),
    [
      'geoip',
      ja ? 'GeoIP データベース' : 'GeoIP database',
      geo === undefined || geo.database === '' ? null : geo.database,
    ],
    [
      'geoipDate',
      ja ? 'GeoIP データベース作成日' : 'GeoIP database built',
      geo?.buildDate == null ? null : formatDate(geo.buildDate, ctx.lang),
    ],
    ['signatures', ja ? '登録シグネチャ数' : 'Signatures loaded', signatures?.rulesLoaded ?? null],
  ];
  return {
    kind: 'table',
    ...place,
    caption: ja ? '観測体制' : 'Observation setup',
    columns: [
      { key: 'item', label: ja ? '項目' : 'Item', kind: 'text' },
      { key: 'value', label: ja ? '値' : 'Value', kind: 'number', decimals: 0 },
    ],
    rows: rows.map(([key, label, value]) => ({ key, cells: { item: label, value } })),
  };
}
