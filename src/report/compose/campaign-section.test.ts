/**
 * §2's campaign subsection drawn from a store holding seeded planted
 * campaigns (`analyse/testdata/campaign-scenarios.ts`): one row per planted
 * campaign with its sources and probes (counted from the generator's
 * frames), in both languages with the link reasons in the report's
 * language; none without campaign input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../analyse/index.js';
import { CAMPAIGN_SENSOR, campaignScenario, type CampaignScenario } from '../../analyse/testdata/campaign-scenarios.js';
import { ingestCapture } from '../../ingest/index.js';
import { frameBytes, pcapOf, tempDir, writeTemp } from '../../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../../store/index.js';
import type { ReportDocument, Section } from '../document.js';
import { renderMarkdown } from '../markdown.js';
import { composeQuarterly } from './compose-quarterly.js';
import { detectionInputFromStore } from './detection-from-store.js';

const QUARTER = parsePeriod('FY2024Q1', { timeZone: 'UTC' });
let store: AnalyticsStore;
let scenario: CampaignScenario;

beforeAll(async () => {
  scenario = campaignScenario(12);
  store = await openStore(':memory:', { timeZone: 'UTC' });
  await store.addSensor(CAMPAIGN_SENSOR);
  await ingestCapture(
    store,
    CAMPAIGN_SENSOR.name,
    writeTemp(tempDir('teiten-campaign-report-'), 'scan.pcap', pcapOf(scenario.frames)),
    { geo: null },
  );
}, 60_000);

afterAll(async () => {
  await store?.close();
});

const subsection = (doc: ReportDocument): Section | undefined =>
  doc.sections.find((s) => s.id === 's2')?.sections?.find((s) => s.id === 's2-campaigns');

/** Probes per source, from the generator's frames (IPv4 source at bytes 26–29 of the Ethernet frame). */
function probesBySource(): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of scenario.frames) {
    const b = frameBytes(f);
    const src = `${b[26]}.${b[27]}.${b[28]}.${b[29]}`;
    out.set(src, (out.get(src) ?? 0) + 1);
  }
  return out;
}

describe('campaignSection()', () => {
  it.each(['en', 'ja'] as const)(
    'campaignSection() lists each planted campaign with its sources and probes (%s)',
    async (lang) => {
      const detections = await detectionInputFromStore(store, QUARTER);
      const doc = await composeQuarterly(store, QUARTER, { lang, detections });
      const table = subsection(doc)?.blocks.find((b) => b.kind === 'table');
      if (table?.kind !== 'table') throw new Error('no campaign table');
      const probes = probesBySource();
      const planted = new Map<string, string[]>();
      for (const [src, name] of scenario.campaignOf) planted.set(name, [...(planted.get(name) ?? []), src]);
      const expected = [...planted.values()].map((srcs) => [srcs.length, srcs.reduce((n, s) => n + probes.get(s)!, 0)]);
      const rows = table.rows.map((r) => [r.cells['sources'], r.cells['packets']]);
      expect(rows.map(String).sort()).toEqual(expected.map(String).sort());
      expect(table.number).toMatch(/^2-\d+$/);
      const text = renderMarkdown(doc);
      // The link reasons are in the report's language: no English reason words in the Japanese report.
      if (lang === 'ja') {
        expect(text).toMatch(/結び付けた根拠の例: [\d.]+ – [\d.]+: 同一の \d+ ポートの組 \(/);
        expect(text).not.toMatch(/identical|rotation|fingerprint|same fixed/);
      } else {
        expect(text).toMatch(/For example, [\d.]+ – [\d.]+: identical \d+-port set/);
      }
    },
  );

  it('campaignSection() adds nothing to a report without campaign input', async () => {
    const detections = await detectionInputFromStore(store, QUARTER);
    const doc = await composeQuarterly(store, QUARTER, { lang: 'en', detections: { ...detections, campaigns: null } });
    expect(subsection(doc)).toBeUndefined();
  });
});
