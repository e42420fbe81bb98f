/**
 * @module
 * `GET /reports/NAME`: an archived report file, as an attachment. An HTML
 * report is a document of its own (its inline styles are its business), so
 * it is downloaded, never rendered inside the dashboard's origin.
 */

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { ServeErrorCode } from './errors.js';
import { archivedReport, REPORTS_PATH } from './report-archive.js';
import type { ServeContext } from './serve-context.js';

const notFound = (name: string): Error =>
  Object.assign(new Error(`No report ${JSON.stringify(name)} in the archive`), {
    statusCode: 404,
    code: ServeErrorCode.NOT_FOUND,
  });

export function registerReportDownloads(app: FastifyInstance, ctx: ServeContext): void {
  app.get(`${REPORTS_PATH}/:name`, async (request, reply) => {
    const name = (request.params as { name: string }).name;
    if (ctx.reportsDir === null) throw notFound(name);
    const file = archivedReport(ctx.reportsDir, name);
    const info = await stat(file.path).catch(() => undefined);
    if (info === undefined || !info.isFile()) throw notFound(name);
    return reply
      .type(file.mediaType)
      .header('content-length', String(info.size))
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(createReadStream(file.path));
  });
}
