/**
 * @module
 * Errors that stop the sensor agent. Each has a stable `code`; the CLI prints
 * the message and exits non-zero, leaving the spool as it is so that a
 * restart (after the operator fixed the cause) resumes where this run ended.
 */

export const AgentErrorCode = {
  /** The collector's certificate does not match the pinned fingerprint. */
  CERTIFICATE: 'TEITEN_SENSOR_CERTIFICATE',
  /** The collector refused the credentials (401/403): unknown, revoked, bad secret, clock skew. */
  REFUSED: 'TEITEN_SENSOR_REFUSED',
  /** The collector refused a request for good (400, 413, …): retrying the same bytes cannot help. */
  REJECTED: 'TEITEN_SENSOR_REJECTED',
  /** The spool directory cannot be used (permissions, another agent holds it, damaged state). */
  SPOOL: 'TEITEN_SENSOR_SPOOL',
  /** tcpdump could not be started. */
  CAPTURE: 'TEITEN_SENSOR_CAPTURE',
} as const;
export type AgentErrorCodeValue = (typeof AgentErrorCode)[keyof typeof AgentErrorCode];

export class AgentError extends Error {
  readonly code: AgentErrorCodeValue;
  constructor(code: AgentErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentError';
    this.code = code;
  }
}
