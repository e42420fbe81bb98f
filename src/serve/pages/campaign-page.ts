/**
 * @module
 * The campaigns page, over the same figures as `/api/campaigns`: each
 * campaign's sources, services, tools and time, then every link between two
 * of its sources with the reasons in words. Addresses and reasons name
 * attacker-controlled values (ports, fingerprints): all through `table()`.
 */

import { campaignStatistics, type CampaignItem } from '../../analyse/index.js';
import { escapeHtml } from '../../report/index.js';
import { fixed, href, segment, table } from './html-kit.js';
import { WORDS } from './page-words.js';
import type { PageInput, PageParts } from './summary-pages.js';

/** Campaigns listed in full on the page; the rest are counted. */
const CAMPAIGNS_SHOWN = 20;

export async function campaignsPage(input: PageInput): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const c = await campaignStatistics(input.store, { period: input.period });
  const shown = c.campaigns.slice(0, CAMPAIGNS_SHOWN);
  const sections = shown.map((campaign: CampaignItem, k) =>
    [
      `<h2>${escapeHtml(`${w.campaign} ${k + 1}: ${campaign.summary[state.lang]}`)}</h2>`,
      table(
        [
          {
            header: w.address,
            cell: (source: string) => ({ text: source, href: href(`/ip/${segment(source)}`, state) }),
          },
        ],
        campaign.sources,
        { caption: `${campaign.start} – ${campaign.end} · ${w.packets} ${fixed(campaign.packets, 0)}`, empty: w.none },
      ),
      table(
        [
          { header: w.address, cell: (l) => `${l.a} – ${l.b}` },
          { header: w.score, num: true, cell: (l) => fixed(l.score, 1) },
          { header: w.reasons, cell: (l) => l.words[state.lang].join(state.lang === 'ja' ? '、' : '; ') },
        ],
        campaign.links,
        { empty: w.none },
      ),
    ].join('\n'),
  );
  const body = [
    `<p>${escapeHtml(`${w.sources}: ${fixed(c.sources, 0)} · ${w.linkedSources}: ${fixed(c.linkedSources, 0)} · ${w.campaigns}: ${fixed(c.campaigns.length, 0)}`)}</p>`,
    shown.length === 0 ? `<p>${escapeHtml(w.none)}</p>` : sections.join('\n'),
  ].join('\n');
  return { title: `${w.campaigns} ${c.period.label}`, body };
}
