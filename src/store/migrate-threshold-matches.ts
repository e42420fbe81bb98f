/**
 * @module
 * Schema 5 → 6: threshold evidence moves from one row per match with text
 * columns (`signature_evidence_rows`) to one row per group of matches
 * (`SIGNATURE_EVIDENCE`: rule, second, source key, tracked destination key,
 * country, covered, whether its packets are named) with each match's
 * microsecond in the row, and each ingest's rule texts once in
 * `signature_rules`. Runs inside `migrate()` after the schema-6 tables
 * exist, about 200,000 rows at a time (an ingest's days together, a larger
 * day in pieces of whole seconds, so a group is never split), so a large
 * store never sits in memory. Rows of ingests that never committed are left
 * behind with the old table.
 *
 * What the read decides from is kept exactly: every match's time, the chain
 * (rule and tracked address), what an alert records, and, for a packet that
 * matched two threshold rules of one category, which packet it was (its
 * number within the ingest + 1, as a new ingest writes it). The destination
 * service, stored before and read by no figure, is dropped.
 *
 * Safe to interrupt: the new tables are emptied before the copy, the view is
 * pointed at the new table only after the copy, the old table is dropped
 * only after the stored version says 6. A rerun starts over.
 */

import { ColumnBuffer } from './column-buffer.js';
import { SourceKeyAssignments, type RunQuery } from './ipv6-sources.js';
import { INGESTS, SIGNATURE_EVIDENCE, SIGNATURE_RULES } from './schema.js';
import type { SqlSession } from './sql-session.js';
import { tableExists } from './table-exists.js';

/** The schema-5 table. */
const OLD_TABLE = 'signature_evidence_rows';
const US_PER_SEC = 1_000_000;
/** Rows copied per read, about: an ingest's days together up to this, a larger day in pieces. */
const CHUNK_ROWS = 200_000;
/** `THRESHOLD_TRACKS` codes whose key holds the destination: `by_dst` (the key) and `by_both` (`src/dst`). */
const BY_DST = 1;
const BY_BOTH = 3;

interface OldRow {
  sensor_id: number;
  us: number;
  seq: number;
  gid: number;
  sid: number;
  category: string;
  track: number;
  th_type: number;
  th_count: number;
  th_seconds: number;
  track_key: string;
  src: string;
  country: number;
  covered: number;
}

interface Group {
  row: OldRow;
  src: number;
  dst: number;
  named: boolean;
  /** Each match's microsecond in its second and packet number (0 when not named). */
  matches: { micro: number; packet: number }[];
}

export interface DayCount {
  ingest_id: number;
  local_day: number;
  n: number;
  first: number;
  last: number;
}

const numbers = (d: DayCount): DayCount => ({
  ingest_id: Number(d.ingest_id),
  local_day: Number(d.local_day),
  n: Number(d.n),
  first: Number(d.first),
  last: Number(d.last),
});

/** One read of the copy: an ingest's days `fromDay … toDay`, microseconds `fromUs` up to `toUs`. */
interface Chunk {
  ingestId: number;
  fromDay: number;
  toDay: number;
  fromUs: number;
  toUs: number;
}

/**
 * Reads of about `CHUNK_ROWS` rows: an ingest's consecutive days together,
 * a larger day in pieces of whole seconds (a group never spans two reads).
 */
export function* chunksOf(days: readonly DayCount[]): Generator<Chunk> {
  let open: (Chunk & { rows: number }) | undefined;
  for (const d of days) {
    const fromUs = Math.floor(d.first / US_PER_SEC) * US_PER_SEC;
    const toUs = d.last + 1;
    if (open !== undefined && (open.ingestId !== d.ingest_id || open.rows + d.n > CHUNK_ROWS)) {
      yield open;
      open = undefined;
    }
    if (d.n > CHUNK_ROWS) {
      const pieces = Math.ceil(d.n / CHUNK_ROWS);
      const step = Math.ceil((toUs - fromUs) / pieces / US_PER_SEC) * US_PER_SEC;
      for (let at = fromUs; at < toUs; at += step)
        yield { ingestId: d.ingest_id, fromDay: d.local_day, toDay: d.local_day, fromUs: at, toUs: at + step };
      continue;
    }
    if (open === undefined)
      open = { ingestId: d.ingest_id, fromDay: d.local_day, toDay: d.local_day, fromUs, toUs, rows: 0 };
    open.toDay = d.local_day;
    open.fromUs = Math.min(open.fromUs, fromUs);
    open.toUs = Math.max(open.toUs, toUs);
    open.rows += d.n;
  }
  if (open !== undefined) yield open;
}

/** Copies the schema-5 rows into the schema-6 tables and points the view at them; returns matches copied. */
export async function copyThresholdMatches(session: SqlSession): Promise<number> {
  if (!(await tableExists(session, OLD_TABLE))) return 0;
  const all = { sql: '1 = 1', params: [] };
  await session.deleteWhere(SIGNATURE_EVIDENCE, all);
  await session.deleteWhere(SIGNATURE_RULES, all);
  const committed = `ingest_id IN (SELECT id FROM ${INGESTS.name})`;
  await session.run({
    sql: `INSERT INTO ${SIGNATURE_RULES.name} (ingest_id, sensor_id, gid, sid, category, msg)
      SELECT ingest_id, sensor_id, gid, sid, MAX(category), MAX(msg) FROM ${OLD_TABLE} WHERE ${committed}
      GROUP BY ingest_id, sensor_id, gid, sid`,
    params: [],
  });
  const days = await session.all<DayCount>({
    sql: `SELECT ingest_id, local_day, COUNT(*) AS n, MIN(us) AS first, MAX(us) AS last FROM ${OLD_TABLE}
      WHERE ${committed} GROUP BY ingest_id, local_day ORDER BY ingest_id, local_day`,
    params: [],
  });
  const keys = new SourceKeyAssignments();
  let copied = 0;
  for (const chunk of chunksOf(days.map(numbers))) {
    const rows = await session.all<OldRow>({
      sql: `SELECT sensor_id, us, seq, gid, sid, category, track, th_type, th_count, th_seconds, track_key, src,
        country, covered FROM ${OLD_TABLE}
        WHERE ingest_id = ? AND local_day >= ? AND local_day <= ? AND us >= ? AND us < ?`,
      params: [chunk.ingestId, chunk.fromDay, chunk.toDay, chunk.fromUs, chunk.toUs],
    });
    if (rows.length === 0) continue;
    await copyChunk(session, { ingestId: chunk.ingestId, rows, keys });
    copied += rows.length;
  }
  await session.dropView(SIGNATURE_EVIDENCE.view!);
  await session.createSchema();
  return copied;
}

/** The destination text a schema-5 tracked key holds, or null when the rule does not track the destination. */
function dstText(track: number, trackKey: string): string | null {
  if (track === BY_DST) return trackKey;
  if (track === BY_BOTH) return trackKey.slice(trackKey.indexOf('/') + 1);
  return null;
}

/** Groups one ingest's matches of whole seconds and writes them. */
async function copyChunk(
  session: SqlSession,
  chunk: { ingestId: number; rows: OldRow[]; keys: SourceKeyAssignments },
): Promise<void> {
  const { rows, keys, ingestId } = chunk;
  for (const r of rows)
    for (const k of [
      'us',
      'seq',
      'gid',
      'sid',
      'track',
      'th_type',
      'th_count',
      'th_seconds',
      'country',
      'covered',
      'sensor_id',
    ] as const)
      r[k] = Number(r[k]);
  const run: RunQuery = (q) => session.all(q);
  const src = await keys.sourceKeysOf(
    rows.map((r) => r.src),
    run,
  );
  const dstTexts = rows.map((r) => dstText(r.track, r.track_key));
  const dstKeys = await keys.sourceKeysOf(
    dstTexts.filter((t): t is string => t !== null),
    run,
  );
  // A packet with two threshold matches of one category is named, so the read counts it once there.
  const perPacket = new Map<string, number>();
  for (const r of rows) perPacket.set(`${r.seq}:${r.category}`, (perPacket.get(`${r.seq}:${r.category}`) ?? 0) + 1);
  const groups = new Map<string, Group>();
  let d = 0;
  rows.forEach((r, i) => {
    const dst = dstTexts[i] === null ? 0 : dstKeys[d++]!;
    const packet = perPacket.get(`${r.seq}:${r.category}`)! > 1 ? r.seq + 1 : 0;
    const sec = Math.floor(r.us / US_PER_SEC);
    const key = [
      r.gid,
      r.sid,
      r.track,
      r.th_type,
      r.th_count,
      r.th_seconds,
      sec,
      src[i],
      dst,
      r.country,
      r.covered,
      packet !== 0,
    ].join(':');
    const match = { micro: r.us - sec * US_PER_SEC, packet };
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { row: r, src: src[i]!, dst, named: packet !== 0, matches: [match] });
    else group.matches.push(match);
  });
  const buffer = new ColumnBuffer(SIGNATURE_EVIDENCE);
  for (const g of groups.values()) {
    const r = g.row;
    const matches = g.matches.sort((a, b) => a.micro - b.micro || a.packet - b.packet);
    const first = matches[0]!.micro;
    buffer.addObject(
      {
        us: Math.floor(r.us / US_PER_SEC) * US_PER_SEC + first,
        gid: r.gid,
        sid: r.sid,
        track: r.track,
        thType: r.th_type,
        thCount: r.th_count,
        thSeconds: r.th_seconds,
        src: g.src,
        dst: g.dst,
        country: r.country,
        covered: r.covered,
        matches: matches.length,
        later: matches.slice(1).map((m, k) => m.micro - matches[k]!.micro),
        packets: g.named ? matches.map((m) => m.packet) : [],
      },
      { ingest_id: ingestId, sensor_id: r.sensor_id },
    );
  }
  await session.insert(buffer.take());
  const dictionary = keys.takeNewRows();
  if (dictionary !== null) await session.insert(dictionary);
}

/** Drops the schema-5 table once the store says version 6. */
export async function dropOldThresholdMatches(session: SqlSession): Promise<void> {
  await session.dropTable(OLD_TABLE);
}
