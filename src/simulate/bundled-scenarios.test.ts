import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateAndRead } from './testdata/simulate-read.js';
import type { Truth } from './truth-schema.js';

/** Packets per key over the days `inDay` accepts. */
function sumBy(
  truth: Truth,
  key: (row: Truth['traffic']['rows'][number]) => string,
  inDay: (date: string) => boolean,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of truth.traffic.rows) {
    if (!inDay(truth.days[row[0]]!)) continue;
    const k = key(row);
    out.set(k, (out.get(k) ?? 0) + row[6]);
  }
  return out;
}

const ranked = (m: Map<string, number>): string[] => [...m].sort((a, b) => b[1] - a[1]).map(([k]) => k);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'teiten-bundled-'));

describe('bundled scenarios', () => {
  it("quarterly-2010q1fy has the @police report's shapes", async () => {
    const { truth } = await simulateAndRead('quarterly-2010q1fy', { outDir: tmp(), scale: 0.03 });
    const service = (row: Truth['traffic']['rows'][number]): string => truth.services[row[3]]!;
    const country = (row: Truth['traffic']['rows'][number]): string => truth.countries[row[5]]!;
    const thisQuarter = (d: string): boolean => d >= '2010-04-01';
    const previous = (d: string): boolean => d < '2010-04-01';
    const services = sumBy(truth, service, thisQuarter);
    expect(ranked(services)[0]).toBe('445/TCP');
    expect(ranked(services).slice(1, 5)).toEqual(expect.arrayContaining(['11/ICMP', '1433/TCP', '135/TCP']));
    expect(sumBy(truth, service, previous).get('445/TCP')!).toBeGreaterThan(services.get('445/TCP')!);
    // 11/ICMP comes from nowhere with the reflection in June; 53/UDP answers start on 1 June.
    expect(sumBy(truth, service, (d) => d < '2010-05-01').get('11/ICMP') ?? 0).toBeLessThan(
      services.get('11/ICMP')! / 50,
    );
    const fromDns =
      sumBy(
        truth,
        (row) => (row[4] >= 0 ? truth.services[row[4]]! : ''),
        (d) => d < '2010-06-01',
      ).get('53/UDP') ?? 0;
    expect(fromDns).toBe(0);
    expect(ranked(sumBy(truth, country, thisQuarter))[0]).toBe('JP');
    expect(ranked(sumBy(truth, country, previous))[0]).toBe('CN');
    // 9415/TCP: from CN, source port 6000.
    const probes9415 = truth.traffic.rows.filter((row) => service(row) === '9415/TCP');
    expect(probes9415.every((row) => truth.services[row[4]] === '6000/TCP')).toBe(true);
    const cnShare =
      probes9415.filter((row) => country(row) === 'CN').reduce((a, r) => a + r[6], 0) /
      probes9415.reduce((a, r) => a + r[6], 0);
    expect(cnShare).toBeGreaterThan(0.9);
    // BitTorrent (Scan(P2P)) falls after April; telnet rises in June.
    const p2p = sumBy(
      truth,
      (row) => truth.streams[row[2]]!.category ?? '',
      (d) => d.startsWith('2010-04'),
    );
    const p2pJune = sumBy(
      truth,
      (row) => truth.streams[row[2]]!.category ?? '',
      (d) => d.startsWith('2010-06'),
    );
    expect(p2pJune.get('Scan(P2P)')!).toBeLessThan(p2p.get('Scan(P2P)')! / 3);
    expect(sumBy(truth, service, (d) => d.startsWith('2010-06')).get('23/TCP')!).toBeGreaterThan(
      3 * sumBy(truth, service, (d) => d.startsWith('2010-05')).get('23/TCP')!,
    );
    const irc = truth.backscatter.filter(
      (b) => b.victimPort === 6667 && b.country === 'US' && b.entry === 'irc-6667-us',
    );
    expect(irc.length).toBeGreaterThan(20);
  });

  it("monthly-2007-07 has the TALOT2 report's late-July changes", async () => {
    const { truth } = await simulateAndRead('monthly-2007-07', { outDir: tmp(), scale: 0.05 });
    expect(truth.sensors).toHaveLength(10);
    const service = (row: Truth['traffic']['rows'][number]): string => truth.services[row[3]]!;
    const july = sumBy(truth, service, (d) => d.startsWith('2007-07'));
    expect(ranked(july)[0]).toBe('135/TCP');
    const early = sumBy(truth, service, (d) => d >= '2007-07-01' && d < '2007-07-16');
    const late = sumBy(truth, service, (d) => d >= '2007-07-16');
    expect(late.get('1433/TCP')!).toBeGreaterThan(2 * early.get('1433/TCP')!);
    for (const port of ['2967/TCP', '3306/TCP', '5900/TCP']) {
      expect(early.get(port) ?? 0, port).toBe(0);
      expect(late.get(port)!, port).toBeGreaterThan(20);
    }
    const lateSql = sumBy(
      truth,
      (row) => truth.countries[row[5]]!,
      (d) => d >= '2007-07-16',
    );
    expect(ranked(lateSql).slice(0, 2)).toEqual(expect.arrayContaining(['JP', 'CN']));
  });
});
