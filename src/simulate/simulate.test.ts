import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTruth, truthSchema } from './truth-schema.js';
import { simulateAndRead } from './testdata/simulate-read.js';
import { sizes, tallyCaptures, truthTables } from './testdata/decode-tally.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'teiten-sim-'));

/** SHA-256 of every file in `dir`, by name. */
function digests(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

describe('simulateScenario()', () => {
  it('simulateScenario() writes captures whose decoded, enriched counts equal truth.json exactly', async () => {
    const dir = tmp();
    const result = await simulateAndRead('detector-check', { outDir: dir });
    const truth = readTruth(result.truthPath);
    expect(truth.totals.packets).toBe(result.packets);
    expect(result.packets).toBeGreaterThan(5000);
    const tally = await tallyCaptures(truth, dir);
    const expected = truthTables(truth);
    expect(tally.ordered).toBe(true);
    expect(tally.packets).toBe(truth.totals.written);
    expect(new Map([...tally.traffic].sort())).toEqual(new Map([...expected.traffic].sort()));
    expect(new Map([...tally.excluded].sort())).toEqual(new Map([...expected.excluded].sort()));
    expect(new Map([...sizes(tally.sourcesBySensorService)].sort())).toEqual(
      new Map([...expected.sourcesBySensorService].sort()),
    );
    expect(new Map([...sizes(tally.sourcesByDay)].sort())).toEqual(new Map([...expected.sourcesByDay].sort()));
    // Every planted country came back from enrichment (none unknown).
    expect([...tally.traffic.keys()].some((k) => k.endsWith('|ZZ'))).toBe(false);
    expect(truth.excluded.length).toBeGreaterThan(0);
  });

  it('simulateScenario() is deterministic for a seed and changes with it', async () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    await simulateAndRead('detector-check', { outDir: a, seed: 11 });
    await simulateAndRead('detector-check', { outDir: b, seed: 11 });
    await simulateAndRead('detector-check', { outDir: c, seed: 12 });
    const [da, db, dc] = [digests(a), digests(b), digests(c)];
    // truth.json names the output directory only through relative file names.
    expect(db).toEqual(da);
    expect(Object.keys(dc)).toEqual(Object.keys(da));
    for (const file of Object.keys(da)) expect(dc[file]).not.toBe(da[file]);
  });

  it("simulateScenario() with --scale keeps each stream's share of the traffic", async () => {
    const small = await simulateAndRead('detector-check', { outDir: tmp(), scale: 0.5 });
    const large = await simulateAndRead('detector-check', { outDir: tmp(), scale: 2 });
    const perStream = (truth: typeof small.truth): Map<string, number> => {
      const out = new Map<string, number>();
      for (const row of truth.traffic.rows)
        out.set(truth.streams[row[2]]!.name, (out.get(truth.streams[row[2]]!.name) ?? 0) + row[6]);
      return out;
    };
    const s = perStream(small.truth);
    const l = perStream(large.truth);
    expect(large.packets / small.packets).toBeGreaterThan(3.7);
    expect(large.packets / small.packets).toBeLessThan(4.3);
    for (const [name, packets] of s) {
      if (packets < 300) continue;
      const ratio = (l.get(name) ?? 0) / packets;
      expect(ratio, name).toBeGreaterThan(3.5);
      expect(ratio, name).toBeLessThan(4.5);
    }
  });

  it('simulateScenario() drops packets inside a downtime and writes pcapng on request', async () => {
    const dir = tmp();
    const result = await simulateAndRead('detector-check', { outDir: dir, format: 'pcapng', seed: 5 });
    expect(result.files.every((f) => f.path.endsWith('.pcapng'))).toBe(true);
    const truth = truthSchema.parse(JSON.parse(readFileSync(result.truthPath, 'utf8')));
    const down = truth.sensors.find((s) => s.name === 'check-b')!.downtime[0]!;
    expect(down.from).toBe('2010-06-02T10:00:00+09:00');
    let inDowntime = 0;
    let checkB = 0;
    const tally = await tallyCaptures(truth, dir, {
      onPacket: (enriched, i, sensor) => {
        if (sensor !== 'check-b') return;
        checkB++;
        const t = enriched.batch.tsSec[i]!;
        if (t >= down.fromSec && t < down.toSec) inDowntime++;
      },
    });
    expect(checkB).toBeGreaterThan(1000);
    expect(inDowntime).toBe(0);
    expect(tally.packets).toBe(truth.totals.written);
  });
});
