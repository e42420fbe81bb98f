/**
 * @module
 * Report composition: the quarterly (@police layout) and monthly (TALOT2
 * layout) documents of a period, computed from the store and the detection
 * input, in Japanese or English, ready for `renderReport`.
 */

export { composeMonthly } from './compose-monthly.js';
export { composeQuarterly } from './compose-quarterly.js';
export { type ComposeOptions } from './compose-options.js';
export {
  parseDetectionInput,
  type BackscatterInput,
  type DetectionInput,
  type SignatureInput,
} from './detection-input.js';
export { detectionInputFromStore } from './detection-from-store.js';
export { ComposeError } from './errors.js';
export { composeReport, REPORT_KINDS, type ComposableKind } from './compose-report.js';
export { generateReport, type GeneratedReport } from './generate-report.js';
