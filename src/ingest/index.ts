/**
 * @module
 * The ingest stage: captures into the store, one streaming pass per file
 * (`ingestCapture`), with the duplicate-capture and overlap rules, the
 * rollups, and the errors the CLI maps.
 */

export { ingestCapture, type IngestOptions, type IngestProgress, type IngestResult } from './ingest-capture.js';
export {
  defaultDetectionSetup,
  DetectionSetupError,
  loadDetectionSetup,
  type DetectionFile,
  type DetectionSetup,
  type DetectionSetupOptions,
  type RuleFileLoad,
  type SignatureSetup,
} from './detect-setup.js';
export { type DetectionSummary } from './detection-pass.js';
export { isoSeconds, OverlapUncheckedError, type OverlappedIngest } from './errors.js';
export { DEFAULT_MEMORY_BUDGET, storeMemoryShare } from './memory-budget.js';
