/**
 * @module
 * Contract cases for the detection tables (run by `store.case.test.ts`):
 * rows appended with `appendDetection` come back exactly (text and the
 * extremes of the evidence's unsigned columns included), stay invisible until the ingest commits,
 * and go with a rollback or a deleted ingest.
 */

import { expect, test } from 'vitest';
import type {
  BackscatterEvidenceRow,
  ScannerEvidenceRow,
  ScannerProbeRow,
  SignatureDayRow,
  SignatureEvidenceRow,
  SignatureSourceDayRow,
} from '../detection-rows.js';
import { DETECTION_TABLES } from '../schema.js';
import type { ListValues } from '../list-column.js';
import type { IngestWriter, RowColumns } from '../store.js';
import type { SuiteContext } from './registry-cases.js';
import { DAY1, setUpScenario, sorted } from './scenario.js';

const SIGNATURES: SignatureDayRow[] = [
  { localDay: DAY1, gid: 1, sid: 9_000_001, rev: 1, category: 'Worm', msg: 'TEITEN WORM SQL Slammer', country: 0x434e, service: 17 * 2 ** 17 + 1434, packets: 3 },
  { localDay: DAY1 + 1, gid: 1, sid: 9_000_200, rev: 2, category: 'Scan(P2P)', msg: "it's \"quoted\" \\ text", country: 0, service: 17 * 2 ** 17 + 6881, packets: 1 },
];
const SOURCES: SignatureSourceDayRow[] = [
  { localDay: DAY1, category: 'Worm', src: '61.1.1.1', country: 0x434e, packets: 3 },
  { localDay: DAY1 + 1, category: 'Scan(P2P)', src: '2001:db8:ff00::1', country: 0x5457, packets: 1 },
];
const EVIDENCE: BackscatterEvidenceRow[] = [
  { sec: 1_275_361_210, victim: 0x3d05_0505, proto: 6, port: 6667, kind: 1, dst: 0xc633_6410, country: 0x434e, packets: 120 },
  { sec: 4_294_967_295, victim: 0xffff_ffff, proto: 1, port: 0x10000, kind: 5, dst: 0xc633_6413, country: 0, packets: 1 },
];

/** Scanner evidence: fractional seconds, a source of 2^32 - 1, exact and sketched states as text, a one-probe piece as numbers. */
const SCANNER_EVIDENCE: ScannerEvidenceRow[] = [
  {
    windowStart: 1_275_350_400, windowEnd: 1_275_436_800, src: 0x3d07_0707, country: 0x434e, asn: 4134, packets: 16, firstSec: 1_275_361_600.125,
    lastSec: 1_275_361_615.5, zmapPackets: 16, masscanPackets: 0, miraiPackets: 0, nmapPackets: 0, addresses: 'xhIAAcYSAAI=', services: '786512:8 786875:8',
    dst: 0, service: 0,
  },
  {
    windowStart: 1_275_350_400, windowEnd: 1_275_436_800, src: 0xffff_ffff, country: 0, asn: 0, packets: 300, firstSec: 1_275_350_400,
    lastSec: 1_275_436_799.999999, zmapPackets: 0, masscanPackets: 2, miraiPackets: 3, nmapPackets: 4, addresses: `~${Buffer.alloc(2048, 1).toString('base64')}`, services: '',
    dst: 0, service: 0,
  },
  {
    windowStart: 1_275_350_400, windowEnd: 1_275_436_800, src: 0x3d07_0708, country: 0x434e, asn: 4134, packets: 1, firstSec: 1_275_361_700.25,
    lastSec: 1_275_361_700.25, zmapPackets: 1, masscanPackets: 0, miraiPackets: 0, nmapPackets: 0, addresses: '', services: '',
    dst: 0xffff_ffff, service: 0xffff_ffff,
  },
];

/** One-probe pieces in their narrow table: each tool bit, and the extremes of address, service and time. */
const SCANNER_PROBES: ScannerProbeRow[] = [
  { windowStart: 1_275_350_400, windowEnd: 1_275_436_800, src: 0xffff_fffe, country: 0x5553, asn: 7922, sec: 1_275_361_800.000125, dst: 0xffff_ffff, service: 0xffff_ffff, tools: 9 },
  { windowStart: 1_275_436_800, windowEnd: 1_275_523_200, src: 1, country: 0, asn: 0, sec: 1_275_436_800, dst: 0, service: 0, tools: 6 },
];
/** The same as the view shows them: the rows `scanner_piece_rows` would hold (ZMap = bit 0 … Nmap = bit 3). */
const PROBES_AS_EVIDENCE: ScannerEvidenceRow[] = [
  {
    windowStart: 1_275_350_400, windowEnd: 1_275_436_800, src: 0xffff_fffe, country: 0x5553, asn: 7922, packets: 1, firstSec: 1_275_361_800.000125,
    lastSec: 1_275_361_800.000125, zmapPackets: 1, masscanPackets: 0, miraiPackets: 0, nmapPackets: 1, addresses: '', services: '',
    dst: 0xffff_ffff, service: 0xffff_ffff,
  },
  {
    windowStart: 1_275_436_800, windowEnd: 1_275_523_200, src: 1, country: 0, asn: 0, packets: 1, firstSec: 1_275_436_800,
    lastSec: 1_275_436_800, zmapPackets: 0, masscanPackets: 1, miraiPackets: 1, nmapPackets: 0, addresses: '', services: '',
    dst: 0, service: 0,
  },
];

/** Threshold evidence: a group of three named matches, and a group of one match at the columns' extremes. */
const THRESHOLD_GROUPS: SignatureEvidenceRow[] = [
  { us: 1_275_361_200_000_001, gid: 1, sid: 9_100_001, track: 0, thType: 2, thCount: 5, thSeconds: 60, src: 0x3d05_0505, dst: 0, country: 0x434e, covered: 1, matches: 3, later: [7, 0xffff_ffff], packets: [1, 2, 2 ** 40] },
  { us: Number.MAX_SAFE_INTEGER, gid: 0xffff_ffff, sid: 0xffff_ffff, track: 3, thType: 3, thCount: 0xffff_ffff, thSeconds: 0xffff_ffff, src: Number.MAX_SAFE_INTEGER, dst: Number.MAX_SAFE_INTEGER, country: 0xffff, covered: 0, matches: 1, later: [], packets: [] },
];

/** A list field of `rows` as `ListValues`: the items flat, each row's start. */
function listOf<R>(rows: readonly R[], field: { [K in keyof R]: R[K] extends readonly number[] ? K : never }[keyof R]): ListValues {
  const lists = rows.map((r) => r[field] as readonly number[]);
  const starts = [0];
  for (const list of lists) starts.push(starts[starts.length - 1]! + list.length);
  return { starts, values: lists.flat() };
}

function columns<R extends object>(rows: readonly R[]): RowColumns<R> {
  const out = {} as { [K in keyof R]: R[K][] };
  for (const key of Object.keys(rows[0]!) as (keyof R)[]) out[key] = rows.map((r) => r[key]);
  return { rowCount: rows.length, columns: out };
}

async function appendAll(writer: IngestWriter): Promise<void> {
  await writer.appendDetection('signature_day', columns(SIGNATURES));
  await writer.appendDetection('signature_source_day', columns(SOURCES));
  await writer.appendDetection('backscatter_evidence', columns(EVIDENCE));
  await writer.appendDetection('scanner_evidence', columns(SCANNER_EVIDENCE));
  await writer.appendDetection('scanner_probes', columns(SCANNER_PROBES));
  await writer.appendDetection('signature_evidence', {
    rowCount: THRESHOLD_GROUPS.length,
    columns: { ...columns(THRESHOLD_GROUPS).columns, later: listOf(THRESHOLD_GROUPS, 'later'), packets: listOf(THRESHOLD_GROUPS, 'packets') },
  });
}

export function detectionCases(ctx: SuiteContext): void {
  test('appendDetection() rows come back exactly after commit, floats and text included', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const writer = await store.beginIngest(s.meta);
    await appendAll(writer);
    for (const view of ['signature_day', 'signature_source_day', 'signature_evidence', 'backscatter_evidence', 'scanner_evidence']) {
      expect(await store.query({ sql: `SELECT COUNT(*) AS n FROM ${view}`, params: [] })).toEqual([{ n: 0 }]);
    }
    const { id } = await writer.commit(s.observed.summary);
    const signatures = await store.query({
      sql: 'SELECT local_day AS "localDay", gid, sid, rev, category, msg, country, service, packets FROM signature_day WHERE sensor_id = ?',
      params: [s.tokyo.id],
    });
    expect(sorted(signatures)).toEqual(sorted(SIGNATURES));
    const sources = await store.query({ sql: 'SELECT local_day AS "localDay", category, src, country, packets FROM signature_source_day', params: [] });
    expect(sorted(sources)).toEqual(sorted(SOURCES));
    const evidence = await store.query({
      sql: 'SELECT sec, victim, proto, port, kind, dst, country, packets FROM backscatter_evidence WHERE ingest_id = ? AND sensor_id = ?',
      params: [id, s.tokyo.id],
    });
    expect(sorted(evidence)).toEqual(sorted(EVIDENCE));
    const scanners = await store.query({
      sql: `SELECT window_start AS "windowStart", window_end AS "windowEnd", src, country, asn, packets, first_sec AS "firstSec",
        last_sec AS "lastSec", zmap_packets AS "zmapPackets", masscan_packets AS "masscanPackets", mirai_packets AS "miraiPackets",
        nmap_packets AS "nmapPackets", addresses, services, dst, service FROM scanner_evidence WHERE ingest_id = ? AND sensor_id = ?`,
      params: [id, s.tokyo.id],
    });
    expect(sorted(scanners)).toEqual(sorted([...SCANNER_EVIDENCE, ...PROBES_AS_EVIDENCE]));
    const threshold = await store.query<Record<string, unknown>>({
      sql: `SELECT us, gid, sid, track, th_type AS "thType", th_count AS "thCount", th_seconds AS "thSeconds", src, dst,
        country, covered, matches, later, packets FROM signature_evidence WHERE ingest_id = ? AND sensor_id = ?`,
      params: [id, s.tokyo.id],
    });
    const asArrays = threshold.map((r) => ({ ...r, later: [...(r['later'] as number[])], packets: [...(r['packets'] as number[])] }));
    expect(sorted(asArrays)).toEqual(sorted(THRESHOLD_GROUPS));
    const byCategory = await store.query({
      sql: 'SELECT category, COUNT(DISTINCT src) AS sources, SUM(packets) AS packets FROM signature_source_day WHERE local_day >= ? GROUP BY category ORDER BY category',
      params: [DAY1],
    });
    expect(byCategory).toEqual([{ category: 'Scan(P2P)', sources: 1, packets: 1 }, { category: 'Worm', sources: 1, packets: 3 }]);
    await store.deleteIngest(id);
    for (const table of Object.values(DETECTION_TABLES)) {
      expect(await store.query({ sql: `SELECT COUNT(*) AS n FROM ${table.name}`, params: [] })).toEqual([{ n: 0 }]);
    }
  });

  test('appendDetection() rows go with a rollback, and a bad value names the table, row and column', async () => {
    const store = ctx.store();
    const s = await setUpScenario(store);
    const writer = await store.beginIngest(s.meta);
    await appendAll(writer);
    await writer.rollback();
    for (const table of Object.values(DETECTION_TABLES)) {
      expect(await store.query({ sql: `SELECT COUNT(*) AS n FROM ${table.name}`, params: [] })).toEqual([{ n: 0 }]);
    }
    const again = await store.beginIngest(s.meta);
    const bad = columns([{ ...EVIDENCE[0]!, port: -1 }]);
    await expect(again.appendDetection('backscatter_evidence', bad)).rejects.toThrow(/backscatter_evidence_rows row 0: port/);
    await again.rollback();
  });
}
