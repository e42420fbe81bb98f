/**
 * @module
 * The sensor side of the observation network, and the wire it shares with
 * the collector.
 */

export * from './protocol.js';
export { newSecret, signatureMatches, signedHeaders, signingKey, type SignedParts } from './signing.js';
export { Credentials, readCredentials, writeCredentials } from './credentials.js';
export { runAgent, type AgentInput, type AgentOptions, type AgentSummary } from './agent.js';
export { type AgentErrorCodeValue } from './errors.js';
export { writeFileDurable } from './durable-file.js';
