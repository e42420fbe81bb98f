/**
 * @module
 * The sensors health page (the figures of `/api/sensors`: credentials, last
 * heartbeat, lag, operating time, losses) and the reports archive page (the
 * list of `/api/reports`). Sensor labels are operator text and file names
 * come from a directory: both are escaped like everything else.
 */

import { loadStatus } from '../../collector/index.js';
import { escapeHtml, formatNumber } from '../../report/index.js';
import type { AnalyticsStore } from '../../store/index.js';
import { listReports } from '../report-archive.js';
import { table, type LinkState } from './html-kit.js';
import { WORDS } from './page-words.js';
import type { PageParts } from './summary-pages.js';

const SEC_PER_HOUR = 3600;
/** Days of operating time the table sums (the last week, today included). */
const OPERATING_DAYS = 7;

const n = (v: number): string => formatNumber(v, 0);

export async function sensorsPage(input: {
  store: AnalyticsStore;
  state: LinkState;
  nowMs: number;
}): Promise<PageParts> {
  const w = WORDS[input.state.lang];
  const [statuses, sensors] = await Promise.all([
    loadStatus(input.store, { nowMs: input.nowMs }),
    input.store.listSensors(),
  ]);
  const labels = new Map(sensors.map((s) => [s.name, s.label]));
  const rows = statuses.map((s) => ({ s, week: s.days.slice(-OPERATING_DAYS) }));
  const body = [
    `<p class="note">${escapeHtml(w.sensorsNote)}</p>`,
    table(
      [
        { header: w.sensor, cell: ({ s }) => s.sensor },
        { header: w.label, cell: ({ s }) => labels.get(s.sensor) ?? '' },
        { header: w.credentials, cell: ({ s }) => s.credentials },
        {
          header: w.lastHeartbeat,
          cell: ({ s }) =>
            s.lastHeartbeat === null ? '-' : `${s.lastHeartbeat.receivedAt} (${n(s.lastHeartbeat.ageSec)} s)`,
        },
        { header: w.lagSec, num: true, cell: ({ s }) => (s.lagSec === null ? '-' : n(s.lagSec)) },
        {
          header: w.operatingHours,
          num: true,
          cell: ({ week }) => formatNumber(week.reduce((t, d) => t + d.operatingSec, 0) / SEC_PER_HOUR, 1),
        },
        { header: w.segments, num: true, cell: ({ s }) => n(s.segments.received) },
        { header: w.packets, num: true, cell: ({ s }) => n(s.packets.received) },
        {
          header: w.kernelDropped,
          num: true,
          cell: ({ s }) => `${n(s.losses.kernelDropped)} / ${n(s.losses.kernelReceived)}`,
        },
        { header: w.agentDropped, num: true, cell: ({ s }) => n(s.losses.agentDropped) },
        {
          header: w.spoolDropped,
          num: true,
          cell: ({ s }) => `${n(s.losses.spoolDroppedSegments)} / ${n(s.losses.spoolDroppedPackets)}`,
        },
        { header: w.sequenceGaps, num: true, cell: ({ s }) => n(s.losses.sequenceGaps) },
      ],
      rows,
      { caption: w.sensors, empty: w.none },
    ),
  ].join('\n');
  return { title: w.sensors, body };
}

export async function reportsPage(input: { reportsDir: string | null; state: LinkState }): Promise<PageParts> {
  const w = WORDS[input.state.lang];
  const reports = input.reportsDir === null ? [] : await listReports(input.reportsDir);
  const body = table(
    [
      // Downloads, not pages: the archive's HTML reports are documents of their own.
      { header: w.file, cell: (r) => ({ text: r.name, href: escapeHtml(r.url) }) },
      { header: w.format, cell: (r) => r.format },
      { header: w.bytes, num: true, cell: (r) => n(r.bytes) },
      { header: w.written, cell: (r) => r.modified },
    ],
    reports,
    { caption: w.reports, empty: w.noReports },
  );
  return { title: w.reports, body };
}
