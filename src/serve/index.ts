/**
 * @module
 * The serve stage: `teiten serve`'s read-only JSON API (with its OpenAPI
 * document) and server-rendered dashboard over one store, every figure from
 * the analyse stage. Sensor health, the live feed and admin routes come
 * with the collector (issue 8/13).
 */

export { buildServer, type ServerOptions } from './server.js';
export type { ServeContext } from './serve-context.js';
export { API_ROUTES, type ApiRoute } from './api-routes.js';
export { openApiPath } from './openapi.js';
export { type ErrorBody } from './errors.js';
export { CONTENT_SECURITY_POLICY } from './security-headers.js';
export type { RateLimitOptions } from './rate-limit.js';
