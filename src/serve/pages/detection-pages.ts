/**
 * @module
 * The IP lookup, DoS backscatter, scanners, signatures and findings pages,
 * over the same figures as `/api/ip`, `/api/backscatter`, `/api/scanners`,
 * `/api/signatures` and `/api/findings`. Addresses, rule messages and
 * categories and finding texts are
 * attacker-influenced: every one goes through `table()` or `escapeHtml`.
 */

import { escapeHtml } from '../../report/index.js';
import { backscatterFigures, findingFigures, ipFigures, scannerFigures, signatureFigures } from '../figures.js';
import { fixed, href, segment, table, type LinkState } from './html-kit.js';
import { WORDS } from './page-words.js';
import type { PageInput, PageParts } from './summary-pages.js';

const ipLink = (address: string, state: LinkState): string => href(`/ip/${segment(address)}`, state);

/** The lookup form, and the profile when an address is given. */
export async function ipPage(input: PageInput & { address: string | null }): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const hidden = [
    state.period === undefined ? '' : `<input type="hidden" name="period" value="${escapeHtml(state.period)}">`,
    state.lang === 'ja' ? '' : '<input type="hidden" name="lang" value="en">',
  ].join('');
  const form = `<form class="lookup" method="get" action="/ip">
<label>${escapeHtml(w.address)} <input name="address" value="${escapeHtml(input.address ?? '')}" size="40" required></label>
${hidden}<button type="submit">${escapeHtml(w.lookup)}</button>
</form>`;
  if (input.address === null) return { title: w.ip, body: form };
  const p = await ipFigures(input.store, { period: input.period, address: input.address });
  const facts = [
    [w.period, `${p.period.label} (${p.period.firstDate} – ${p.period.lastDate})`],
    [w.firstSeen, p.firstSeen ?? '-'],
    [w.lastSeen, p.lastSeen ?? '-'],
    [w.daysActive, String(p.daysActive)],
    [w.victim, p.victim ? (state.lang === 'ja' ? 'はい' : 'yes') : state.lang === 'ja' ? 'いいえ' : 'no'],
  ]
    .map(([k, v]) => `<dt>${escapeHtml(k!)}</dt><dd>${escapeHtml(v!)}</dd>`)
    .join('');
  const body = [
    form,
    `<dl class="facts">${facts}</dl>`,
    `<h2>${escapeHtml(w.scanners)}</h2>`,
    table(
      [
        { header: w.firstSeen, cell: (s) => s.firstSeen },
        { header: w.lastSeen, cell: (s) => s.lastSeen },
        {
          header: w.country,
          cell: (s) => ({
            text: s.country,
            href: s.country === '' ? undefined : href(`/countries/${segment(s.country)}`, state),
          }),
        },
        { header: w.packets, num: true, cell: (s) => fixed(s.packets, 0) },
        { header: w.addresses, num: true, cell: (s) => fixed(s.addresses, 0) },
        { header: w.scanType, cell: (s) => s.scanType },
        { header: w.tools, cell: (s) => s.tools.join(', ') },
        { header: w.ports, cell: (s) => s.topServices.map((t) => `${t.service}:${t.packets}`).join(' ') },
        { header: w.sensors, cell: (s) => s.sensors.map((x) => x.sensor).join(', ') },
      ],
      p.scanners,
      { empty: w.none },
    ),
    `<h2>${escapeHtml(w.categories)}</h2>`,
    table(
      [
        { header: w.categories, cell: (c) => c.category },
        { header: w.packets, num: true, cell: (c) => fixed(c.packets, 0) },
      ],
      p.categories,
      { empty: w.none },
    ),
    `<h2>${escapeHtml(w.attacks)}</h2>`,
    table(
      [
        { header: 'start', cell: (a) => a.start },
        { header: w.duration, num: true, cell: (a) => fixed(a.durationSec, 0) },
        { header: w.protocol, cell: (a) => a.protocol },
        { header: w.packets, num: true, cell: (a) => fixed(a.packets, 0) },
        { header: w.ports, cell: (a) => a.victimPorts.map((v) => v.service).join(' ') },
      ],
      p.attacks,
      { empty: w.none },
    ),
  ].join('\n');
  return { title: `${w.ip}: ${p.address}`, body };
}

export async function backscatterPage(input: PageInput & { top: number }): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const b = await backscatterFigures(input.store, { period: input.period, top: input.top });
  const body = [
    `<h2>${escapeHtml(w.attacks)}</h2>`,
    table(
      [
        { header: w.victim, cell: (a) => ({ text: a.victim, href: ipLink(a.victim, state) }) },
        {
          header: w.country,
          cell: (a) => ({
            text: a.country,
            href: a.country === '' ? undefined : href(`/countries/${segment(a.country)}`, state),
          }),
        },
        { header: w.protocol, cell: (a) => a.protocol },
        { header: w.ports, cell: (a) => a.ports.join(' ') },
        { header: 'start', cell: (a) => a.start },
        { header: w.duration, num: true, cell: (a) => fixed(a.durationSec, 0) },
        { header: w.packets, num: true, cell: (a) => fixed(a.packets, 0) },
      ],
      b.attacks,
      { empty: w.none },
    ),
    `<h2>${escapeHtml(w.victims)}</h2>`,
    table(
      [
        { header: w.victim, cell: (v) => ({ text: v.victim, href: ipLink(v.victim, state) }) },
        {
          header: w.country,
          cell: (v) => ({
            text: v.country,
            href: v.country === '' ? undefined : href(`/countries/${segment(v.country)}`, state),
          }),
        },
        { header: w.packets, num: true, cell: (v) => fixed(v.packets, 0) },
      ],
      b.victims,
      { empty: w.none },
    ),
  ].join('\n');
  return { title: `${w.backscatter} ${b.period.label}`, body };
}

export async function scannersPage(input: PageInput & { top: number }): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const s = await scannerFigures(input.store, { period: input.period, top: input.top });
  const body = [
    `<p>${escapeHtml(`${w.windows}: ${fixed(s.windows, 0)} · ${w.sources}: ${fixed(s.sources, 0)} · ${w.packets}: ${fixed(s.packets, 0)}`)}</p>`,
    `<h2>${escapeHtml(w.tools)}</h2>`,
    table(
      [
        { header: w.tools, cell: (t) => t.tool },
        { header: w.sources, num: true, cell: (t) => fixed(t.sources, 0) },
        { header: w.packets, num: true, cell: (t) => fixed(t.packets, 0) },
      ],
      s.byTool,
      { empty: w.none },
    ),
    `<h2>${escapeHtml(w.scanners)}</h2>`,
    table(
      [
        { header: w.address, cell: (r) => ({ text: r.source, href: ipLink(r.source, state) }) },
        {
          header: w.country,
          cell: (r) => ({
            text: r.country,
            href: r.country === '' ? undefined : href(`/countries/${segment(r.country)}`, state),
          }),
        },
        { header: w.addresses, num: true, cell: (r) => fixed(r.addresses, 0) },
        { header: w.servicesProbed, num: true, cell: (r) => fixed(r.services, 0) },
        { header: w.packets, num: true, cell: (r) => fixed(r.packets, 0) },
        { header: w.scanType, cell: (r) => r.scanType },
        { header: w.tools, cell: (r) => r.tools.join(', ') },
        { header: w.firstSeen, cell: (r) => r.firstSeen },
      ],
      s.top,
      { empty: w.none },
    ),
  ].join('\n');
  return { title: `${w.scanners} ${s.period.label}`, body };
}

/** The most-raised signature rules: their messages are rule authors' text, and rules come from anywhere. */
export async function signaturesPage(input: PageInput & { top: number }): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const s = await signatureFigures(input.store, { period: input.period, top: input.top });
  const body = table(
    [
      { header: 'sid', num: true, cell: (r) => `${r.gid}:${r.sid}` },
      { header: w.message, cell: (r) => r.msg },
      { header: w.categories, cell: (r) => r.category },
      { header: w.current, num: true, cell: (r) => fixed(r.packets, 0) },
      { header: w.previous, num: true, cell: (r) => fixed(r.previousPackets, 0) },
    ],
    s.signatures,
    { caption: `${w.signatures} ${s.period.label}`, empty: w.none },
  );
  return { title: `${w.signatures} ${s.period.label}`, body };
}

export async function findingsPage(input: PageInput): Promise<PageParts> {
  const { state } = input;
  const w = WORDS[state.lang];
  const f = await findingFigures(input.store, input.period);
  const detail = (dimension: string, key: string): string | undefined =>
    dimension === 'service'
      ? href(`/ports/${segment(key.replace('/', '-'))}`, state)
      : dimension === 'country'
        ? href(`/countries/${segment(key)}`, state)
        : undefined;
  const body = table(
    [
      { header: w.kind, cell: (x) => x.kind },
      { header: w.item, cell: (x) => ({ text: x.label[state.lang], href: detail(x.dimension, x.key) }) },
      { header: w.finding, cell: (x) => x.text[state.lang] },
    ],
    f.findings,
    { empty: w.none },
  );
  return { title: `${w.findings} ${f.period.label}`, body };
}
