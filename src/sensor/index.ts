/**
 * @module
 * The sensor side of the observation network, and the wire it shares with
 * the collector.
 */

export * from './protocol.js';
export { newSecret, sign, signatureMatches, signedHeaders, signingKey, type SignedParts } from './signing.js';
export { Credentials, CredentialsError, readCredentials, writeCredentials } from './credentials.js';
export { runAgent, type AgentInput, type AgentOptions, type AgentSummary } from './agent.js';
export { AgentError, AgentErrorCode, type AgentErrorCodeValue } from './errors.js';
