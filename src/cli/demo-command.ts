/**
 * @module
 * `teiten demo [--out DIR] [--scale F] [--no-pdf]` (what `npm start` runs):
 * the main job on the embedded store from generated data. Simulates the
 * bundled quarterly scenario (Japanese fiscal 2010 Q1 and the quarter
 * before), ingests every sensor's capture into a fresh DuckDB file, writes the
 * FY2010Q1 quarterly report in Japanese and English (HTML, Markdown, JSON,
 * and PDF when Chromium is installed) and prints a summary table.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { loadCaptures } from '../accuracy/index.js';
import { parsePeriod, periodSummary, rankingTable, type RankingRow } from '../analyse/index.js';
import {
  composeReport,
  detectionInputFromStore,
  type Language,
  renderReport,
  type ReportFormat,
} from '../report/index.js';
import { readTruth, simulateScenario } from '../simulate/index.js';
import { openStore } from '../store/index.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import { command, flag, optionalText, parsed } from './options.js';
import { scaleValue } from './parse-values.js';

const OPTIONS = { out: optionalText(), scale: parsed(scaleValue).optional(), 'no-pdf': flag() };
import { renderTable } from './text-table.js';

const SCENARIO = 'quarterly-2010q1fy';
const PERIOD = 'FY2010Q1';
const LANGUAGES: readonly Language[] = ['ja', 'en'];
const TEXT_FORMATS: readonly ReportFormat[] = ['html', 'md', 'json'];
const CHROMIUM = process.env.TEITEN_CHROMIUM ?? '/usr/bin/chromium';
const SUMMARY_ROWS = 10;

const shown = (path: string): string => relative(process.cwd(), path) || path;
const fixed = (n: number | null, digits: number): string => (n === null ? '-' : n.toFixed(digits));
const signedPct = (n: number | null): string => (n === null ? 'new' : `${n >= 0 ? '+' : ''}${n.toFixed(1)} %`);

/** Progress lines on stderr, so stdout keeps only the summary. */
const say = (text: string): boolean => process.stderr.write(`${text}\n`);

function rankingLines(rows: readonly RankingRow[]): string {
  return renderTable(
    [
      { header: 'rank', align: 'right' },
      { header: 'prev', align: 'right' },
      { header: 'port', align: 'left' },
      { header: 'per day per IP', align: 'right' },
      { header: 'change', align: 'right' },
    ],
    rows.map((r) => [
      String(r.rank ?? '-'),
      String(r.previousRank ?? '-'),
      r.key,
      fixed(r.rounded.current, 2),
      signedPct(r.rounded.changePct),
    ]),
  );
}

export const runDemo = command(OPTIONS, async (values, positionals) => {
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const { out: outDir = 'out', scale } = values;
  const pdf = !values['no-pdf'] && existsSync(CHROMIUM);
  const started = Date.now();
  mkdirSync(outDir, { recursive: true });

  say(
    `Simulating ${SCENARIO}${scale === undefined ? '' : ` at scale ${scale}`} into ${shown(join(outDir, 'captures'))} …`,
  );
  const simulated = await simulateScenario(SCENARIO, {
    outDir: join(outDir, 'captures'),
    ...(scale === undefined ? {} : { scale }),
  });
  say(
    `  ${simulated.packets.toLocaleString('en-US')} packets for ${simulated.files.length} sensors in ${(simulated.elapsedMs / 1000).toFixed(1)} s`,
  );

  // The demo owns this file: a fresh store each run, so captures are never refused as already ingested.
  const dbPath = join(outDir, 'teiten.duckdb');
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  const truth = readTruth(simulated.truthPath);
  const store = await openStore(dbPath, { timeZone: truth.scenario.timeZone });
  try {
    say(`Ingesting into ${shown(dbPath)} …`);
    const ingestStarted = Date.now();
    await loadCaptures(store, truth, simulated.files);
    say(`  done in ${((Date.now() - ingestStarted) / 1000).toFixed(1)} s`);

    const period = parsePeriod(PERIOD, { timeZone: truth.scenario.timeZone });
    const written: string[] = [];
    const detections = await detectionInputFromStore(store, period);
    for (const lang of LANGUAGES) {
      const doc = await composeReport(store, period, {
        lang,
        kind: 'quarterly',
        database: 'teiten.duckdb',
        detections,
      });
      const formats = pdf ? [...TEXT_FORMATS, 'pdf' as const] : TEXT_FORMATS;
      for (const format of formats) {
        const path = join(outDir, `report-${PERIOD}.${lang}.${format}`);
        await writeFile(path, await renderReport(doc, format));
        written.push(path);
      }
    }

    const summary = await periodSummary(store, { period });
    const ranking = await rankingTable(store, { period, by: 'service', top: SUMMARY_ROWS, movers: 0 });
    const c = summary.current;
    await writeOut(
      [
        '',
        `teiten demo: ${PERIOD} (${summary.period.firstDate} … ${summary.period.lastDate}) against ${summary.previousPeriod.label}, ${summary.sensors.length} sensors`,
        `  accesses per day per sensor address: ${fixed(c.perDayPerAddress, 1)} (${signedPct(summary.change.perDayPerAddress.pct)})`,
        `  distinct sources per day:            ${fixed(c.sourcesPerDay, 1)} (${signedPct(summary.change.sourcesPerDay.pct)})`,
        '',
        rankingLines(ranking.table.slice(0, SUMMARY_ROWS)),
        '',
        'Reports:',
        ...written.map((p) => `  ${shown(p)}`),
        pdf ? '' : `  (PDF skipped: ${values['no-pdf'] ? '--no-pdf' : `no Chromium at ${CHROMIUM}`})`,
        `Open ${shown(join(outDir, `report-${PERIOD}.ja.html`))} in a browser. Total ${((Date.now() - started) / 1000).toFixed(1)} s.`,
        '',
        'Next, the same figures as a dashboard and JSON API:',
        `  npx teiten serve --db ${shown(dbPath)}    then open http://127.0.0.1:8080/ports?period=${PERIOD}`,
        '',
      ].join('\n'),
    );
  } finally {
    await store.close();
  }
  return 0;
});
