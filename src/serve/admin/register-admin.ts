/**
 * @module
 * Registers `ADMIN_ROUTES` (POST, JSON bodies validated by their schemas).
 * The token is checked when the request arrives, before its body is read or
 * validated, so a caller without it learns nothing but 401/403. A change
 * made through a route empties the answer cache: the next read shows it.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorBody } from '../answer-schemas.js';
import type { ServeContext } from '../serve-context.js';
import { adminCheck } from './admin-token.js';
import { ADMIN_ROUTES } from './admin-routes.js';

/** Admin bodies are small JSON objects; anything larger is refused unread. */
const ADMIN_BODY_LIMIT = 64 * 1024;

export function registerAdmin(app: FastifyInstance, ctx: ServeContext, token: string | null): void {
  const check = adminCheck(token);
  for (const route of ADMIN_ROUTES) {
    const params =
      route.pathParams === undefined
        ? undefined
        : {
            type: 'object',
            properties: Object.fromEntries(Object.entries(route.pathParams).map(([name, p]) => [name, p.schema])),
            required: Object.keys(route.pathParams),
          };
    app.post(
      route.path,
      {
        bodyLimit: ADMIN_BODY_LIMIT,
        schema: {
          ...(params === undefined ? {} : { params }),
          body: route.body,
          response: { [route.status]: route.response, '4xx': errorBody, '5xx': errorBody },
        },
        onRequest: async (request: FastifyRequest) => check(request.headers.authorization),
      },
      async (request, reply) => {
        try {
          const answer = await route.answer({
            serve: ctx,
            params: request.params as Record<string, string>,
            body: (request.body ?? {}) as Record<string, unknown>,
            nowMs: Date.now(),
          });
          return reply.code(route.status).send(answer);
        } finally {
          // Even a failed change may have written part of itself (a sensor added, its key refused).
          ctx.cache.clear();
          ctx.figures.clear();
        }
      },
    );
  }
}
