/**
 * @module
 * `teiten detections [--db FILE|--store URL] --period P [--sensor NAME]...
 * [--top N] [--lang en|ja] [--json]`: the detection tables of a period
 * against the previous one, as ingested: signature detections by category,
 * country and signature (the report's §3), DoS backscatter by victim port
 * and country with the largest attacks (§4), reflection episodes (§4, from
 * the raw packets), and scanner tools. JSON is `{ signatures, backscatter,
 * scanners, reflection }` (`analyse/detection-types.ts`,
 * `analyse/reflection-stats.ts`).
 */

import {
  backscatterStatistics,
  reflectionStatistics,
  scannerStatistics,
  signatureStatistics,
  type BackscatterStatistics,
  type CountryRef,
  type DetectionMethod,
  type ReflectionStatistics,
  type ScannerStatistics,
  type SignatureStatistics,
} from '../analyse/index.js';
import { command, flag, oneOf, parsed } from './options.js';
import { writeOut } from './output.js';
import { wholeNumber } from './parse-values.js';
import { PERIOD_SHAPE, withPeriod } from './period-scope.js';
import { changeRow, fixed, signed } from './change-row.js';
import { renderTable, type TextColumn } from './text-table.js';

const DEFAULT_TOP = 10;
const LANGUAGES = ['en', 'ja'] as const;
type Language = (typeof LANGUAGES)[number];

const rank = (value: number | null): string => (value === null ? '-' : String(value));
const left = (header: string): TextColumn => ({ header, align: 'left' });
const right = (header: string): TextColumn => ({ header, align: 'right' });

function countryName(c: CountryRef, lang: Language): string {
  const name = lang === 'ja' ? c.countryJa : c.countryEn;
  return name === null ? c.country : `${name} (${c.country})`;
}

function methodText(m: DetectionMethod): string {
  const sets = m.ruleSets
    .filter((r) => r.rulesLoaded > 0)
    .map(
      (r) =>
        `${r.rulesLoaded} signatures from ${r.files.map((f) => f.file).join(', ')} (${r.ingests} ingest${r.ingests === 1 ? '' : 's'})`,
    );
  return (
    `Detection ran for ${m.ingestsWithDetection} of ${m.ingests} ingests with packets in the period` +
    `${sets.length > 0 ? `; rules: ${sets.join('; ')}` : ''}`
  );
}

/** A warning when the previous period's figures miss ingests that ran no detection. */
function previousCoverage(m: DetectionMethod): string[] {
  if (m.ingestsWithDetection === m.ingests) return [];
  return [
    `Warning: detection ran for only ${m.ingestsWithDetection} of the previous period's ${m.ingests} ingests, so changes against it overstate rises`,
  ];
}

function signatureText(s: SignatureStatistics, lang: Language, top: number): string {
  const totals = renderTable(
    [left(''), right(s.period.label), right(s.previousPeriod.label), right('Change'), right('Change %')],
    [
      changeRow('Detections per day per address', s, 'perDayPerAddress', 2),
      changeRow('Detected sources per day', s, 'sourcesPerDay', 1),
      changeRow('Detections', s, 'detections', 0),
    ],
  );
  const categories = renderTable(
    [
      right('Rank'),
      right('Prev'),
      left('Category'),
      right('Per day/addr'),
      right('Change %'),
      right('Share %'),
      right('Packets'),
      right('Sources/day'),
    ],
    s.categories.map((c) => [
      rank(c.rank),
      rank(c.previousRank),
      c.category,
      fixed(c.rounded.current, 2),
      c.rounded.changePct === null ? 'new' : signed(c.rounded.changePct, 1, '%'),
      fixed(c.sharePct, 1),
      fixed(c.packets, 0),
      fixed(c.sourcesPerDay, 1),
    ]),
  );
  const countries = renderTable(
    [left('Country'), right('Packets'), right('Share %'), left('Categories')],
    s.countries
      .slice(0, top)
      .map((c) => [
        countryName(c, lang),
        fixed(c.packets, 0),
        fixed(c.sharePct, 1),
        c.categories.map((k) => `${k.category} ${fixed(k.sharePct, 1)}%`).join(', '),
      ]),
  );
  const signatures = renderTable(
    [right('Sid'), left('Category'), right('Packets'), right('Previous'), left('Signature')],
    s.signatures
      .slice(0, top)
      .map((g) => [String(g.sid), g.category, fixed(g.packets, 0), fixed(g.previousPackets, 0), g.msg]),
  );
  return [
    `Signature detections, ${s.period.label} (${s.period.firstDate}..${s.period.lastDate}) against ${s.previousPeriod.label}`,
    methodText(s.method),
    ...previousCoverage(s.previousMethod),
    '',
    totals,
    '',
    'By category',
    categories,
    '',
    'By country',
    countries,
    '',
    'Signatures',
    signatures,
  ].join('\n');
}

function backscatterText(b: BackscatterStatistics, lang: Language): string {
  const totals = renderTable(
    [left(''), right(b.period.label), right(b.previousPeriod.label), right('Change'), right('Change %')],
    [
      changeRow('Packets per day', b, 'packetsPerDay', 1),
      changeRow('Packets per day per address', b, 'perDayPerAddress', 2),
      changeRow('Victims per day', b, 'victimsPerDay', 1),
      ['Attacks', fixed(b.current.attacks, 0), fixed(b.previous.attacks, 0), '', ''],
    ],
  );
  const share = (key: string, x: { packets: number; sharePct: number | null; victims: number | null }): string[] => [
    key,
    fixed(x.packets, 0),
    fixed(x.sharePct, 1),
    x.victims === null ? '' : fixed(x.victims, 0),
  ];
  const shareColumns = (header: string): TextColumn[] => [
    left(header),
    right('Packets'),
    right('Share %'),
    right('Victims'),
  ];
  const attacks = renderTable(
    [
      left('Start (UTC)'),
      left('Victim'),
      left('Country'),
      left('Ports'),
      right('Packets'),
      right('Seconds'),
      right('Peak pps'),
      right('Extrapolated pps'),
    ],
    b.attacks.map((a) => [
      a.start.replace('.000Z', 'Z'),
      a.victim,
      countryName(a, lang),
      a.ports.slice(0, 3).join(' '),
      fixed(a.packets, 0),
      fixed(a.durationSec, 0),
      fixed(a.peakPps, 2),
      fixed(a.extrapolatedPps, 0),
    ]),
  );
  return [
    `DoS backscatter, ${b.period.label} against ${b.previousPeriod.label}`,
    '',
    totals,
    '',
    'By victim port',
    renderTable(
      shareColumns('Victim port'),
      b.byVictimPort.map((x) => share(x.key, x)),
    ),
    '',
    'By victim country',
    renderTable(
      shareColumns('Country'),
      b.byCountry.map((x) => share(countryName(x, lang), x)),
    ),
    '',
    'Largest attacks',
    b.attacks.length === 0 ? '(none)' : attacks,
  ].join('\n');
}

function scannerText(s: ScannerStatistics, lang: Language): string {
  const tools = renderTable(
    [left('Tool'), right('Sources'), right('Probes'), left('Countries')],
    s.byTool.map((t) => [
      t.tool,
      fixed(t.sources, 0),
      fixed(t.packets, 0),
      t.countries
        .slice(0, 3)
        .map((c) => `${countryName(c, lang)} ${c.sources}`)
        .join(', '),
    ]),
  );
  const types = s.byScanType.map((t) => `${t.scanType} ${t.sources}`).join(', ');
  return [
    `Scanners, ${s.period.label}: ${fixed(s.sources, 0)} sources, ${fixed(s.packets, 0)} probes (${types || 'none'})`,
    '',
    s.byTool.length === 0 ? '(no tool fingerprints)' : tools,
  ].join('\n');
}

function reflectionText(r: ReflectionStatistics, top: number): string {
  const s = r.settings;
  const open =
    r.openEpisodes.length === 0
      ? ''
      : ` and ${r.openEpisodes.length} still open (a sensor has not delivered past them)`;
  const head =
    `Reflection and UDP backscatter, ${r.period.label}: ${r.episodes.length} episode(s)${open} from ${fixed(r.rawPackets, 0)} raw packets` +
    ` (thresholds: ${s.minPackets} packets; ${s.minReflectors} reflectors on one sensor address, or ${s.minSpoofedAddresses} sensor addresses from one reflector;` +
    ` gaps up to ${s.gapSec} s)`;
  if (r.rawPackets === 0) return `${head}\n(no raw packets kept for the period: reflection cannot be derived)`;
  const largest = [...r.episodes].sort((a, b) => b.packets - a.packets || a.startSec - b.startSec).slice(0, top);
  const table = renderTable(
    [
      left('Start (UTC)'),
      left('Reading'),
      left('Target'),
      left('Service'),
      right('Answers'),
      right('Quoted'),
      right('Bytes'),
      right('Mean'),
      right('Reflectors'),
      right('Addresses'),
    ],
    largest.map((e) => [
      e.start.replace('.000Z', 'Z'),
      e.kind,
      e.target,
      `${e.service} ${e.protocol}`,
      fixed(e.replies, 0),
      fixed(e.quotedQueries, 0),
      fixed(e.replyBytes + e.fragmentBytes, 0),
      fixed(e.meanReplyBytes, 1),
      fixed(e.reflectors, 0),
      fixed(e.sensorAddresses, 0),
    ]),
  );
  return [head, '', r.episodes.length === 0 ? '(none)' : table].join('\n');
}

const OPTIONS = {
  ...PERIOD_SHAPE,
  top: parsed(wholeNumber(1)).default(DEFAULT_TOP),
  lang: oneOf(LANGUAGES),
  json: flag(),
};

export const runDetections = command(OPTIONS, async (options) => {
  const { top, lang } = options;
  return withPeriod(options, async (store, { period, sensors }) => {
    const filter = sensors === undefined ? {} : { sensors };
    const [signatures, backscatter, scanners, reflection] = await Promise.all([
      signatureStatistics(store, { period, filter, topSignatures: top }),
      backscatterStatistics(store, { period, filter, topAttacks: top }),
      scannerStatistics(store, { period, filter, top }),
      reflectionStatistics(store, { period, filter }),
    ]);
    if (options.json) await writeOut(`${JSON.stringify({ signatures, backscatter, scanners, reflection }, null, 2)}\n`);
    else {
      await writeOut(
        `${signatureText(signatures, lang, top)}\n\n${backscatterText(backscatter, lang)}\n\n${reflectionText(reflection, top)}\n\n` +
          `${scannerText(scanners, lang)}\n`,
      );
    }
    return 0;
  });
});
