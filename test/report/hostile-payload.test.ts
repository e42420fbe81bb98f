/**
 * Attacker-controlled bytes end to end: packets whose payload carries HTML
 * and a user rule whose message quotes it are ingested through the real
 * pipeline, and the composed reports (HTML and Markdown, both languages)
 * must show the text escaped and hold no live markup.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/analyse/index.js';
import { loadDetectionSetup, ingestCapture } from '../../src/ingest/index.js';
import { composeReport, detectionInputFromStore } from '../../src/report/compose/index.js';
import { renderHtml, renderMarkdown } from '../../src/report/index.js';
import { openStore } from '../../src/store/index.js';
import { at, pcapOf, tempDir, testGeo, writeTemp, type TestFrame } from '../../src/ingest/testdata/captures.js';

const PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const RULE_MSG = 'HOSTILE <script>alert("msg")</script> probe';

describe('hostile payloads in reports', () => {
  it('composeReport() escapes a rule message and payload-derived text from ingested packets', async () => {
    const dir = tempDir('teiten-hostile-');
    const rules = join(dir, 'hostile.rules');
    writeFileSync(
      rules,
      `alert udp any any -> any 7777 (msg:"${RULE_MSG.replace(/"/g, '\\"')}"; content:"<script>"; classtype:trojan-activity; sid:9990001; rev:1;)\n`,
    );
    const frames: TestFrame[] = Array.from({ length: 20 }, (_, k) => ({
      sec: at('2010-06-01T03:00:00Z') + k * 3600,
      spec: {
        ip: { version: 4, src: `1.0.16.${k + 1}`, dst: '192.0.2.1' },
        l4: { kind: 'udp', srcPort: 40000 + k, dstPort: 7777 },
        payload: new TextEncoder().encode(PAYLOAD),
      },
    }));
    const store = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
    try {
      await store.addSensor({ name: 'hostile', label: 'Hostile <b>label</b>', addresses: ['192.0.2.1'] });
      const detection = await loadDetectionSetup({ ruleFiles: [rules] });
      const { geo } = await testGeo(dir);
      const result = await ingestCapture(store, 'hostile', writeTemp(dir, 'hostile.pcap', pcapOf(frames)), {
        geo,
        detection,
      });
      expect(result.record.packetsCounted).toBe(20);
      const period = parsePeriod('FY2010Q1', { timeZone: 'Asia/Tokyo' });
      const detections = await detectionInputFromStore(store, period);
      expect(detections.signatures?.topRules.map((r) => r.message)).toContain(RULE_MSG);
      for (const lang of ['ja', 'en'] as const) {
        const doc = await composeReport(store, period, { lang, kind: 'quarterly', detections });
        const html = renderHtml(doc);
        expect(html).toContain('HOSTILE &lt;script&gt;alert(&quot;msg&quot;)&lt;/script&gt; probe');
        expect(html).not.toMatch(/<script|<img|<b>|onerror=/i);
        const md = renderMarkdown(doc);
        // Attacker text in Markdown appears only inside code spans, where renderers show it literally.
        for (const line of md.split('\n').filter((l) => /<script|<img|<b>/i.test(l))) {
          expect(line.replace(/`[^`]*`/g, ''), line).not.toMatch(/<script|<img|<b>/i);
        }
      }
    } finally {
      await store.close();
    }
  }, 60_000);
});
