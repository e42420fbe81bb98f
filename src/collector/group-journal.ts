/**
 * @module
 * The group commit's intent journal. A group of segments is one engine
 * ingest, whose commit (the `ingests` row, written last) makes all its rows
 * visible at once; the segments' own rows (`collector_segments`, the
 * idempotency key) are written right after. A collector killed between the
 * two would leave packets counted under no segment, and the re-sent segments
 * could not be recognised by their hash (the ingest's hash is the group's).
 * So before the ingest begins, the group's segment rows are written to
 * `groups/<id>.json` and fsynced; at start-up `recoverGroups` completes
 * every group whose ingest (named after the journal) committed and drops
 * the others, whose segments were never acknowledged and are sent again.
 */

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurable } from '../sensor/index.js';
import type { AnalyticsStore, IngestRecord, SegmentRow } from '../store/index.js';

const GROUPS_DIR = 'groups';
const SUFFIX = '.json';

/** A group's segments before its ingest exists: the ingest fields are filled from the committed record. */
export type PendingRow = Omit<SegmentRow, 'ingestId' | 'packetsRead' | 'packetsCounted'>;

export interface GroupIntent {
  readonly id: string;
  readonly sensorId: number;
  /** The group ingest's file name, by which recovery finds it. */
  readonly fileName: string;
  readonly rows: readonly PendingRow[];
}

export class GroupJournal {
  private constructor(readonly dir: string) {}

  static async open(dataDir: string): Promise<GroupJournal> {
    const dir = join(dataDir, GROUPS_DIR);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new GroupJournal(dir);
  }

  /** Records the group durably; its ingest must be named `intent.fileName`. */
  async begin(sensorId: number, rows: readonly PendingRow[]): Promise<GroupIntent> {
    const id = randomUUID();
    const first = rows[0]!.sequence;
    const last = rows[rows.length - 1]!.sequence;
    const intent: GroupIntent = {
      id,
      sensorId,
      fileName: `segments #${first}-#${last} (${rows.length}, group ${id})`,
      rows,
    };
    await writeFileDurable(this.dir, id + SUFFIX, JSON.stringify(intent));
    return intent;
  }

  async end(intent: GroupIntent): Promise<void> {
    await rm(join(this.dir, intent.id + SUFFIX), { force: true });
  }

  /** Completes the groups whose ingest committed before the collector stopped; returns how many. */
  async recover(store: AnalyticsStore): Promise<number> {
    let completed = 0;
    for (const name of await readdir(this.dir)) {
      const path = join(this.dir, name);
      if (!name.endsWith(SUFFIX)) {
        await rm(path, { force: true }); // a journal file cut short before its rename: its ingest never began
        continue;
      }
      const intent = JSON.parse(await readFile(path, 'utf8')) as GroupIntent;
      const record = (await store.listIngests(intent.sensorId)).find((r) => r.fileName === intent.fileName);
      if (record !== undefined) {
        for (const row of groupRows(intent.rows, record)) {
          if ((await store.network.findSegment(row.sensorId, row.segmentId, row.sequence)) === undefined)
            await store.network.addSegment(row);
        }
        completed++;
      }
      await rm(path, { force: true });
    }
    return completed;
  }
}

/**
 * The segment rows of a committed group. Each segment's packets read are its
 * own (its records, checked against its metadata); what the ingest counted
 * is known for the group only, so the group's first segment carries it and
 * the others 0: sums over segments stay exact.
 */
export function groupRows(rows: readonly PendingRow[], record: IngestRecord): SegmentRow[] {
  return rows.map((row, i) => ({
    ...row,
    ingestId: record.id,
    packetsRead: row.packets,
    packetsCounted: i === 0 ? record.packetsCounted : 0,
  }));
}
