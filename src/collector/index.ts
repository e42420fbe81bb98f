/**
 * @module
 * The collector stage: the HTTPS service sensors upload capture segments and
 * heartbeats to (`startCollector`), their enrolment, and the status built
 * from what it recorded.
 */

export { startCollector, DEFAULT_DOWNTIME_AFTER_SEC, DEFAULT_MAX_SEGMENT_BYTES, DEFAULT_QUEUE, type Collector, type CollectorOptions } from './server.js';
export { certificateFingerprint, loadTls, storedFingerprint, type TlsMaterial } from './certificate.js';
export { defaultCollectorDir } from './data-dir.js';
export { enrollSensor, type EnrollRequest, type EnrollResult } from './enroll.js';
export { CollectorError, CollectorErrorCode, type CollectorErrorCodeValue } from './errors.js';
export { NOTES as OPERATING_NOTES } from './operating-time.js';
export { loadStatus } from './load-status.js';
export { sensorStatus, STATUS_DAYS, type DayStatus, type SensorStatus, type StatusInput } from './sensor-status.js';
