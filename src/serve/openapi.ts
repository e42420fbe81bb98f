/**
 * @module
 * The OpenAPI 3.1 document of the JSON API, written from `API_ROUTES`: the
 * same parameter and answer schemas Fastify validates and serialises with.
 */

import { ADMIN_ROUTES } from './admin/admin-routes.js';
import { API_ROUTES } from './api-routes.js';
import { errorBody } from './answer-schemas.js';
import type { JsonSchema } from './schema-kit.js';

const VERSION = '0.1.0';

/** `/api/port/:service` → `/api/port/{service}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

/** What a paged answer sends beside its body (`server.ts`'s `pageHeaders`). */
const PAGE_HEADERS: JsonSchema = {
  'X-Total-Count': { description: 'Items of the whole table (ranking.page.total)', schema: { type: 'integer' } },
  Link: {
    description: 'The next page\'s URL as `<URL>; rel="next"` (RFC 8288), absent on the last page',
    schema: { type: 'string' },
  },
};

export function openApiDocument(): JsonSchema {
  const paths: Record<string, JsonSchema> = {};
  for (const route of API_ROUTES) {
    const parameters = [
      ...Object.entries(route.pathParams ?? {}).map(([name, p]) => ({
        name,
        in: 'path',
        required: true,
        description: p.description,
        schema: p.schema,
      })),
      ...route.query.map((q) => ({
        name: q.name,
        in: 'query',
        required: false,
        description: q.description,
        schema: q.schema,
      })),
    ];
    const content: JsonSchema = { 'application/json': { schema: route.response } };
    if (route.csv !== undefined) content['text/csv'] = { schema: { type: 'string' } };
    paths[openApiPath(route.path)] = {
      get: {
        summary: route.summary,
        parameters,
        responses: {
          200: { description: 'The figures', content, ...(route.page === undefined ? {} : { headers: PAGE_HEADERS }) },
          400: {
            description: 'A parameter is malformed or out of range; `parameter` names it',
            content: { 'application/json': { schema: errorBody } },
          },
          429: {
            description: 'Too many requests from this client; see `Retry-After`',
            content: { 'application/json': { schema: errorBody } },
          },
          503: {
            description:
              'Too many answers being computed, or the answer took longer than the wait (60 s); see `Retry-After`',
            content: { 'application/json': { schema: errorBody } },
          },
        },
      },
    };
  }
  for (const route of ADMIN_ROUTES) {
    const error = (description: string): JsonSchema => ({
      description,
      content: { 'application/json': { schema: errorBody } },
    });
    paths[openApiPath(route.path)] = {
      post: {
        summary: route.summary,
        security: [{ adminToken: [] }],
        parameters: Object.entries(route.pathParams ?? {}).map(([name, p]) => ({
          name,
          in: 'path',
          required: true,
          description: p.description,
          schema: p.schema,
        })),
        requestBody: { required: true, content: { 'application/json': { schema: route.body } } },
        responses: {
          [route.status]: { description: 'Done', content: { 'application/json': { schema: route.response } } },
          400: error('The body is malformed or the store refuses a value; `parameter` names it'),
          401: error('No `Authorization: Bearer TOKEN` header'),
          403: error('Wrong token, or the server runs without --admin-token-file'),
          404: error('No such sensor'),
          409: error('The sensor name or addresses are taken'),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'teiten observatory API',
      version: VERSION,
      description:
        'Darknet telescope figures from the same analyse stage as `teiten stats` and the reports; read-only and public, ' +
        'except the admin routes (POST /api/admin/…), which need the token of `teiten serve --admin-token-file`.',
    },
    paths,
    components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
  };
}
