/**
 * @module
 * Errors of the store. Every one carries a stable `code` (style rule 15) so
 * the CLI and the HTTP layer can map it without parsing messages, plus the
 * context needed to act on it (the SQL and its parameters, the sensor, the
 * ingest that already holds a capture).
 */

export const StoreErrorCode = {
  /** A statement failed in the database, or its parameters could not be bound. */
  QUERY: 'TEITEN_STORE_QUERY',
  /** The store target (path or URL) cannot be opened. */
  OPEN: 'TEITEN_STORE_OPEN',
  /** The store was created with other fixed settings (time zone) or by a newer schema. */
  CONFIG: 'TEITEN_STORE_CONFIG',
  /** A sensor definition is malformed; `field` names the offending field. */
  INVALID_SENSOR: 'TEITEN_STORE_INVALID_SENSOR',
  /** A sensor with that name exists, or one of its addresses belongs to another sensor. */
  SENSOR_CONFLICT: 'TEITEN_STORE_SENSOR_CONFLICT',
  /** No sensor with that id or name. */
  SENSOR_NOT_FOUND: 'TEITEN_STORE_SENSOR_NOT_FOUND',
  /** The sensor still has ingested data and removal was not asked to delete it. */
  SENSOR_IN_USE: 'TEITEN_STORE_SENSOR_IN_USE',
  /** The same capture (same SHA-256) was already ingested for the sensor. */
  DUPLICATE_INGEST: 'TEITEN_STORE_DUPLICATE_INGEST',
  /** An ingest writer was used after commit or rollback. */
  WRITER_CLOSED: 'TEITEN_STORE_WRITER_CLOSED',
  /** Another ingest of the sensor, overlapping in time, committed while this one ran. */
  CONCURRENT_INGEST: 'TEITEN_STORE_CONCURRENT_INGEST',
  /** Another process holds the store (DuckDB file lock, ClickHouse commit lock) past the time allowed to wait. */
  LOCKED: 'TEITEN_STORE_LOCKED',
  /** A telescope definition is invalid, unknown, or names a sensor the store no longer has. */
  TELESCOPE: 'TEITEN_STORE_TELESCOPE',
} as const;
export type StoreErrorCodeValue = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

/** Base class: every store error has a code. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  readonly code: StoreErrorCodeValue;

  constructor(code: StoreErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
  }
}

const MAX_SQL_IN_MESSAGE = 200;

/** A statement that failed; `sql` and `params` are exactly what the caller passed. */
export class StoreQueryError extends StoreError {
  override readonly name = 'StoreQueryError';
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Numeric error code of the database when it gives one (ClickHouse `Code: 47`). */
  readonly dbCode: number | undefined;

  constructor(sql: string, params: readonly unknown[], options: { cause: unknown; dbCode?: number }) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    const shown = sql.length > MAX_SQL_IN_MESSAGE ? `${sql.slice(0, MAX_SQL_IN_MESSAGE)}…` : sql;
    super(StoreErrorCode.QUERY, `Cannot run query "${shown.replace(/\s+/g, ' ').trim()}": ${reason}`, options);
    this.sql = sql;
    this.params = params;
    this.dbCode = options.dbCode;
  }
}

/** The target cannot be opened: bad URL, locked DuckDB file, unreachable server. */
export class StoreOpenError extends StoreError {
  override readonly name = 'StoreOpenError';
  readonly target: string;

  constructor(target: string, detail: string, options?: { cause?: unknown }) {
    super(StoreErrorCode.OPEN, `Cannot open store ${target}: ${detail}`, options);
    this.target = target;
  }
}

/** Settings fixed at creation disagree with what was asked, or the schema is newer than this code. */
export class StoreConfigError extends StoreError {
  override readonly name = 'StoreConfigError';

  constructor(detail: string) {
    super(StoreErrorCode.CONFIG, `Cannot use store: ${detail}`);
  }
}

/** A malformed sensor definition; `field` is a path such as `addresses[2]`. */
export class SensorDefinitionError extends StoreError {
  override readonly name = 'SensorDefinitionError';
  readonly field: string;

  constructor(field: string, detail: string) {
    super(StoreErrorCode.INVALID_SENSOR, `Invalid sensor definition: ${field} ${detail}`);
    this.field = field;
  }
}

/** A sensor name or address already taken. */
export class SensorConflictError extends StoreError {
  override readonly name = 'SensorConflictError';

  constructor(detail: string) {
    super(StoreErrorCode.SENSOR_CONFLICT, `Cannot add sensor: ${detail}`);
  }
}

/** A telescope that cannot be defined or used; the message names the telescope and what is wrong. */
export class TelescopeError extends StoreError {
  override readonly name = 'TelescopeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(StoreErrorCode.TELESCOPE, message, options);
  }
}

export class SensorNotFoundError extends StoreError {
  override readonly name = 'SensorNotFoundError';
  readonly sensor: number | string;

  constructor(sensor: number | string) {
    super(
      StoreErrorCode.SENSOR_NOT_FOUND,
      `No sensor ${typeof sensor === 'number' ? `with id ${sensor}` : JSON.stringify(sensor)}`,
    );
    this.sensor = sensor;
  }
}

export class SensorInUseError extends StoreError {
  override readonly name = 'SensorInUseError';
  readonly sensorId: number | string;
  readonly ingests: number;

  /** `remedy` says, in the caller's terms, how to delete the data with the sensor. */
  constructor(sensorId: number | string, ingests: number, remedy = 'ask for its data to be deleted with it') {
    super(
      StoreErrorCode.SENSOR_IN_USE,
      `Cannot remove sensor ${sensorId}: it has ${ingests} ingested capture(s); ${remedy}`,
    );
    this.sensorId = sensorId;
    this.ingests = ingests;
  }
}

/** The capture was ingested before; `existingIngestId` is the earlier ingest. */
export class DuplicateIngestError extends StoreError {
  override readonly name = 'DuplicateIngestError';
  readonly sha256: string;
  readonly existingIngestId: number;
  /** File name the earlier ingest recorded. */
  readonly existingFileName: string;
  readonly fileName: string;

  constructor(sha256: string, existing: { id: number; fileName: string }, fileName: string) {
    super(
      StoreErrorCode.DUPLICATE_INGEST,
      `Cannot ingest ${fileName}: the same capture (sha256 ${sha256}) was already ingested as ingest ${existing.id} ` +
        `(${existing.fileName})`,
    );
    this.sha256 = sha256;
    this.existingIngestId = existing.id;
    this.existingFileName = existing.fileName;
    this.fileName = fileName;
  }
}

export class WriterClosedError extends StoreError {
  override readonly name = 'WriterClosedError';

  /** `failure`: what made a failed writer fail, kept as the cause and named in the message. */
  constructor(ingestId: number, state: string, failure?: unknown) {
    const why = failure === undefined ? '' : `: ${failure instanceof Error ? failure.message : String(failure)}`;
    super(StoreErrorCode.WRITER_CLOSED, `Cannot use the writer of ingest ${ingestId}: it is ${state}${why}`, {
      cause: failure,
    });
  }
}

/**
 * Another ingest of the sensor whose time span overlaps this one committed
 * after this one's overlap check had read the store, so this capture's
 * packets were not compared with it; nothing of this capture is stored, and
 * running it again compares them.
 */
export class ConcurrentIngestError extends StoreError {
  override readonly name = 'ConcurrentIngestError';
  readonly fileName: string;
  readonly otherIngestId: number;
  readonly otherFileName: string;

  constructor(fileName: string, other: { id: number; fileName: string; firstSec: number; lastSec: number }) {
    const iso = (sec: number): string => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');
    super(
      StoreErrorCode.CONCURRENT_INGEST,
      `Cannot ingest ${fileName}: ingest ${other.id} (${other.fileName}, ${iso(other.firstSec)} to ${iso(other.lastSec)}) ` +
        'of the same sensor committed while it ran and overlaps it in time, so duplicates were not checked against it; ' +
        'nothing of it was stored, run it again to ingest it with the check',
    );
    this.fileName = fileName;
    this.otherIngestId = other.id;
    this.otherFileName = other.fileName;
  }
}

/** The store is held by another process, or open in this one, for longer than the caller would wait. */
export class StoreLockedError extends StoreError {
  override readonly name = 'StoreLockedError';
  readonly target: string;
  /** Process id of the holder when the database names it. */
  readonly holderPid: number | undefined;
  readonly waitedSec: number;

  constructor(
    target: string,
    context: { holder: string; holderPid: number | undefined; waitedSec: number; hint: string; cause?: unknown },
  ) {
    const waited = context.waitedSec > 0 ? ` after waiting ${context.waitedSec} s` : '';
    super(StoreErrorCode.LOCKED, `Store ${target} is in use by ${context.holder}${waited}; ${context.hint}`, context);
    this.target = target;
    this.holderPid = context.holderPid;
    this.waitedSec = context.waitedSec;
  }
}
