/**
 * @module
 * The serve stage: `teiten serve`'s read-only JSON API (with its OpenAPI
 * document) and server-rendered dashboard over one store, every figure from
 * the analyse stage, the reports archive, and admin routes behind a token.
 */

export { buildServer, type ServerOptions } from './server.js';
export { warmAnswers } from './warm-up.js';
export type { ServeContext } from './serve-context.js';
export { API_ROUTES, type ApiRoute } from './api-routes.js';
export { ADMIN_ROUTES, type AdminRoute } from './admin/admin-routes.js';
export { readAdminToken, AdminTokenFileError } from './admin/admin-token.js';
export { type ArchivedReport } from './report-archive.js';
export { openApiPath } from './openapi.js';
export { type ErrorBody } from './errors.js';
export { CONTENT_SECURITY_POLICY } from './security-headers.js';
export type { RateLimitOptions } from './rate-limit.js';
