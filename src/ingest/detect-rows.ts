/**
 * @module
 * The `detection_runs` row that says how detection ran for an ingest.
 */

import type { ScanThresholds } from '../detect/index.js';
import type { DetectionRunRow, RowColumns } from '../store/index.js';
import type { DetectionSetup } from './detect-setup.js';

/** Rows as columns from row objects (few rows: one per ingest). */
function columnsOf<R extends object>(rows: readonly R[], keys: readonly (keyof R)[]): RowColumns<R> {
  const columns = {} as { [K in keyof R]: R[K][] };
  for (const key of keys) columns[key] = rows.map((row) => row[key]);
  return { rowCount: rows.length, columns };
}

const RUN_KEYS: readonly (keyof DetectionRunRow)[] = [
  'signatures',
  'ruleFiles',
  'rulesLoaded',
  'rulesSkipped',
  'rulesSha256',
  'categoryFiles',
  'monitoredAddresses',
  'settings',
  'alerts',
  'signaturePackets',
  'backscatterPackets',
  'attacks',
  'scanners',
];

export interface RunFigures {
  summary: { alerts: number; signaturePackets: number; backscatterPackets: number };
  monitored: number;
  scanners: { thresholds: ScanThresholds; windowSec: number };
}

/**
 * The `detection_runs` row: rule files and hashes, settings as used (defaults
 * filled in), what was found. Attacks and scanners are not an ingest's:
 * they are derived over the telescope when read, so `attacks` and `scanners`
 * are 0 (the columns stay for stores written before).
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
    scanners: 0,
  };
  return columnsOf([row], RUN_KEYS);
}
