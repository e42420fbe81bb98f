import { describe, expect, it } from 'vitest';
import type { BackscatterEvidenceRow } from '../store/index.js';
import { uniform } from '../util/random.js';
import { attacksOf, deriveFlows } from './backscatter-attacks.js';
import type { EvidenceRows } from './backscatter-evidence.js';
import { BackscatterKind } from './backscatter-kinds.js';
import { DEFAULT_ATTACK_SETTINGS } from './backscatter-report.js';

const T0 = 1_275_350_400;
const TELESCOPE = 0xc612_0000; // 198.18.0.0

/** A store evidence row with its sensor. */
interface Row extends BackscatterEvidenceRow {
  sensorId: number;
}

function columnsOf(rows: readonly Row[]): EvidenceRows {
  const pick = (key: keyof Row): number[] => rows.map((r) => r[key]);
  return {
    rowCount: rows.length,
    columns: {
      sensorId: pick('sensorId'),
      sec: pick('sec'),
      victim: pick('victim'),
      proto: pick('proto'),
      port: pick('port'),
      kind: pick('kind'),
      dst: pick('dst'),
      country: pick('country'),
      packets: pick('packets'),
    },
  };
}

/** Evidence of a few victims over a day: floods, slow trickles, gaps around the timeout, three sensors. */
function randomEvidence(seed: number): Row[] {
  const random = uniform(seed);
  const rows: Row[] = [];
  for (let v = 0; v < 12; v++) {
    const victim = 0x3d00_0000 + v;
    let sec = T0 + Math.floor(random() * 3600);
    const n = 20 + Math.floor(random() * 400);
    for (let k = 0; k < n; k++) {
      // Mostly dense, sometimes a gap either side of the 300 s timeout.
      const r = random();
      sec +=
        r < 0.9 ? Math.floor(random() * 4) : r < 0.95 ? 280 + Math.floor(random() * 40) : Math.floor(random() * 20);
      rows.push({
        sensorId: 1 + Math.floor(random() * 3),
        sec,
        victim,
        proto: v % 4 === 3 ? 1 : 6,
        port: v % 4 === 3 ? 0x10000 : 80 + (k % 3),
        kind: v % 4 === 3 ? BackscatterKind.UNREACHABLE : BackscatterKind.SYN_ACK,
        dst: TELESCOPE + Math.floor(random() * 64),
        country: 0x4a50,
        packets: 1 + Math.floor(random() * 5),
      });
    }
  }
  return rows;
}

function derive(rows: readonly Row[]): ReturnType<typeof attacksOf> {
  return attacksOf(deriveFlows(columnsOf(rows), DEFAULT_ATTACK_SETTINGS), {
    settings: DEFAULT_ATTACK_SETTINGS,
    monitoredAddresses: 192,
  });
}

/** Rows of equal key merged (what one ingest of the whole would store). */
function merged(rows: readonly Row[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const r of rows) {
    const key = `${r.sensorId} ${r.sec} ${r.victim} ${r.proto} ${r.port} ${r.kind} ${r.dst}`;
    const known = byKey.get(key);
    if (known === undefined) byKey.set(key, { ...r });
    else known.packets += r.packets;
  }
  return [...byKey.values()];
}

describe('deriveFlows / attacksOf', () => {
  it('give the same attacks for any order of the rows and any split of a row into pieces (as files cut anywhere store them)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const whole = merged(randomEvidence(seed));
      const expected = derive(whole);
      expect(expected.attacks.length).toBeGreaterThan(0);
      const random = uniform(seed * 7919);
      // Pieces: each row's packets split in two rows (two captures of the second), the rows shuffled.
      const pieces = whole.flatMap((r) => {
        if (r.packets < 2 || random() < 0.5) return [r];
        const a = 1 + Math.floor(random() * (r.packets - 1));
        return [
          { ...r, packets: a },
          { ...r, packets: r.packets - a },
        ];
      });
      for (let i = pieces.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
      }
      expect(derive(pieces)).toEqual(expected);
    }
  });

  it('one attack over three sensors: packets and addresses add up, with a part per sensor; each sensor alone is below threshold', () => {
    const rows: Row[] = [];
    for (let k = 0; k < 120; k++) {
      rows.push({
        sensorId: 1 + (k % 3),
        sec: T0 + k,
        victim: 0x3d05_0505,
        proto: 6,
        port: 80,
        kind: BackscatterKind.RST_ACK,
        dst: TELESCOPE + (k % 3) * 16 + (k % 5),
        country: 0,
        packets: 1,
      });
    }
    const { attacks } = derive(rows);
    expect(attacks).toHaveLength(1);
    expect(attacks[0]).toMatchObject({
      packets: 120,
      start: T0,
      end: T0 + 119,
      sensorAddresses: 15,
      peakWindowPackets: 60,
      sensors: [
        { sensorId: 1, packets: 40, addresses: 5 },
        { sensorId: 2, packets: 40, addresses: 5 },
        { sensorId: 3, packets: 40, addresses: 5 },
      ],
    });
    for (const id of [1, 2, 3]) expect(derive(rows.filter((r) => r.sensorId === id)).attacks).toEqual([]);
  });

  it('counts the sliding window over whole seconds [t, t + 60)', () => {
    // 29 packets at T0 … T0 + 28, then one at T0 + 60 (outside T0's window) and one at T0 + 59 (inside).
    const at = (sec: number): Row => ({
      sensorId: 1,
      sec,
      victim: 1,
      proto: 6,
      port: 80,
      kind: 1,
      dst: TELESCOPE,
      country: 0,
      packets: 1,
    });
    const base = Array.from({ length: 29 }, (_, k) => at(T0 + k));
    const [outside] = deriveFlows(columnsOf([...base, at(T0 + 60)]), DEFAULT_ATTACK_SETTINGS);
    expect(outside!.peakWindowPackets).toBe(29);
    const [inside] = deriveFlows(columnsOf([...base, at(T0 + 59)]), DEFAULT_ATTACK_SETTINGS);
    expect(inside!.peakWindowPackets).toBe(30);
  });
});
