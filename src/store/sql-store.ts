/**
 * @module
 * `SqlStore`: the `AnalyticsStore` both backends return. Everything above
 * the SQL seam (settings in `meta`, the sensor registry, ingest bookkeeping,
 * duplicate checks, retention) is written once here over a `SqlSession`;
 * the backends differ only in how they bind, insert, delete and commit.
 */

import { TzClock, assertTimeZone } from '../util/tz.js';
import { camelName, ColumnBuffer } from './column-buffer.js';
import { DuplicateIngestError, StoreConfigError } from './errors.js';
import { checkBytes, checkIngestContent } from './ingest-content.js';
import { SqlIngestWriter } from './ingest-writer.js';
import { copySourceRowsToKeys, dropOldSourceRows } from './migrate-source-keys.js';
import { copySourceRowsToLists, dropServiceSourceRows } from './migrate-source-lists.js';
import { copyScannerPieces, dropOldScannerPieces } from './migrate-scanner-pieces.js';
import { showScannerProbes } from './migrate-scanner-probes.js';
import { copyThresholdMatches, dropOldThresholdMatches } from './migrate-threshold-matches.js';
import { addTruncatedAt } from './migrate-truncated-at.js';
import { NetworkRecords } from './network-records.js';
import { applyRetention, type RetentionRun } from './apply-retention.js';
import { keptFromMeta, prunedMetaKey, retentionFromMeta, retentionMetaKey, type RetentionClass } from './retention.js';
import {
  DEFAULT_RAW_RETENTION_DAYS,
  DEFAULT_TIME_ZONE,
  INGEST_TABLES,
  INGESTS,
  META,
  MetaKey,
  SCHEMA_VERSION,
} from './schema.js';
import { addInterval, addSensor, loadSensor, loadSensors, removeSensor } from './sensor-registry.js';
import type { SqlSession } from './sql-session.js';
import type {
  AnalyticsStore,
  IngestMeta,
  IngestRecord,
  IngestWriter,
  IntervalInput,
  Sensor,
  SensorDefinition,
  SensorInterval,
  SqlQuery,
  StoreKind,
  StoreOptions,
  RetentionRequest,
  StoreSettings,
} from './store.js';

const MS_PER_SECOND = 1000;
const INGEST_COLUMNS = INGESTS.columns.map((c) => c.name).join(', ');

/** One schema upgrade: from version `from` to the next, its rows copied before and old tables dropped after the version is stored. */
interface Migration {
  from: number;
  copy?: (session: SqlSession) => Promise<unknown>;
  dropOld?: (session: SqlSession) => Promise<void>;
}

/** Every upgrade, in order; `migrate()` runs those from the stored version on. */
const MIGRATIONS: readonly Migration[] = [
  { from: 1, copy: copySourceRowsToKeys, dropOld: dropOldSourceRows },
  { from: 2, copy: addTruncatedAt },
  { from: 3, copy: copySourceRowsToLists, dropOld: dropServiceSourceRows },
  // Schema 5 adds `signature_evidence` (made by createSchema); an older program would ignore it.
  { from: 4 },
  { from: 5, copy: copyThresholdMatches, dropOld: dropOldThresholdMatches },
  { from: 6, copy: copyScannerPieces, dropOld: dropOldScannerPieces },
  { from: 7, copy: showScannerProbes },
];

export class SqlStore implements AnalyticsStore {
  private readonly session: SqlSession;
  private readonly options: StoreOptions;
  private readonly now: () => number;
  private current: StoreSettings | undefined;
  readonly network: NetworkRecords;

  constructor(session: SqlSession, options: StoreOptions = {}) {
    this.session = session;
    this.network = new NetworkRecords(session);
    this.options = options;
    this.now = options.now ?? (() => Date.now() / MS_PER_SECOND);
    if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
    const block = options.ingestBlockRows;
    if (block !== undefined && (!Number.isSafeInteger(block) || block < 1)) {
      throw new RangeError(`Cannot open store: ingestBlockRows must be a whole number >= 1, got ${block}`);
    }
    const days = options.rawRetentionDays;
    if (days !== undefined && (!Number.isSafeInteger(days) || days < 0)) {
      throw new RangeError(`Cannot open store: rawRetentionDays must be a whole number of days >= 0, got ${days}`);
    }
    for (const [name, kept] of Object.entries(options.retention ?? {})) {
      if (kept === null ? name === 'packets' : !Number.isSafeInteger(kept) || kept < 0) {
        throw new RangeError(`Cannot open store: retention ${name} must be a whole number of days >= 0, got ${kept}`);
      }
    }
    const packets = options.retention?.packets;
    if (packets !== undefined && days !== undefined && packets !== days) {
      throw new RangeError(`Cannot open store: retention packets=${packets} disagrees with rawRetentionDays ${days}`);
    }
  }

  get kind(): StoreKind {
    return this.session.kind;
  }

  get settings(): StoreSettings {
    if (this.current === undefined) throw new StoreConfigError('settings are read by migrate(); call it first');
    return this.current;
  }

  async migrate(): Promise<StoreSettings> {
    await this.session.createSchema();
    const stored = await this.readMeta();
    const version = stored.get(MetaKey.SCHEMA_VERSION);
    if (version === undefined) {
      const created = {
        [MetaKey.SCHEMA_VERSION]: String(SCHEMA_VERSION),
        [MetaKey.TIME_ZONE]: this.options.timeZone ?? DEFAULT_TIME_ZONE,
        [MetaKey.RAW_RETENTION_DAYS]: String(this.options.rawRetentionDays ?? DEFAULT_RAW_RETENTION_DAYS),
        [MetaKey.CREATED_SEC]: String(Math.floor(this.now())),
      };
      const buffer = new ColumnBuffer(META);
      for (const [key, value] of Object.entries(created)) buffer.addValues([key, value]);
      await this.session.insert(buffer.take());
      for (const [key, value] of Object.entries(created)) stored.set(key, value);
    } else if (Number(version) > SCHEMA_VERSION) {
      throw new StoreConfigError(`its schema version ${version} is newer than this program's ${SCHEMA_VERSION}`);
    } else {
      for (const step of MIGRATIONS) {
        if (Number(stored.get(MetaKey.SCHEMA_VERSION)) !== step.from) continue;
        await step.copy?.(this.session);
        const to = String(step.from + 1);
        await this.setMeta(MetaKey.SCHEMA_VERSION, to);
        stored.set(MetaKey.SCHEMA_VERSION, to);
        // Only once the store says the new version: an interrupted upgrade starts over from the old tables.
        await step.dropOld?.(this.session);
      }
    }
    const timeZone = stored.get(MetaKey.TIME_ZONE) ?? DEFAULT_TIME_ZONE;
    if (this.options.timeZone !== undefined && this.options.timeZone !== timeZone) {
      throw new StoreConfigError(
        `it was created for time zone ${timeZone}, not ${this.options.timeZone}; rollups are local to it`,
      );
    }
    const wanted: Partial<Record<RetentionClass, number | null>> = { ...this.options.retention };
    if (this.options.rawRetentionDays !== undefined) wanted.packets = this.options.rawRetentionDays;
    for (const [name, kept] of Object.entries(wanted) as [RetentionClass, number | null][]) {
      const key = retentionMetaKey(name);
      const value = kept === null ? '' : String(kept);
      if ((stored.get(key) ?? '') === value) continue;
      await this.setMeta(key, value);
      stored.set(key, value);
    }
    const rawRetentionDays = Number(stored.get(MetaKey.RAW_RETENTION_DAYS) ?? DEFAULT_RAW_RETENTION_DAYS);
    this.current = {
      schemaVersion: Number(stored.get(MetaKey.SCHEMA_VERSION)),
      timeZone,
      rawRetentionDays,
      retention: retentionFromMeta(stored, rawRetentionDays),
      keptFromDay: keptFromMeta(stored),
      createdSec: Number(stored.get(MetaKey.CREATED_SEC) ?? 0),
    };
    return this.current;
  }

  close(): Promise<void> {
    return this.session.close();
  }

  query<T = Record<string, unknown>>(q: SqlQuery): Promise<T[]> {
    return this.session.all<T>(q);
  }

  async getMeta(key: string): Promise<string | undefined> {
    return (await this.readMeta()).get(key);
  }

  async setMeta(key: string, value: string): Promise<void> {
    const buffer = new ColumnBuffer(META);
    buffer.addValues([key, value]);
    await this.session.transaction(async (tx) => {
      await tx.deleteWhere(META, { sql: 'key = ?', params: [key] });
      await tx.insert(buffer.take());
    });
  }

  addSensor(definition: SensorDefinition): Promise<Sensor> {
    return addSensor(this.session, definition, { defaultTimeZone: this.settings.timeZone, nowSec: this.now() });
  }

  listSensors(): Promise<Sensor[]> {
    return loadSensors(this.session);
  }

  async findSensor(name: string): Promise<Sensor | undefined> {
    return (await loadSensors(this.session, { sql: 'name = ?', params: [name] }))[0];
  }

  async removeSensor(sensorId: number, options: { withData?: boolean } = {}): Promise<void> {
    await removeSensor(this.session, sensorId, options.withData === true);
    await this.network.removeSensor(sensorId);
  }

  addDowntime(sensorId: number, interval: IntervalInput): Promise<SensorInterval> {
    return addInterval(this.session, sensorId, { kind: 'down', interval });
  }

  addOperating(sensorId: number, interval: IntervalInput): Promise<SensorInterval> {
    return addInterval(this.session, sensorId, { kind: 'operating', interval });
  }

  async sensorIntervals(sensorId: number): Promise<SensorInterval[]> {
    return [...(await loadSensor(this.session, sensorId)).intervals];
  }

  async findIngestByHash(sensorId: number, sha256: string): Promise<IngestRecord | undefined> {
    return (await this.ingests({ sql: 'sensor_id = ? AND sha256 = ?', params: [sensorId, sha256.toLowerCase()] }))[0];
  }

  listIngests(sensorId?: number): Promise<IngestRecord[]> {
    return sensorId === undefined ? this.ingests() : this.ingests({ sql: 'sensor_id = ?', params: [sensorId] });
  }

  async beginIngest(input: IngestMeta): Promise<IngestWriter> {
    const meta = checkIngestMeta(input);
    const { timeZone, rawRetentionDays } = this.settings;
    await loadSensor(this.session, meta.sensorId);
    const findDuplicate = (sha256 = meta.sha256): Promise<IngestRecord | undefined> =>
      this.findIngestByHash(meta.sensorId, sha256);
    // An empty hash means "known at commit", where the check runs again in any case.
    const existing = meta.sha256 === '' ? undefined : await findDuplicate();
    if (existing !== undefined) throw new DuplicateIngestError(meta.sha256, existing, meta.fileName);
    const listIngests = (): Promise<IngestRecord[]> => this.listIngests(meta.sensorId);
    const seen = input.seenIngestIds ?? (await listIngests()).map((r) => r.id);
    const ingestId = await this.session.nextId('ingest');
    const sink = await this.session.openIngest(ingestId);
    return new SqlIngestWriter(sink, {
      ingestId,
      meta,
      seenIngestIds: new Set(seen),
      listIngests,
      exclusive: (fn) => this.session.exclusive(`ingest_sensor_${meta.sensorId}`, fn),
      keepsRawPackets: rawRetentionDays > 0,
      blockRows: this.options.ingestBlockRows,
      clock: new TzClock(timeZone),
      startedSec: Math.floor(this.now()),
      now: this.now,
      findDuplicate,
      run: (query) => this.session.all(query),
    });
  }

  async deleteIngest(ingestId: number): Promise<void> {
    const where = { sql: 'ingest_id = ?', params: [ingestId] };
    await this.session.transaction(async (tx) => {
      await tx.deleteWhere(INGESTS, { sql: 'id = ?', params: [ingestId] });
      for (const table of INGEST_TABLES) await tx.deleteWhere(table, where);
    });
  }

  async applyRetention(options: RetentionRequest = {}): Promise<RetentionRun> {
    const { timeZone, keptFromDay } = this.settings;
    const dryRun = options.dryRun === true;
    if (!dryRun && options.retention !== undefined) {
      throw new TypeError('Cannot apply retention: a retention for one run is for dry runs; record it with openStore');
    }
    const retention = { ...this.settings.retention, ...options.retention };
    const run = await applyRetention(this.session, { retention, timeZone, nowSec: this.now(), dryRun });
    if (dryRun) return run;
    // Recorded once every delete of the class is done: the analyses say "pruned" for days before it.
    const kept = { ...keptFromDay };
    for (const step of run.steps) {
      const before = kept[step.class];
      if (before !== null && before >= step.keptFromDay) continue;
      kept[step.class] = step.keptFromDay;
      await this.setMeta(prunedMetaKey(step.class), String(step.keptFromDay));
    }
    this.current = { ...this.settings, keptFromDay: kept };
    return run;
  }

  private async readMeta(): Promise<Map<string, string>> {
    const rows = await this.session.all<{ key: string; value: string }>({
      sql: `SELECT key, value FROM ${META.name} ORDER BY key`,
      params: [],
    });
    return new Map(rows.map((r) => [r.key, r.value]));
  }

  private async ingests(where?: { sql: string; params: unknown[] }): Promise<IngestRecord[]> {
    const rows = await this.session.all<Record<string, unknown>>({
      sql: `SELECT ${INGEST_COLUMNS} FROM ${INGESTS.name}${where ? ` WHERE ${where.sql}` : ''} ORDER BY id`,
      params: where?.params ?? [],
    });
    return rows.map(
      (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [camelName(k), v])) as unknown as IngestRecord,
    );
  }
}

/** Checks the pipeline's ingest metadata and fills the optional GeoIP fields; `sha256` may be '' (known at commit). */
function checkIngestMeta(meta: IngestMeta): Omit<Required<IngestMeta>, 'seenIngestIds'> {
  if (typeof meta.fileName !== 'string') throw new TypeError('Cannot begin ingest: fileName must be a string');
  const content =
    meta.sha256 === ''
      ? { sha256: '', bytes: checkBytes(meta.fileName, meta.bytes) }
      : checkIngestContent(meta.fileName, meta);
  return {
    sensorId: meta.sensorId,
    fileName: meta.fileName,
    ...content,
    geoipDb: meta.geoipDb ?? '',
    geoipBuildSec: meta.geoipBuildSec ?? 0,
    asnDb: meta.asnDb ?? '',
  };
}
