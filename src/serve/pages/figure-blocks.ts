/**
 * @module
 * Blocks several pages share: a period summary against the previous period
 * and a ranking table whose items link to their detail pages.
 */

import type { ItemLabel, PeriodSummary, RankingRow, RankingTable } from '../../analyse/index.js';
import { escapeHtml } from '../../report/index.js';
import { serviceSlug } from '../params.js';
import { fixed, href, rankText, segment, signed, table, type Cell, type Column, type LinkState } from './html-kit.js';
import { WORDS } from './page-words.js';

interface SummaryLine {
  name: string;
  current: string;
  previous: string;
  change: string;
  changePct: string;
}

/** The §1 table: accesses per day per address, sources per day, packets, this period against the previous one. */
export function summaryBlock(s: PeriodSummary, state: LinkState): string {
  const w = WORDS[state.lang];
  const lines: SummaryLine[] = [
    {
      name: w.perDayPerAddress,
      current: fixed(s.current.perDayPerAddress, 2),
      previous: fixed(s.previous.perDayPerAddress, 2),
      change: signed(s.change.perDayPerAddress.abs, 2),
      changePct: signed(s.change.perDayPerAddress.pct, 1, '%'),
    },
    {
      name: w.sourcesPerDay,
      current: fixed(s.current.sourcesPerDay, 1),
      previous: fixed(s.previous.sourcesPerDay, 1),
      change: signed(s.change.sourcesPerDay.abs, 1),
      changePct: signed(s.change.sourcesPerDay.pct, 1, '%'),
    },
    {
      name: w.packets,
      current: fixed(s.current.packets, 0),
      previous: fixed(s.previous.packets, 0),
      change: signed(s.change.packets.abs, 0),
      changePct: signed(s.change.packets.pct, 1, '%'),
    },
    {
      name: w.sources,
      current: fixed(s.current.sources, 0),
      previous: fixed(s.previous.sources, 0),
      change: '',
      changePct: '',
    },
    {
      name: w.observedDays,
      current: `${s.current.observedDays}/${s.period.days}`,
      previous: `${s.previous.observedDays}/${s.previousPeriod.days}`,
      change: '',
      changePct: '',
    },
  ];
  const columns: Column<SummaryLine>[] = [
    { header: '', cell: (r) => r.name },
    { header: `${w.current} ${s.period.label}`, num: true, cell: (r) => r.current },
    { header: `${w.previous} ${s.previousPeriod.label}`, num: true, cell: (r) => r.previous },
    { header: w.change, num: true, cell: (r) => r.change },
    { header: w.changePct, num: true, cell: (r) => r.changePct },
  ];
  const span =
    `${s.period.firstDate} – ${s.period.lastDate} (${s.period.timeZone}); ${w.previousPeriod}: ${s.previousPeriod.label} ` +
    `(${s.previousPeriod.firstDate} – ${s.previousPeriod.lastDate})`;
  return `<p class="note">${escapeHtml(span)}</p>\n${table(columns, lines, { empty: w.none })}`;
}

/** An item's name in `state.lang`: the country name, the service, the sensor with its label. */
export function itemName(key: string, label: ItemLabel | null, state: LinkState): string {
  if (label === null) return WORDS[state.lang].none;
  const country = state.lang === 'ja' ? label.countryJa : label.countryEn;
  const parts = [
    label.country === null ? null : `${country ?? label.country} (${label.country})`,
    label.service,
    label.sourcePort,
    label.sensor === null
      ? null
      : label.sensorLabel === null || label.sensorLabel === ''
        ? label.sensor
        : `${label.sensor} (${label.sensorLabel})`,
  ].filter((x): x is string => x !== null);
  return parts.length > 0 ? parts.join(' ') : key;
}

/** The detail page of an item: a service's port page, a country's page; none for a sensor. */
export function itemHref(label: ItemLabel | null, state: LinkState): string | undefined {
  if (label === null) return undefined;
  if (label.service !== null && label.country === null)
    return href(`/ports/${segment(serviceSlug(label.service))}`, state);
  if (label.country !== null) return href(`/countries/${segment(label.country)}`, state);
  return undefined;
}

/** The published rows of a ranking table with the seed's columns; each item links to its page. */
export function rankingBlock(t: Omit<RankingTable, 'rows'>, state: LinkState, caption: string): string {
  const w = WORDS[state.lang];
  const item = (r: RankingRow): Cell => {
    const link = itemHref(r.label, state);
    return link === undefined ? itemName(r.key, r.label, state) : { text: itemName(r.key, r.label, state), href: link };
  };
  const columns: Column<RankingRow>[] = [
    { header: w.rank, num: true, cell: (r) => rankText(r.rank) },
    { header: w.previousRank, num: true, cell: (r) => rankText(r.previousRank) },
    { header: t.by === 'sensor' ? w.sensor : t.by === 'country' ? w.country : w.service, cell: item },
    { header: w.perDayPerAddress, num: true, cell: (r) => fixed(r.rounded.current, 2) },
    { header: w.previous, num: true, cell: (r) => fixed(r.rounded.previous, 2) },
    {
      header: w.changePct,
      num: true,
      cell: (r) =>
        r.rounded.changePct === null ? (state.lang === 'ja' ? '新規' : 'new') : signed(r.rounded.changePct, 1, '%'),
    },
    { header: w.change, num: true, cell: (r) => signed(r.rounded.changeAbs, 2) },
    { header: w.increaseRank, num: true, cell: (r) => rankText(r.increaseRank) },
    { header: w.decreaseRank, num: true, cell: (r) => rankText(r.decreaseRank) },
    { header: `${w.share} %`, num: true, cell: (r) => fixed(r.sharePct, 1) },
    { header: w.packets, num: true, cell: (r) => fixed(r.packets, 0) },
    { header: w.sourcesPerDay, num: true, cell: (r) => fixed(r.sourcesPerDay, 1) },
  ];
  return table(columns, t.table, { caption, empty: w.none });
}
