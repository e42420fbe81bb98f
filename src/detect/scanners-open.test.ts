import { describe, expect, it } from 'vitest';
import { uniform } from '../util/random.js';
import { ScannerEvidence } from './scanner-evidence.js';
import { SourceState } from './scanners-source.js';
import type { FirstProbe } from './scanners-first-probes.js';
import { OpenSources } from './scanners-open.js';

const WINDOW = 14_761;
const WINDOW_SEC = 86_400;

interface Probe extends FirstProbe {
  src: number;
}

/** Evidence rows as plain objects, sorted by source, for comparing two ways of making them. */
function rowsOf(evidence: ScannerEvidence): Record<string, unknown>[] {
  const { rowCount, columns } = evidence.rows(0);
  const rows = Array.from({ length: rowCount }, (_, r) =>
    Object.fromEntries(Object.entries(columns).map(([name, values]) => [name, (values as ArrayLike<unknown>)[r]])),
  );
  return rows.sort((a, b) => (a['src'] as number) - (b['src'] as number));
}

/** The pieces `SourceState`, the reference, makes of `probes` (one source-window each). */
function referenceRows(probes: readonly Probe[]): Record<string, unknown>[] {
  const states = new Map<number, SourceState>();
  for (const p of probes) {
    let state = states.get(p.src);
    if (state === undefined) {
      state = new SourceState({ source: p.src, window: WINDOW, ts: p.ts, country: p.country, asn: p.asn });
      states.set(p.src, state);
    }
    state.add(p.ts, p.dst, p.service, p.tools, p);
  }
  const evidence = new ScannerEvidence();
  for (const state of states.values()) evidence.add(state, WINDOW_SEC);
  return rowsOf(evidence);
}

function openRows(probes: readonly Probe[]): Record<string, unknown>[] {
  const open = new OpenSources();
  const slots = new Map<number, number>();
  for (const p of probes) {
    let slot = slots.get(p.src);
    if (slot === undefined) slots.set(p.src, (slot = open.open(p.src, p)));
    open.add(slot, p.ts, p);
  }
  const evidence = new ScannerEvidence();
  open.drain(evidence, { window: WINDOW, windowSec: WINDOW_SEC });
  expect(open.size).toBe(0);
  return rowsOf(evidence);
}

describe('OpenSources', () => {
  it('drain() writes the evidence SourceState writes for the same probes, exact sets and sketches alike', () => {
    const random = uniform(12);
    const t0 = WINDOW * WINDOW_SEC;
    const probes: Probe[] = [];
    // Sources from one probe to a sweep past the exact limits (256 addresses, 256 services), in shuffled order,
    // with address 0, repeated destinations, ties on the earliest second and tool bits.
    const shapes = [
      { src: 1, probes: 1, addresses: 1, services: 1 },
      { src: 2, probes: 40, addresses: 5, services: 3 },
      { src: 3, probes: 600, addresses: 400, services: 2 },
      { src: 4, probes: 900, addresses: 2, services: 300 },
      { src: 5, probes: 2000, addresses: 1000, services: 1000 },
      { src: 0xffff_fffe, probes: 256, addresses: 256, services: 256 },
      { src: 7, probes: 257, addresses: 257, services: 257 },
    ];
    for (const shape of shapes) {
      for (let k = 0; k < shape.probes; k++) {
        probes.push({
          src: shape.src,
          ts: t0 + Math.floor(random() * 50) + (random() < 0.5 ? 0 : 0.25),
          dst: k < shape.addresses ? k : Math.floor(random() * shape.addresses),
          service: 6 * 2 ** 17 + (k < shape.services ? k : Math.floor(random() * shape.services)),
          tools: random() < 0.3 ? 0b101 : 0,
          country: 1 + Math.floor(random() * 3),
          asn: Math.floor(random() * 3),
        });
      }
    }
    for (let k = probes.length - 1; k > 0; k--) {
      const j = Math.floor(random() * (k + 1));
      [probes[k], probes[j]] = [probes[j]!, probes[k]!];
    }
    const expected = referenceRows(probes);
    // By source: 1, 2, 3, 4, 5, 7, 0xfffffffe; services past 256 are a sketch, exactly 256 still exact.
    expect(expected.map((r) => (r['services'] as string).startsWith('~'))).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(expected.map((r) => (r['addresses'] as string).startsWith('~'))).toEqual([
      false,
      false,
      true,
      false,
      true,
      true,
      false,
    ]);
    expect(openRows(probes)).toEqual(expected);
  });

  it('drain() forgets the sources, so the next ones start from nothing', () => {
    const open = new OpenSources();
    const probe = { dst: 9, service: 6 * 2 ** 17 + 23, tools: 0, country: 1, asn: 2 };
    open.add(open.open(10, { ts: 100, country: 1, asn: 2 }), 100, probe);
    open.drain(new ScannerEvidence(), { window: 0, windowSec: WINDOW_SEC });
    const slot = open.open(11, { ts: 200, country: 1, asn: 2 });
    open.add(slot, 200, probe);
    open.add(slot, 201, { ...probe, dst: 10 });
    const evidence = new ScannerEvidence();
    open.drain(evidence, { window: 0, windowSec: WINDOW_SEC });
    expect(rowsOf(evidence)).toMatchObject([
      { src: 11, packets: 2, firstSec: 200, lastSec: 201, services: '786455:2' },
    ]);
  });
});
