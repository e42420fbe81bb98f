/**
 * §4's reflection subsection drawn from a store holding the seeded
 * reflection floods (`analyse/testdata/reflection-floods.ts`): its table
 * holds the planted episodes, largest first, in both languages, and a
 * report without reflection input has no such subsection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod } from '../../analyse/index.js';
import {
  FLOOD_PERIOD,
  OSAKA,
  reflectionFloods,
  TOKYO,
  type PlantedEpisode,
} from '../../analyse/testdata/reflection-floods.js';
import { ingestCapture } from '../../ingest/index.js';
import { pcapOf, tempDir, writeTemp } from '../../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../../store/index.js';
import type { ReportDocument, Section } from '../document.js';
import { renderMarkdown } from '../markdown.js';
import { composeQuarterly } from './compose-quarterly.js';
import { detectionInputFromStore } from './detection-from-store.js';

const QUARTER = parsePeriod('FY2024Q1', { timeZone: 'UTC' });
let store: AnalyticsStore;
let truth: PlantedEpisode[];

beforeAll(async () => {
  const scenario = reflectionFloods(3);
  truth = scenario.truth;
  store = await openStore(':memory:', { timeZone: 'UTC' });
  await store.addSensor(TOKYO);
  await store.addSensor(OSAKA);
  const dir = tempDir('teiten-reflection-report-');
  for (const [sensor, frames] of scenario.frames)
    await ingestCapture(store, sensor, writeTemp(dir, `${sensor}.pcap`, pcapOf(frames)), { geo: null });
}, 60_000);

afterAll(async () => {
  await store?.close();
});

const subsection = (doc: ReportDocument): Section | undefined =>
  doc.sections.find((s) => s.id === 's4')?.sections?.find((s) => s.id === 's4-reflection');

describe('reflectionSection()', () => {
  it.each(['en', 'ja'] as const)('reflectionSection() lists the planted episodes, largest first (%s)', async (lang) => {
    expect(parsePeriod(FLOOD_PERIOD, { timeZone: 'UTC' }).startDay).toBeGreaterThanOrEqual(QUARTER.startDay);
    const detections = await detectionInputFromStore(store, QUARTER);
    const doc = await composeQuarterly(store, QUARTER, { lang, detections });
    const section = subsection(doc);
    const table = section?.blocks.find((b) => b.kind === 'table');
    if (table?.kind !== 'table') throw new Error('no reflection table');
    const expected = [...truth].sort(
      (a, b) => b.replies + b.quotedQueries - (a.replies + a.quotedQueries) || a.start - b.start,
    );
    expect(
      table.rows.map((r) => [
        r.cells['target'],
        r.cells['answers'],
        r.cells['bytes'],
        r.cells['reflectors'],
        r.cells['addresses'],
      ]),
    ).toEqual(
      expected.map((e) => [
        e.target,
        e.replies + e.quotedQueries,
        e.replyBytes + e.fragmentBytes,
        e.reflectors,
        e.sensorAddresses,
      ]),
    );
    expect(table.number).toBe('4-2');
    const text = renderMarkdown(doc);
    if (process.env['PEEK'] !== undefined)
      console.log(text.slice(text.indexOf('リフレクション攻撃と UDP') - 10, text.indexOf('この報告について')));
    expect(text).toContain(lang === 'ja' ? 'リフレクタが 53/UDP (DNS) の応答' : 'reflectors sent');
  });

  it('reflectionSection() adds nothing to a report without reflection input', async () => {
    const detections = await detectionInputFromStore(store, QUARTER);
    const doc = await composeQuarterly(store, QUARTER, { lang: 'en', detections: { ...detections, reflection: null } });
    expect(subsection(doc)).toBeUndefined();
  });
});
