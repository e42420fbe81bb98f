/**
 * @module
 * The detectors' reports as store rows: scanner summaries (`scanner_sources`) and the `detection_runs` row that
 * says how detection ran. These are per attack or per source, not per
 * packet, so plain arrays serve as columns.
 */

import type { ScannerResult, ScannerSummary } from '../detect/index.js';
import type { DetectionRunRow, RowColumns, ScannerSourceRow } from '../store/index.js';
import type { TzClock } from '../util/tz.js';
import type { DetectionSetup } from './detect-setup.js';

/** Rows as columns from row objects (few rows: attacks, scanners). */
function columnsOf<R extends object>(rows: readonly R[], keys: readonly (keyof R)[]): RowColumns<R> {
  const columns = {} as { [K in keyof R]: R[K][] };
  for (const key of keys) columns[key] = rows.map((row) => row[key]);
  return { rowCount: rows.length, columns };
}

const SCANNER_KEYS: readonly (keyof ScannerSourceRow)[] = [
  'localDay', 'windowStart', 'windowEnd', 'src', 'country', 'asn', 'firstSec', 'lastSec', 'packets', 'addresses', 'services',
  'topServices', 'scanType', 'tools', 'why',
];

function scannerRow(s: ScannerSummary, clock: TzClock): ScannerSourceRow {
  return {
    localDay: clock.localDay(s.firstSeen),
    windowStart: s.windowStart,
    windowEnd: s.windowEnd,
    src: s.source,
    country: s.country,
    asn: s.asn,
    firstSec: s.firstSeen,
    lastSec: s.lastSeen,
    packets: s.packets,
    addresses: s.addresses,
    services: s.services,
    topServices: s.topServices.map((t) => `${t.service}:${t.packets}`).join(' '),
    scanType: s.scanType,
    tools: s.tools.join(','),
    why: s.why,
  };
}

export function scannerColumns(sources: readonly ScannerSummary[], clock: TzClock): RowColumns<ScannerSourceRow> {
  return columnsOf(sources.map((s) => scannerRow(s, clock)), SCANNER_KEYS);
}

const RUN_KEYS: readonly (keyof DetectionRunRow)[] = [
  'signatures', 'ruleFiles', 'rulesLoaded', 'rulesSkipped', 'rulesSha256', 'categoryFiles', 'monitoredAddresses', 'settings',
  'alerts', 'signaturePackets', 'backscatterPackets', 'attacks', 'scanners',
];

export interface RunFigures {
  summary: { alerts: number; signaturePackets: number; backscatterPackets: number; scanners: number };
  monitored: number;
  scanners: ScannerResult;
}

/**
 * The `detection_runs` row: rule files and hashes, settings as used (defaults
 * filled in), what was found. Attack thresholds are not an ingest's: attacks
 * are derived over the telescope when read, so `attacks` is 0 from schema 3
 * on (the column stays for stores written before).
 */
export function runRow(setup: DetectionSetup, figures: RunFigures): RowColumns<DetectionRunRow> {
  const sig = setup.signatures;
  const { summary, scanners } = figures;
  const settings = { scanners: { ...scanners.thresholds, windowSec: scanners.windowSec } };
  const row: DetectionRunRow = {
    signatures: sig === null ? 0 : 1,
    ruleFiles: JSON.stringify(sig?.ruleFiles ?? []),
    rulesLoaded: sig?.rules.length ?? 0,
    rulesSkipped: sig?.skipped.length ?? 0,
    rulesSha256: sig?.rulesSha256 ?? '',
    categoryFiles: JSON.stringify(sig?.categoryFiles ?? []),
    monitoredAddresses: figures.monitored,
    settings: JSON.stringify(settings),
    alerts: summary.alerts,
    signaturePackets: summary.signaturePackets,
    backscatterPackets: summary.backscatterPackets,
    attacks: 0,
    scanners: summary.scanners,
  };
  return columnsOf([row], RUN_KEYS);
}
