/**
 * @module
 * `teiten stats [--db FILE|--store URL] --period P --by service|country|country-service|sensor
 * [--top N] [--json [--offset O] [--limit L]]`: a period's headline figures against the previous
 * period and the ranking table of one breakdown, as an aligned text table
 * or as JSON (`{ summary: PeriodSummary, ranking: RankingTablePage }`, the types
 * of `analyse/`; `ranking.rows` is one page of every item, as `/api/top/*` sends it). Both carry each rate's 95 % interval and the test of
 * its change (`uncertainty`); the text adds them as the last two columns.
 */

import {
  DEFAULT_PAGE_ROWS,
  DIMENSION_NAMES,
  PACKET_CLASS_CODES,
  pageOfRanking,
  periodSummary,
  rankingTable,
  type Dimension,
  type ItemLabel,
  type PacketClassName,
  type PeriodSummary,
  type RankingRow,
  type RankingTable,
  type StatsFilter,
  type ChangeTest,
  type RateBounds,
} from '../analyse/index.js';
import { z } from 'zod';
import { command, flag, oneOf, parsed, optionalText, type OptionValues } from './options.js';
import { writeOut } from './output.js';
import { wholeNumber } from './parse-values.js';
import { PERIOD_SHAPE, withPeriod } from './period-scope.js';
import { changeRow, fixed, signed } from './change-row.js';
import { renderTable, type TextColumn } from './text-table.js';

const DEFAULT_TOP = 10;
const DEFAULT_MOVERS = 5;
const LANGUAGES = ['en', 'ja'] as const;
type Language = (typeof LANGUAGES)[number];

const OPTIONS = {
  ...PERIOD_SHAPE,
  by: oneOf(DIMENSION_NAMES),
  top: parsed(wholeNumber(1)).default(DEFAULT_TOP),
  movers: parsed(wholeNumber(0)).default(DEFAULT_MOVERS),
  offset: parsed(wholeNumber(0)).default(0),
  limit: parsed(wholeNumber(1)).default(DEFAULT_PAGE_ROWS),
  'ip-version': oneOf(['4', '6']).optional(),
  class: z.array(oneOf(Object.keys(PACKET_CLASS_CODES) as PacketClassName[])).optional(),
  service: optionalText(),
  country: optionalText(),
  lang: oneOf(LANGUAGES),
  json: flag(),
};
type StatsOptions = OptionValues<typeof OPTIONS>;

function filterOptions(values: StatsOptions, sensors: string[] | undefined): StatsFilter {
  const filter: StatsFilter = {};
  if (sensors !== undefined) filter.sensors = sensors;
  if (values['ip-version'] !== undefined) filter.ipVersion = values['ip-version'] === '4' ? 4 : 6;
  if (values.class !== undefined) filter.packetClasses = values.class;
  if (values.service !== undefined) filter.service = values.service;
  if (values.country !== undefined) filter.country = values.country;
  return filter;
}

export const runStats = command(OPTIONS, async (values) => {
  const { by, top, movers, lang, offset, limit } = values;
  return withPeriod(values, async (store, { period, sensors }) => {
    const filter = filterOptions(values, sensors);
    const [summary, ranking] = await Promise.all([
      periodSummary(store, { period, filter }),
      rankingTable(store, { period, by, filter, top, movers, sources: true }),
    ]);
    if (values.json) {
      const page = pageOfRanking(ranking, { offset, limit });
      await writeOut(`${JSON.stringify({ summary, ranking: page }, null, 2)}\n`);
    } else await writeOut(`${summaryText(summary)}\n\n${rankingText(ranking, lang)}\n`);
    return 0;
  });
});

function summaryText(s: PeriodSummary): string {
  const { period: p, previousPeriod: q } = s;
  const sensors = s.sensors
    .map((x) => `${x.name} (${x.addressCount} address${x.addressCount === 1 ? '' : 'es'})`)
    .join(', ');
  const rows: string[][] = [
    changeRow('Accesses per day per address', s, 'perDayPerAddress', 2),
    changeRow('Sources per day', s, 'sourcesPerDay', 1),
    changeRow('Packets', s, 'packets', 0),
    ['Distinct sources', fixed(s.current.sources, 0), fixed(s.previous.sources, 0), '', ''],
    ['Address-days', fixed(s.current.addressDays, 2), fixed(s.previous.addressDays, 2), '', ''],
    ['Observed days', `${s.current.observedDays}/${p.days}`, `${s.previous.observedDays}/${q.days}`, '', ''],
  ];
  // The interval and the test belong to the accesses row only.
  rows.forEach((r, i) =>
    r.push(i === 0 ? bounds(s.uncertainty.current) : '', i === 0 ? claim(s.uncertainty.change) : ''),
  );
  const columns: TextColumn[] = [
    { header: '', align: 'left' },
    { header: p.label, align: 'right' },
    { header: q.label, align: 'right' },
    { header: 'Change', align: 'right' },
    { header: 'Change %', align: 'right' },
    { header: '95% interval', align: 'right' },
    { header: 'Change test', align: 'left' },
  ];
  return [
    `${p.label} (${p.firstDate}..${p.lastDate}, ${p.days} days, ${p.timeZone}) against ${q.label} (${q.firstDate}..${q.lastDate})`,
    `Sensors: ${sensors || 'none'}${filterText(s)}`,
    '',
    renderTable(columns, rows),
  ].join('\n');
}

/** "2.10–2.61", or "n/a" when nothing was observed. */
const bounds = (b: RateBounds | null): string => (b === null ? 'n/a' : `${fixed(b.low, 2)}–${fixed(b.high, 2)}`);

/** "increase (q 0.003)", "no significant change (q 0.412)", "n/a". */
function claim(test: ChangeTest | null): string {
  if (test === null) return 'n/a';
  const q = test.qValue < 0.001 ? '<0.001' : fixed(test.qValue, 3);
  return `${test.direction === 'none' ? 'no significant change' : test.direction} (q ${q})`;
}

function filterText(s: PeriodSummary): string {
  const f = s.filter;
  const parts = [
    f.ipVersion === null ? '' : `IPv${f.ipVersion}`,
    f.packetClasses === null ? '' : `class ${f.packetClasses.join('|')}`,
    f.service === null ? '' : `service ${f.service}`,
    f.country === null ? '' : `country ${f.country}`,
  ].filter((x) => x !== '');
  return parts.length === 0 ? '' : `; only ${parts.join(', ')}`;
}

const KEY_HEADERS: Readonly<Record<Dimension, string>> = {
  service: 'Service',
  country: 'Country',
  'country-service': 'Country / service',
  sensor: 'Sensor',
  'sport-class': 'Source port',
  'country-sport-class': 'Country / source port',
  'source-port': 'Source port',
  'country-source-port': 'Country / source port',
};

function itemName(key: string, label: ItemLabel | null, lang: Language): string {
  if (label === null) return lang === 'ja' ? 'その他' : 'Other';
  const country = lang === 'ja' ? label.countryJa : label.countryEn;
  const parts = [
    country === null ? null : `${country} (${label.country})`,
    label.service,
    label.sourcePort,
    label.sensor,
  ].filter((x): x is string => x !== null);
  return parts.length > 0 ? parts.join(' ') : key;
}

const rank = (value: number | null): string => (value === null ? '-' : String(value));

function rankingText(t: RankingTable, lang: Language): string {
  const columns: TextColumn[] = [
    { header: 'Rank', align: 'right' },
    { header: 'Prev', align: 'right' },
    { header: KEY_HEADERS[t.by], align: 'left' },
    { header: 'Per day/addr', align: 'right' },
    { header: 'Change %', align: 'right' },
    { header: 'Change', align: 'right' },
    { header: 'Up', align: 'right' },
    { header: 'Down', align: 'right' },
    { header: 'Share %', align: 'right' },
    { header: 'Packets', align: 'right' },
    { header: 'Sources/day', align: 'right' },
    { header: '95% interval', align: 'right' },
    { header: 'Change test', align: 'left' },
  ];
  const tested = new Map((t.uncertainty?.rows ?? []).map((u) => [u.key, u]));
  const row = (r: RankingRow): string[] => [
    rank(r.rank),
    rank(r.previousRank),
    itemName(r.key, r.label, lang),
    fixed(r.rounded.current, 2),
    r.rounded.changePct === null ? 'new' : signed(r.rounded.changePct, 1, '%'),
    signed(r.rounded.changeAbs, 2),
    rank(r.increaseRank),
    rank(r.decreaseRank),
    fixed(r.sharePct, 1),
    fixed(r.packets, 0),
    fixed(r.sourcesPerDay, 1),
    bounds(tested.get(r.key)?.current ?? null),
    claim(tested.get(r.key)?.change ?? null),
  ];
  const rows = t.table.map(row);
  const other = t.shares.find((s) => s.other);
  if (other !== undefined) {
    rows.push([
      '',
      '',
      itemName(other.key, null, lang),
      fixed(other.current, 2),
      '',
      '',
      '',
      '',
      fixed(other.currentPct, 1),
      '',
      '',
      '',
      '',
    ]);
  }
  const heading =
    `Ranking by ${t.by}, accesses per day per address, ${t.period.label} against ${t.previousPeriod.label}` +
    ` (top ${t.selection.top}, movers ${t.selection.movers})`;
  return `${heading}\n\n${rows.length === 0 ? '(no packets in either period)' : renderTable(columns, rows)}`;
}
