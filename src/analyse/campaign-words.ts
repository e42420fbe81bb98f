/**
 * @module
 * Campaigns in words, in Japanese or English: each link reason
 * (`detect/link-reason.ts`) and each campaign's one-line summary. The
 * detector keeps its evidence as data; `teiten campaigns`, the report and
 * the API render it here, so the same link reads the same in every place.
 */

import type { Campaign, LinkReason } from '../detect/index.js';

/** Ports named in a reason or summary before "…". */
const PORTS_NAMED = 4;
const PERCENT = 100;
const MS_PER_SECOND = 1000;

const iso = (sec: number): string => new Date(Math.floor(sec) * MS_PER_SECOND).toISOString();

const portList = (services: readonly string[]): string =>
  services.length <= PORTS_NAMED ? services.join(' ') : `${services.slice(0, PORTS_NAMED).join(' ')} …`;

function reasonEn(r: LinkReason): string {
  switch (r.kind) {
    case 'port-set':
      return r.jaccard === 1
        ? `identical ${r.ports.length}-port set (${portList(r.ports)})`
        : `port sets ${Math.round(r.jaccard * PERCENT)} % alike`;
    case 'same-prefix':
      return `same /24 (${r.prefix})`;
    case 'together':
      return `started within ${r.startGapSec} s and stopped within ${r.stopGapSec} s of each other`;
    case 'rotation':
      return `${r.late} started ${Math.abs(r.gapSec)} s ${r.gapSec >= 0 ? 'after' : 'before'} ${r.early} stopped (rotation)`;
    case 'same-tool':
      return `same tool fingerprint (${r.tools.join(', ')})`;
    case 'same-ttl':
      return `same TTL ${r.ttl}`;
    case 'same-ip-id':
      return `same constant IP ID ${r.ipId}`;
    case 'same-window':
      return `same TCP window ${r.window}`;
    case 'same-source-port':
      return `same fixed source port ${r.port}`;
    case 'stepping-source-ports':
      return 'source ports step by one per probe in both (hping3 default)';
    case 'masscan-seed':
      return `same Masscan seed ${r.seed}${r.seedKind === 'time' ? ` (--seed time: started ${iso(r.seed)})` : ''}: every probe's TCP sequence number is its SYN cookie under that key, IP ID = dst ⊕ dport ⊕ seq`;
  }
}

function reasonJa(r: LinkReason): string {
  switch (r.kind) {
    case 'port-set':
      return r.jaccard === 1
        ? `同一の ${r.ports.length} ポートの組 (${portList(r.ports)})`
        : `ポートの組が ${Math.round(r.jaccard * PERCENT)}% 一致`;
    case 'same-prefix':
      return `同じ /24 (${r.prefix})`;
    case 'together':
      return `開始の差 ${r.startGapSec} 秒、終了の差 ${r.stopGapSec} 秒で同時に活動`;
    case 'rotation':
      return `${r.early} の終了の ${Math.abs(r.gapSec)} 秒${r.gapSec >= 0 ? '後' : '前'}に ${r.late} が開始 (発信元の交代)`;
    case 'same-tool':
      return `同じツールの特徴 (${r.tools.join(', ')})`;
    case 'same-ttl':
      return `同じ TTL ${r.ttl}`;
    case 'same-ip-id':
      return `同じ固定の IP ID ${r.ipId}`;
    case 'same-window':
      return `同じ TCP ウィンドウ ${r.window}`;
    case 'same-source-port':
      return `同じ固定の発信元ポート ${r.port}`;
    case 'stepping-source-ports':
      return '両方とも発信元ポートがプローブごとに 1 ずつ増加 (hping3 の既定)';
    case 'masscan-seed':
      return `同じ Masscan のシード ${r.seed}${r.seedKind === 'time' ? ` (--seed time: ${iso(r.seed)} に開始)` : ''}: 各プローブの TCP シーケンス番号がその鍵による SYN クッキーに一致し、IP ID = 宛先 ⊕ 宛先ポート ⊕ シーケンス番号`;
  }
}

/** Renderers by language, so callers get a typed list of languages. */
const REASON_WORDS = { en: reasonEn, ja: reasonJa } as const;
export type CampaignLanguage = keyof typeof REASON_WORDS;

/** `reason` in words of `lang`. */
export function linkReasonText(reason: LinkReason, lang: CampaignLanguage): string {
  return REASON_WORDS[lang](reason);
}

/** Who, what, when: "3 sources with masscan fingerprints probing 80/TCP … from … to …, joined by 2 link(s)". */
export function campaignSummaryText(
  c: Pick<Campaign, 'sources' | 'services' | 'tools' | 'start' | 'end' | 'links'>,
  lang: CampaignLanguage,
): string {
  const ports = c.services.length > 0 ? portList(c.services) : null;
  if (lang === 'ja') {
    return (
      `${c.sources.length} の発信元${c.tools.length > 0 ? ` (${c.tools.join('/')} の特徴)` : ''}が` +
      `${ports === null ? '重なり合うポート' : ` ${ports} `}を探索 (${iso(c.start)} – ${iso(c.end)}、リンク ${c.links.length} 本)`
    );
  }
  return (
    `${c.sources.length} sources${c.tools.length > 0 ? ` with ${c.tools.join('/')} fingerprints` : ''} probing ${ports ?? 'overlapping ports'}` +
    ` from ${iso(c.start)} to ${iso(c.end)}, joined by ${c.links.length} link(s)`
  );
}
