/**
 * @module
 * The store stage: `openStore(target)` picks a backend from the target
 * (`clickhouse://…` → ClickHouse, anything else → a DuckDB file path or
 * `:memory:`), loads only that backend, and migrates it. `STORES` is the
 * name-keyed registry the CLI lists as `--store` choices.
 */

import type { AnalyticsStore, StoreKind, StoreOptions } from './store.js';

export interface StoreBackend {
  readonly description: string;
  readonly example: string;
  open(target: string, options: StoreOptions): Promise<AnalyticsStore>;
  /** Whether a store is there already; never creates one. */
  exists(target: string): Promise<boolean>;
}

export const STORES: Readonly<Record<StoreKind, StoreBackend>> = {
  duckdb: {
    description: 'embedded DuckDB database file, no set-up (default)',
    example: 'teiten.duckdb',
    open: async (target, options) => (await import('./duckdb/index.js')).openDuckDbStore(target, options),
    exists: async (target) => (await import('./duckdb/index.js')).duckDbStoreExists(target),
  },
  clickhouse: {
    description: 'ClickHouse server over HTTP',
    example: 'clickhouse://127.0.0.1:8123/teiten',
    open: async (target, options) => (await import('./clickhouse/index.js')).openClickHouseStore(target, options),
    exists: async (target) => (await import('./clickhouse/index.js')).clickHouseStoreExists(target),
  },
};

/** The file a store is created in when none is named. */
export const DEFAULT_STORE_PATH = 'teiten.duckdb';

/** Which backend serves `target`. */
export function storeKindOf(target: string): StoreKind {
  return /^(clickhouse|https?):\/\//i.test(target) ? 'clickhouse' : 'duckdb';
}

export interface OpenStoreOptions extends StoreOptions {
  /** Run `migrate()` before returning (default true). */
  migrate?: boolean;
}

/** Whether a store exists at `target` (a DuckDB file, a ClickHouse database with teiten's tables); creates nothing. */
export function storeExists(target: string): Promise<boolean> {
  return STORES[storeKindOf(target)].exists(target);
}

/** Opens the store at `target` and, unless told not to, migrates it. */
export async function openStore(target: string, options: OpenStoreOptions = {}): Promise<AnalyticsStore> {
  const { migrate = true, ...storeOptions } = options;
  const store = await STORES[storeKindOf(target)].open(target, storeOptions);
  if (migrate) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  }
  return store;
}

export type {
  AnalyticsStore,
  IngestContent,
  IngestMeta,
  IngestRecord,
  IngestSummary,
  IngestWriter,
  IntervalInput,
  IntervalKind,
  Sensor,
  RowColumns,
  SensorAddress,
  SensorDefinition,
  SensorInterval,
  SourceKeyColumns,
  SourceKeyRow,
  SourceRow,
  SqlQuery,
  StoreKind,
  StoreOptions,
  StoreSettings,
  TrafficRow,
} from './store.js';
export { formatRetention, parseRetention, type RetentionClass } from './retention.js';
export type { RetentionRun, RetentionStep } from './apply-retention.js';
export {
  DuplicateIngestError,
  SensorConflictError,
  SensorDefinitionError,
  SensorInUseError,
  SensorNotFoundError,
  ConcurrentIngestError,
  TelescopeError,
  StoreError,
  StoreErrorCode,
  type StoreErrorCodeValue,
} from './errors.js';
export { defineTelescope, listTelescopes, removeTelescope, telescopeSensors, type Telescope } from './telescopes.js';
export { OPEN_END_SEC, SCHEMA_VERSION } from './schema.js';
export { CHAIN, CHAIN_SRC } from './threshold-chains.js';
export { AddressMatcher } from './address-matcher.js';
export {
  addressDays,
  observedSegments,
  type AddressDay,
  type AddressDaysResult,
  type Segment,
} from './address-days.js';
export { type ParsedSensorDefinition } from './sensor-definition.js';
export { ephemeralSportClass, formatSportClass, sportClassOf } from './sport-class.js';
export type { ListValues } from './list-column.js';
export { IPV6_KEY_BASE } from './source-key.js';
export { requireSourceKeyTexts } from './ipv6-sources.js';
export type {
  BackscatterDayRow,
  BackscatterEvidenceRow,
  BackscatterVictimDayRow,
  DetectionColumns,
  DetectionRows,
  DetectionRunRow,
  DetectionTable,
  ScannerEvidenceRow,
  SignatureDayRow,
  SignatureEvidenceRow,
  SignatureRuleRow,
  SignatureSourceDayRow,
} from './detection-rows.js';
export { type HeartbeatRow, type SegmentRow, type SensorKeyRow, type SpoolLossRow } from './network-records.js';
