import { describe, expect, it } from 'vitest';
import { formatServiceKey } from '../classify/index.js';
import { uniform } from '../util/random.js';
import { Tool, TOOL_RULES } from './fingerprint.js';
import { deriveScanners } from './scanner-derive.js';
import { ScannerEvidence, TOOL_COLUMNS, type ScannerEvidenceRows } from './scanner-evidence.js';
import { DEFAULT_SCAN_THRESHOLDS, SourceState } from './scanners-source.js';

const T0 = 1_275_350_400;
const WINDOW = 3600;
const NET = 0xc612_0000; // 198.18.0.0

interface Probe {
  sensorId: number;
  ts: number;
  src: number;
  dst: number;
  service: number;
  tools: number;
  country: number;
  asn: number;
}

/** Evidence rows of `pieces`, each piece one pass (its own source states), rows of all pieces together. */
function evidenceOf(pieces: readonly (readonly Probe[])[]): ScannerEvidenceRows {
  const all: ScannerEvidenceRows[] = [];
  for (const piece of pieces) {
    const bySensor = new Map<number, Map<string, SourceState>>();
    for (const p of piece) {
      const window = Math.floor(p.ts / WINDOW);
      let states = bySensor.get(p.sensorId);
      if (states === undefined) bySensor.set(p.sensorId, (states = new Map()));
      const key = `${window} ${p.src}`;
      let state = states.get(key);
      if (state === undefined)
        states.set(key, (state = new SourceState({ source: p.src, window, ts: p.ts, country: p.country, asn: p.asn })));
      state.add(p.ts, p.dst, p.service, p.tools, p);
    }
    for (const [sensorId, states] of bySensor) {
      const evidence = new ScannerEvidence();
      for (const state of states.values()) evidence.add(state, WINDOW);
      all.push(evidence.rows(sensorId));
    }
  }
  return concatRows(all);
}

function concatRows(parts: readonly ScannerEvidenceRows[]): ScannerEvidenceRows {
  const columns: Record<string, unknown[]> = {};
  for (const part of parts) {
    for (const [key, values] of Object.entries(part.columns))
      (columns[key] ??= []).push(...Array.from(values as ArrayLike<unknown>));
  }
  return {
    rowCount: parts.reduce((n, p) => n + p.rowCount, 0),
    columns: columns as unknown as ScannerEvidenceRows['columns'],
  };
}

/** Rows in a random order (as several ingests and sensors store them). */
function shuffled(rows: ScannerEvidenceRows, random: () => number): ScannerEvidenceRows {
  const order = Array.from({ length: rows.rowCount }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const columns: Record<string, unknown[]> = {};
  for (const [key, values] of Object.entries(rows.columns))
    columns[key] = order.map((i) => (values as ArrayLike<unknown>)[i]);
  return { rowCount: rows.rowCount, columns: columns as unknown as ScannerEvidenceRows['columns'] };
}

/**
 * Probes of a few hours: horizontal sweeps (some past 256 addresses),
 * vertical ones (some past 256 services), ZMap-tagged sources, background
 * sources of a probe or two, on three sensors, out of time order.
 */
function randomProbes(seed: number): Probe[] {
  const random = uniform(seed);
  const probes: Probe[] = [];
  for (let s = 0; s < 40; s++) {
    const src = 0x3d00_0000 + s * 7;
    const kind = s % 4;
    const n =
      kind === 3
        ? 1 + Math.floor(random() * 3)
        : s % 8 < 2
          ? 1000 + Math.floor(random() * 500)
          : 5 + Math.floor(random() * 60);
    const start = T0 + Math.floor(random() * 3 * WINDOW);
    for (let k = 0; k < n; k++) {
      // Coarse times for half the sources, so the earliest probe is often a tie between pieces.
      const ts =
        start +
        (s % 2 === 0
          ? Math.floor(random() * 100) * 72
          : Math.floor(random() * 2 * WINDOW) + Math.floor(random() * 1000) / 1000);
      probes.push({
        sensorId: 1 + Math.floor(random() * 3),
        ts,
        src,
        dst: kind === 1 ? NET + (s % 3) : NET + Math.floor(random() * 2048),
        service:
          kind === 1
            ? 6 * 2 ** 17 + 1 + Math.floor(random() * 2000)
            : 6 * 2 ** 17 + [23, 80, 445][Math.floor(random() * 3)]!,
        tools: kind === 2 && random() < 0.8 ? Tool.ZMAP : 0,
        // Same source, other GeoIP builds: the earliest probe names the country.
        country: 0x4a50 + Math.floor(random() * 2),
        asn: 64_500 + Math.floor(random() * 2),
      });
    }
  }
  return probes;
}

/** `probes` cut into 2..9 pieces at random (each probe in one piece, order kept within a piece). */
function cut(probes: readonly Probe[], random: () => number): Probe[][] {
  const pieces: Probe[][] = Array.from({ length: 2 + Math.floor(random() * 8) }, () => []);
  for (const p of probes) pieces[Math.floor(random() * pieces.length)]!.push(p);
  return pieces;
}

describe('deriveScanners()', () => {
  it('TOOL_COLUMNS follow TOOL_RULES', () => {
    expect(TOOL_COLUMNS.map((c) => c.replace(/Packets$/, ''))).toEqual(TOOL_RULES.map((r) => r.name));
  });

  it('deriveScanners() gives the same scanners for any cut of the probes into pieces and any order of the rows', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const probes = randomProbes(seed);
      const expected = deriveScanners(evidenceOf([probes]), DEFAULT_SCAN_THRESHOLDS);
      expect(expected.sources.length).toBeGreaterThan(5);
      expect(
        expected.sources.some((s) => !s.addressesExact) && expected.sources.some((s) => s.topServicesWithheld),
      ).toBe(true);
      const random = uniform(seed * 7919);
      for (let round = 0; round < 3; round++) {
        const pieces = cut(probes, random);
        expect(deriveScanners(shuffled(evidenceOf(pieces), random), DEFAULT_SCAN_THRESHOLDS)).toEqual(expected);
      }
    }
  });

  it('deriveScanners() counts what the probes hold: exact addresses, services, top services and the earliest probe', () => {
    const probes = randomProbes(3);
    const { sources } = deriveScanners(
      shuffled(evidenceOf(cut(probes, uniform(5))), uniform(6)),
      DEFAULT_SCAN_THRESHOLDS,
    );
    let sketched = 0;
    let withheld = 0;
    for (const s of sources) {
      const mine = probes.filter(
        (p) => p.src === s.sourceAddress && Math.floor(p.ts / WINDOW) * WINDOW === s.windowStart,
      );
      const addresses = new Set(mine.map((p) => p.dst)).size;
      const services = new Map<number, number>();
      for (const p of mine) services.set(p.service, (services.get(p.service) ?? 0) + 1);
      const first = Math.min(...mine.map((p) => p.ts));
      const earliest = mine.filter((p) => p.ts === first).sort((a, b) => a.country - b.country || a.asn - b.asn)[0]!;
      expect(s).toMatchObject({
        packets: mine.length,
        firstSeen: first,
        lastSeen: Math.max(...mine.map((p) => p.ts)),
        country: earliest.country,
        asn: earliest.asn,
      });
      if (addresses <= 256) expect([s.addresses, s.addressesExact]).toEqual([addresses, true]);
      else {
        sketched++;
        expect(s.addressesExact).toBe(false);
        expect(Math.abs(s.addresses - addresses) / addresses).toBeLessThan(0.08);
      }
      if (services.size <= 256) {
        const top = [...services]
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, 5)
          .map(([k, n]) => ({ service: formatServiceKey(k), packets: n }));
        expect([s.services, s.topServices, s.topServicesWithheld]).toEqual([services.size, top, false]);
      } else {
        withheld++;
        expect([s.topServices, s.topServicesWithheld, s.servicesExact]).toEqual([[], true, false]);
        expect(s.why).toMatch(/top services withheld: more than 256 services$/);
      }
      const perSensor = [1, 2, 3].map((id) => mine.filter((p) => p.sensorId === id)).filter((m) => m.length > 0);
      expect(s.sensors.map((x) => x.packets)).toEqual(perSensor.map((m) => m.length));
    }
    expect(sketched).toBeGreaterThan(0);
    expect(withheld).toBeGreaterThan(0);
  });

  it('deriveScanners() makes one scanner of a sweep spread over three sensors; each sensor alone saw too few addresses', () => {
    const probes: Probe[] = Array.from({ length: 24 }, (_, k) => ({
      sensorId: 1 + (k % 3),
      ts: T0 + k,
      src: 0x3d05_0505,
      dst: NET + (k % 3) * 256 + k,
      service: 6 * 2 ** 17 + 23,
      tools: 0,
      country: 0,
      asn: 0,
    }));
    const { sources } = deriveScanners(evidenceOf([probes]), DEFAULT_SCAN_THRESHOLDS);
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({
      source: '61.5.5.5',
      scanType: 'horizontal',
      packets: 24,
      addresses: 24,
      services: 1,
      firstSeen: T0,
      lastSeen: T0 + 23,
      sensors: [
        { sensorId: 1, packets: 8, addresses: 8 },
        { sensorId: 2, packets: 8, addresses: 8 },
        { sensorId: 3, packets: 8, addresses: 8 },
      ],
    });
    for (const id of [1, 2, 3])
      expect(
        deriveScanners(evidenceOf([probes.filter((p) => p.sensorId === id)]), DEFAULT_SCAN_THRESHOLDS).sources,
      ).toEqual([]);
  });
});
