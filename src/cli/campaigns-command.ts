/**
 * @module
 * `teiten campaigns [--db FILE|--store URL] --period P [--sensor NAME]...
 * [--top N] [--lang en|ja] [--json]`: the period's scanning campaigns over
 * the telescope, each with its sources, ports, tools and time, and every
 * link between two sources with its reasons in words of `--lang`. JSON is
 * `CampaignStatistics` (`analyse/campaign-stats.ts`): reasons as data and
 * in words of both languages.
 */

import { campaignStatistics, type CampaignLanguage, type CampaignStatistics } from '../analyse/index.js';
import { command, flag, oneOf, parsed } from './options.js';
import { writeOut } from './output.js';
import { wholeNumber } from './parse-values.js';
import { PERIOD_SHAPE, withPeriod } from './period-scope.js';
import { renderTable } from './text-table.js';

const DEFAULT_TOP = 10;
const SOURCES_SHOWN = 6;
const LANGUAGES = ['en', 'ja'] as const satisfies readonly CampaignLanguage[];
const PERCENT = 100;

const OPTIONS = {
  ...PERIOD_SHAPE,
  top: parsed(wholeNumber(1)).default(DEFAULT_TOP),
  lang: oneOf(LANGUAGES),
  json: flag(),
};

function heading(c: CampaignStatistics, lang: CampaignLanguage): string[] {
  const s = c.settings;
  const probes = c.rawPackets.toLocaleString('en-US');
  return lang === 'ja'
    ? [
        `キャンペーン、${c.period.label}: 探索元 ${c.sources} のうち ${c.linkedSources} を結ぶ ${c.campaigns.length} 件 (生パケット ${probes} 件の特徴から)`,
        `リンクの条件: ポートの組が ${Math.round(s.minPortJaccard * PERCENT)}% 以上一致、同じ /24 か ${s.timingSec} 秒以内の時刻、根拠 ${s.minScore} 点以上`,
      ]
    : [
        `Campaigns, ${c.period.label}: ${c.campaigns.length} campaign(s) joining ${c.linkedSources} of ${c.sources} scanners` +
          ` (features from ${probes} raw probes)`,
        `Links need port sets ${Math.round(s.minPortJaccard * PERCENT)} % alike, the same /24 or timing within ${s.timingSec} s, and ${s.minScore} evidence points`,
      ];
}

function campaignsText(c: CampaignStatistics, top: number, lang: CampaignLanguage): string {
  const ja = lang === 'ja';
  const head = heading(c, lang);
  if (c.campaigns.length === 0) return [...head, '', ja ? '(なし)' : '(none)'].join('\n');
  const shown = c.campaigns.slice(0, top);
  const table = renderTable(
    [
      { header: '#', align: 'right' },
      { header: ja ? '開始 (UTC)' : 'Start (UTC)', align: 'left' },
      { header: ja ? '発信元' : 'Sources', align: 'right' },
      { header: ja ? 'ツール' : 'Tools', align: 'left' },
      { header: ja ? 'ポート' : 'Ports', align: 'left' },
      { header: ja ? 'プローブ' : 'Probes', align: 'right' },
    ],
    shown.map((x, i) => [
      String(i + 1),
      x.start.replace('.000Z', 'Z'),
      String(x.sources.length),
      x.tools.join(' ') || '-',
      x.services.length <= 4 ? x.services.join(' ') : `${x.services.slice(0, 4).join(' ')} … (${x.services.length})`,
      x.packets.toLocaleString('en-US'),
    ]),
  );
  const details = shown.map((x, i) => {
    const named = x.sources.slice(0, SOURCES_SHOWN).join(', ');
    const more = x.sources.length - SOURCES_SHOWN;
    return [
      ja
        ? `キャンペーン ${i + 1}: ${named}${more > 0 ? ` ほか ${more}` : ''}`
        : `Campaign ${i + 1}: ${named}${more > 0 ? ` and ${more} more` : ''}`,
      ...x.links.map((l) => `  ${l.a} ~ ${l.b}: ${l.words[lang].join(ja ? '、' : '; ')}`),
    ].join('\n');
  });
  return [...head, '', table, '', ...details].join('\n');
}

export const runCampaigns = command(OPTIONS, async (options) =>
  withPeriod(options, async (store, { period, sensors }) => {
    const stats = await campaignStatistics(store, { period, filter: sensors === undefined ? {} : { sensors } });
    await writeOut(
      options.json ? `${JSON.stringify(stats, null, 2)}\n` : `${campaignsText(stats, options.top, options.lang)}\n`,
    );
    return 0;
  }),
);
