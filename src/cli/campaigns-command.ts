/**
 * @module
 * `teiten campaigns [--db FILE|--store URL] --period P [--sensor NAME]...
 * [--top N] [--json]`: the period's scanning campaigns over the telescope,
 * each with its sources, ports, tools and time, and every link between two
 * sources with its reasons in words. JSON is `CampaignStatistics`
 * (`analyse/campaign-stats.ts`).
 */

import { campaignStatistics, type CampaignStatistics } from '../analyse/index.js';
import { command, flag, parsed } from './options.js';
import { writeOut } from './output.js';
import { wholeNumber } from './parse-values.js';
import { PERIOD, withPeriod } from './period-scope.js';
import { SENSOR_SELECTION_SHAPE } from './sensor-selection.js';
import { STORE_SHAPE } from './store-target.js';
import { renderTable } from './text-table.js';

const DEFAULT_TOP = 10;
const SOURCES_SHOWN = 6;

const OPTIONS = {
  ...STORE_SHAPE,
  period: PERIOD,
  ...SENSOR_SELECTION_SHAPE,
  top: parsed(wholeNumber(1)).default(DEFAULT_TOP),
  json: flag(),
};

function campaignsText(c: CampaignStatistics, top: number): string {
  const s = c.settings;
  const head = [
    `Campaigns, ${c.period.label}: ${c.campaigns.length} campaign(s) joining ${c.linkedSources} of ${c.sources} scanners` +
      ` (features from ${c.rawPackets.toLocaleString('en-US')} raw probes)`,
    `Links need port sets ${Math.round(s.minPortJaccard * 100)} % alike, the same /24 or timing within ${s.timingSec} s, and ${s.minScore} evidence points`,
  ];
  if (c.campaigns.length === 0) return [...head, '', '(none)'].join('\n');
  const shown = c.campaigns.slice(0, top);
  const table = renderTable(
    [
      { header: '#', align: 'right' },
      { header: 'Start (UTC)', align: 'left' },
      { header: 'Sources', align: 'right' },
      { header: 'Tools', align: 'left' },
      { header: 'Ports', align: 'left' },
      { header: 'Probes', align: 'right' },
    ],
    shown.map((x, i) => [
      String(i + 1),
      x.start.replace('.000Z', 'Z'),
      String(x.sources.length),
      x.tools.join(' ') || '-',
      x.services.length <= 4 ? x.services.join(' ') : `${x.services.slice(0, 4).join(' ')} … (${x.services.length})`,
      x.packets.toLocaleString('en-US'),
    ]),
  );
  const details = shown.map((x, i) =>
    [
      `Campaign ${i + 1}: ${x.sources.slice(0, SOURCES_SHOWN).join(', ')}${x.sources.length > SOURCES_SHOWN ? ` and ${x.sources.length - SOURCES_SHOWN} more` : ''}`,
      ...x.links.map((l) => `  ${l.a} ~ ${l.b}: ${l.reasons.join('; ')}`),
    ].join('\n'),
  );
  return [...head, '', table, '', ...details].join('\n');
}

export const runCampaigns = command(OPTIONS, async (options) =>
  withPeriod(options, async (store, { period, sensors }) => {
    const stats = await campaignStatistics(store, { period, filter: sensors === undefined ? {} : { sensors } });
    await writeOut(options.json ? `${JSON.stringify(stats, null, 2)}\n` : `${campaignsText(stats, options.top)}\n`);
    return 0;
  }),
);
