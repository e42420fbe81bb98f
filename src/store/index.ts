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
}

export const STORES: Readonly<Record<StoreKind, StoreBackend>> = {
  duckdb: {
    description: 'embedded DuckDB database file, no set-up (default)',
    example: 'teiten.duckdb',
    open: async (target, options) => (await import('./duckdb/index.js')).openDuckDbStore(target, options),
  },
  clickhouse: {
    description: 'ClickHouse server over HTTP',
    example: 'clickhouse://127.0.0.1:8123/teiten',
    open: async (target, options) => (await import('./clickhouse/index.js')).openClickHouseStore(target, options),
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
  AnalyticsStore, IngestContent, IngestMeta, IngestRecord, IngestSummary, IngestWriter, IntervalInput, IntervalKind, Sensor,
  RowColumns, SensorAddress, SensorDefinition, SensorInterval, SourceKeyRow, SourceRow, SqlQuery, StoreKind, StoreOptions, StoreSettings,
  TrafficRow,
} from './store.js';
export {
  DuplicateIngestError, SensorConflictError, SensorDefinitionError, SensorInUseError, SensorNotFoundError,
  ConcurrentIngestError, StoreConfigError, StoreError, StoreErrorCode, StoreLockedError, StoreOpenError, StoreQueryError,
  WriterClosedError,
  type StoreErrorCodeValue,
} from './errors.js';
export { DEFAULT_RAW_RETENTION_DAYS, DEFAULT_TIME_ZONE, OPEN_END_SEC, SCHEMA_VERSION } from './schema.js';
export { AddressMatcher, NO_SENSOR } from './address-matcher.js';
export { addressDays, observedSegments, type AddressDay, type AddressDaysResult, type Segment } from './address-days.js';
export { IPV6_ENTRY_ADDRESS_COUNT, parseAddressBlock } from './address-block.js';
export { parseInterval, parseSensorDefinition, type ParsedSensorDefinition } from './sensor-definition.js';
export {
  EPHEMERAL_PART, FIRST_EPHEMERAL_PORT, ephemeralSportClass, fillSportClasses, formatSportClass,
  isEphemeralSportClass, sportClassOf,
} from './sport-class.js';
export { withIngest } from './ingest-writer.js';
export { IPV6_KEY_BASE, isIpv6SourceKey } from './source-key.js';
export { requireSourceKeyTexts, sourceKeyTexts } from './ipv6-sources.js';
export type {
  BackscatterDayRow, BackscatterEvidenceRow, BackscatterVictimDayRow, DetectionRows, DetectionRunRow, DetectionTable,
  ScannerEvidenceRow, SignatureDayRow, SignatureSourceDayRow,
} from './detection-rows.js';
export { RAW_PAYLOAD_BYTES } from './packet-rows.js';
export { NetworkRecords, type HeartbeatRow, type SegmentRow, type SensorKeyRow, type SpoolLossRow } from './network-records.js';
