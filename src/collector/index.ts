/**
 * @module
 * The collector stage: the HTTPS service sensors upload capture segments and
 * heartbeats to (`startCollector`), their enrolment, and the status built
 * from what it recorded.
 */

export { startCollector, DEFAULT_DOWNTIME_AFTER_SEC, type Collector, type CollectorOptions } from './server.js';
export { loadTls, storedFingerprint, type TlsMaterial } from './certificate.js';
export { defaultCollectorDir } from './data-dir.js';
export { enrollSensor, type EnrollRequest, type EnrollResult } from './enroll.js';
export { type CollectorErrorCodeValue } from './errors.js';
export { loadStatus } from './load-status.js';
export { type DayStatus, type SensorStatus, type StatusInput } from './sensor-status.js';
