/**
 * @module
 * `campaignStatistics()`: a period's campaigns (`campaigns.ts`) as `teiten
 * campaigns --json`, the report and `/api/campaigns` give them: ISO times,
 * the period, and the sources considered with how many raw probes their
 * features came from. Link reasons come as data and in words of both
 * languages (`campaign-words.ts`), as does each campaign's summary.
 */

import type { CampaignLink, CampaignSettings } from '../detect/index.js';
import { campaignSummaryText, linkReasonText, type CampaignLanguage } from './campaign-words.js';
import type { AnalyticsStore } from '../store/index.js';
import { telescopeCampaigns } from './campaigns.js';
import { detectionScopes, type DetectionFilter } from './detection-scope.js';
import type { Period } from '../util/period.js';
import type { PeriodRef } from './types.js';

const MS_PER_SECOND = 1000;

/** A link with its reasons as data and in words, one string per reason and language. */
export interface CampaignLinkItem extends CampaignLink {
  words: Record<CampaignLanguage, string[]>;
}

export interface CampaignItem {
  sources: string[];
  services: string[];
  tools: string[];
  /** ISO 8601 UTC, and epoch seconds. */
  start: string;
  end: string;
  startSec: number;
  endSec: number;
  packets: number;
  summary: Record<CampaignLanguage, string>;
  links: CampaignLinkItem[];
}

export interface CampaignStatistics {
  period: PeriodRef;
  settings: CampaignSettings;
  /** Scanners of the period considered, and raw probes their features were read from. */
  sources: number;
  rawPackets: number;
  /** Sources in some campaign. */
  linkedSources: number;
  /** Largest first. */
  campaigns: CampaignItem[];
}

const iso = (sec: number): string => new Date(Math.floor(sec) * MS_PER_SECOND).toISOString();

export async function campaignStatistics(
  store: AnalyticsStore,
  options: { period: Period; filter?: DetectionFilter; settings?: Partial<CampaignSettings> },
): Promise<CampaignStatistics> {
  const { current } = await detectionScopes(store, options.period, options.filter);
  const result = await telescopeCampaigns(
    store,
    current,
    options.settings === undefined ? {} : { settings: options.settings },
  );
  return {
    period: current.ref,
    settings: result.settings,
    sources: result.sources,
    rawPackets: result.rawPackets,
    linkedSources: result.campaigns.reduce((n, c) => n + c.sources.length, 0),
    campaigns: result.campaigns.map((c) => ({
      sources: c.sources,
      services: c.services,
      tools: c.tools,
      start: iso(c.start),
      end: iso(c.end),
      startSec: c.start,
      endSec: c.end,
      packets: c.packets,
      summary: { en: campaignSummaryText(c, 'en'), ja: campaignSummaryText(c, 'ja') },
      links: c.links.map((l) => ({
        ...l,
        words: { en: l.reasons.map((r) => linkReasonText(r, 'en')), ja: l.reasons.map((r) => linkReasonText(r, 'ja')) },
      })),
    })),
  };
}
