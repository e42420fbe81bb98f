/**
 * @module
 * The overview, the ranking pages (ports, countries) and the port and
 * country pages: the same figures as `/api/summary`, `/api/top/…`,
 * `/api/port/…` and `/api/country/…` (`figures.ts`), as HTML.
 */

import { escapeHtml } from '../../report/index.js';
import { countryFigures, portFigures, summaryFigures, topFigures } from '../figures.js';
import type { AnalyticsStore } from '../../store/index.js';
import type { Period, RowsPage } from '../../analyse/index.js';
import { dailyChart, type LinkState } from './html-kit.js';
import { rankingBlock, summaryBlock } from './figure-blocks.js';
import { LIVE_CHART_PATH } from './live-chart-script.js';
import { WORDS, type PageLang } from './page-words.js';

export interface PageInput {
  store: AnalyticsStore;
  period: Period;
  state: LinkState;
}

export interface PageParts {
  title: string;
  body: string;
  /** Scripts of this origin the page loads (only the overview's live chart has one). */
  scripts?: string[];
}

/** Seconds between the live chart's reloads (the API keeps its answer 5 s). */
const LIVE_REFRESH_SEC = 30;

/** The empty frame `live-chart-script.ts` draws the last hour into; its note stays without JavaScript. */
function liveFigure(lang: PageLang): string {
  const w = WORDS[lang];
  return `<h2>${escapeHtml(w.live)}</h2>
<figure class="live" data-src="/api/live?minutes=60" data-refresh="${LIVE_REFRESH_SEC}">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 200" width="720" height="200" role="img" aria-label="${escapeHtml(w.live)}"></svg>
<figcaption class="note">${escapeHtml(w.liveNote)}</figcaption>
</figure>`;
}

export async function overviewPage(input: PageInput): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const f = await summaryFigures(input.store, input.period);
  const body = [
    summaryBlock(f.summary, state),
    liveFigure(state.lang),
    `<h2>${escapeHtml(w.daily)}</h2>`,
    dailyChart(f.daily, {
      id: 'overview-daily',
      caption: `${w.perDayPerAddress} (${f.summary.period.label})`,
      lang: state.lang,
      names: [w.perDayPerAddress, w.sourcesPerDay],
    }),
    `<h2>${escapeHtml(w.topPorts)}</h2>`,
    rankingBlock(f.ports, state, w.topPorts),
    `<h2>${escapeHtml(w.topCountries)}</h2>`,
    rankingBlock(f.countries, state, w.topCountries),
  ].join('\n');
  return { title: `${w.overview} ${f.summary.period.label}`, body, scripts: [LIVE_CHART_PATH] };
}

export async function rankingPage(input: PageInput & { name: 'ports' | 'countries'; top: number }): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const f = await topFigures(input.store, { period: input.period, name: input.name, top: input.top });
  const title = `${input.name === 'ports' ? w.ports : w.countries} ${f.ranking.period.label}`;
  return {
    title,
    body: `${summaryBlock(f.summary, state)}\n${rankingBlock(f.ranking, state, title)}\n${everyItemLinks(input.name, f.ranking.period.label, f.ranking.page, state.lang)}`,
  };
}

/**
 * Where every item of the ranking is, not only the published rows: the
 * API's JSON and CSV, a page at a time (`ranking.page`, `Link: rel="next"`).
 */
function everyItemLinks(name: 'ports' | 'countries', periodLabel: string, page: RowsPage, lang: PageLang): string {
  const w = WORDS[lang];
  const url = (format: string): string =>
    escapeHtml(
      `/api/top/${name}?${new URLSearchParams({ period: periodLabel, ...(format === 'csv' ? { format } : {}) }).toString()}`,
    );
  const count = (n: number): string => n.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
  return `<p class="note">${escapeHtml(w.everyItem)}: <a href="${url('json')}">JSON</a> · <a href="${url('csv')}">CSV</a> (${count(page.total)} ${escapeHtml(w.itemsInAll)}, ${count(page.limit)} ${escapeHtml(w.itemsPerPage)})</p>`;
}

export async function portPage(input: PageInput & { service: string }): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const f = await portFigures(input.store, { period: input.period, service: input.service });
  const body = [
    summaryBlock(f.summary, state),
    dailyChart(f.daily, {
      id: 'port-daily',
      caption: `${f.service} ${w.perDayPerAddress}`,
      lang: state.lang,
      names: [w.perDayPerAddress, w.sourcesPerDay],
    }),
    `<h2>${escapeHtml(w.countries)}</h2>`,
    rankingBlock(f.countries, state, `${f.service} ${w.countries}`),
    `<h2>${escapeHtml(w.sensors)}</h2>`,
    rankingBlock(f.sensors, state, `${f.service} ${w.sensors}`),
  ].join('\n');
  return { title: `${w.service} ${f.service}`, body };
}

export async function countryPage(input: PageInput & { country: string }): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const f = await countryFigures(input.store, { period: input.period, country: input.country });
  const body = [
    summaryBlock(f.summary, state),
    dailyChart(f.daily, {
      id: 'country-daily',
      caption: `${f.country} ${w.perDayPerAddress}`,
      lang: state.lang,
      names: [w.perDayPerAddress, w.sourcesPerDay],
    }),
    `<h2>${escapeHtml(w.ports)}</h2>`,
    rankingBlock(f.ports, state, `${f.country} ${w.ports}`),
  ].join('\n');
  return { title: `${w.country} ${f.country}`, body };
}
