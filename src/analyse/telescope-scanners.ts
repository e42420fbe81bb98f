/**
 * @module
 * A period's scanners, derived from the stored scanner evidence of the
 * whole telescope (the selected sensors; all of the store's by default).
 * Nothing of a scanner is decided at ingest: the pieces of each (window,
 * source) from every capture and sensor are merged by the detect stage's
 * `deriveScanners`, the code `teiten detect CAPTURE…` runs, so a scan is one
 * scanner whatever files its probes came in, in whatever order, and
 * whichever sensors saw them.
 *
 * A scanner belongs to the period of its first probe's local day (the
 * store's zone). Every window overlapping the period is read; only (window,
 * source) groups that can pass a threshold are read at all: a source-window
 * reaches at most as many addresses or services as it sent probes, so one
 * with fewer probes than `min(minAddresses, minServices)` and fewer matching
 * probes than `minToolPackets` for every tool cannot be reported.
 */

import {
  checkScanThresholds,
  DEFAULT_SCAN_THRESHOLDS,
  deriveScanners,
  TOOL_COLUMNS,
  type ScannerEvidenceRows,
  type ScannerSummary,
  type ScanThresholds,
} from '../detect/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { TzClock } from '../util/tz.js';
import { sensorClause } from './detection-scope.js';
import { readSettings, recordSettings, type RecordedSettings } from './recorded-settings.js';
import type { Scope } from './scope.js';

/** Store meta key of the telescope's scan thresholds (JSON), recorded by `teiten detect --period P --rerun`. */
export const SCAN_SETTINGS_KEY = 'scanner_settings';

const SCAN_SETTINGS: RecordedSettings<ScanThresholds> = {
  key: SCAN_SETTINGS_KEY,
  defaults: DEFAULT_SCAN_THRESHOLDS,
  check: checkScanThresholds,
};

/** The telescope's scan thresholds: as last recorded, else the detector's defaults. */
export function readScanSettings(store: AnalyticsStore): Promise<ScanThresholds> {
  return readSettings(store, SCAN_SETTINGS);
}

/** Records `settings` over the recorded ones (checked, defaults filled in) for every later read; returns what was stored. */
export function recordScanSettings(store: AnalyticsStore, settings: Partial<ScanThresholds>): Promise<ScanThresholds> {
  return recordSettings(store, SCAN_SETTINGS, settings);
}

/** Group key of the evidence in SQL: window start * 2^32 + source (below 2^63 for any window start before 2^31 s). */
const GROUP_KEY = 'window_start * 4294967296 + src';
/** SQL names of the tool columns, in `TOOL_RULES` order. */
const TOOL_SQL = TOOL_COLUMNS.map((c) => c.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`));

interface EvidenceRow {
  sensor_id: number;
  window_start: number;
  window_end: number;
  src: number;
  country: number;
  asn: number;
  packets: number;
  first_sec: number;
  last_sec: number;
  addresses: string;
  services: string;
  dst: number;
  service: number;
  [tool: string]: number | string;
}

/** Evidence of the source-windows overlapping the period that can pass `thresholds`, as columns. */
async function readEvidence(
  store: AnalyticsStore,
  scope: Scope,
  thresholds: ScanThresholds,
): Promise<ScannerEvidenceRows> {
  const sensors = sensorClause(scope);
  const where = `window_end > ? AND window_start < ?${sensors.sql}`;
  const params = [scope.period.startSec, scope.period.endSec, ...sensors.params];
  const minProbes = Math.min(thresholds.minAddresses, thresholds.minServices);
  const minTool = Math.max(thresholds.minToolPackets, 1);
  const having = ['SUM(packets) >= ?', ...TOOL_SQL.map((c) => `SUM(${c}) >= ?`)].join(' OR ');
  const rows = await store.query<EvidenceRow>({
    sql: `SELECT sensor_id, window_start, window_end, src, country, asn, packets, first_sec, last_sec, ${TOOL_SQL.join(', ')}, addresses, services, dst, service
      FROM scanner_evidence WHERE ${where} AND ${GROUP_KEY} IN (SELECT ${GROUP_KEY} FROM scanner_evidence WHERE ${where}
        GROUP BY window_start, src HAVING ${having})`,
    params: [...params, ...params, minProbes, ...TOOL_SQL.map(() => minTool)],
  });
  const n = rows.length;
  const number = (key: string): Float64Array => Float64Array.from(rows, (r) => Number(r[key]));
  const columns = {
    sensorId: number('sensor_id'),
    windowStart: number('window_start'),
    windowEnd: number('window_end'),
    src: number('src'),
    country: number('country'),
    asn: number('asn'),
    packets: number('packets'),
    firstSec: number('first_sec'),
    lastSec: number('last_sec'),
    addresses: rows.map((r) => r.addresses),
    services: rows.map((r) => r.services),
    dst: number('dst'),
    service: number('service'),
    zmapPackets: number('zmap_packets'),
    masscanPackets: number('masscan_packets'),
    miraiPackets: number('mirai_packets'),
    nmapPackets: number('nmap_packets'),
  };
  return { rowCount: n, columns };
}

/** The scanners whose first probe falls in `scope`'s period, over its sensors, with `thresholds` (default: the store's recorded ones). */
export async function telescopeScanners(
  store: AnalyticsStore,
  scope: Scope,
  given?: ScanThresholds,
): Promise<ScannerSummary[]> {
  const thresholds = given ?? (await readScanSettings(store));
  const { sources } = deriveScanners(await readEvidence(store, scope, thresholds), thresholds);
  const clock = new TzClock(scope.period.timeZone);
  return sources.filter((s) => {
    const day = clock.localDay(s.firstSeen);
    return day >= scope.period.startDay && day < scope.period.endDay;
  });
}
