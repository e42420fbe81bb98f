/**
 * @module
 * The ingest stage: captures into the store, one streaming pass per file
 * (`ingestCapture`), with the duplicate-capture and overlap rules, the
 * rollups, and the errors the CLI maps.
 */

export { ingestCapture, geoMeta, type IngestOptions, type IngestProgress, type IngestResult } from './ingest-capture.js';
export { DEFAULT_RECENT_PACKETS, DUPLICATE } from './duplicate-filter.js';
export { CHUNK_SECONDS } from './stored-packets.js';
export {
  defaultDetectionSetup, DetectionSetupError, DetectionSetupErrorCode, loadDetectionSetup,
  type DetectionFile, type DetectionSetup, type DetectionSetupOptions, type RuleFileLoad, type SignatureSetup,
} from './detect-setup.js';
export { DetectionPass, type DetectionSummary } from './detection-pass.js';
export {
  IngestErrorCode, IngestFailedError, isoSeconds, NotTheSensorsCaptureError, OverlapUncheckedError, type IngestErrorCodeValue, type OverlappedIngest,
} from './errors.js';
export { DEFAULT_MEMORY_BUDGET, storeMemoryShare, tableMemoryShare } from './memory-budget.js';
