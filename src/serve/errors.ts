/**
 * @module
 * The serve stage's errors and the one place they become HTTP answers: a
 * bad query or path parameter is a 400 naming the parameter, an unknown
 * page a 404, the analyse stage's input errors a 400, a full computation
 * queue a 503, an admin request without the token 401 (a wrong one 403), a
 * sensor the store refuses 400/404/409, Fastify's own validation and rate
 * errors keep their status;
 * anything else is logged
 * and answered with a plain 500 that leaks nothing.
 */

import { PeriodError, StatsInputError } from '../analyse/index.js';
import { ComposeError } from '../report/index.js';
import { SensorConflictError, SensorDefinitionError, SensorNotFoundError } from '../store/index.js';
import { RetryLaterError } from './retry-later.js';

export const ServeErrorCode = {
  PARAMETER: 'TEITEN_SERVE_PARAMETER',
  NOT_FOUND: 'TEITEN_SERVE_NOT_FOUND',
  ADMIN: 'TEITEN_SERVE_ADMIN',
} as const;

/** A query or path parameter the server cannot use as given. */
export class ParameterError extends RangeError {
  override readonly name = 'ParameterError';
  readonly code = ServeErrorCode.PARAMETER;
  readonly status = 400;
  /** The parameter at fault: `period`, `top`, `service`, `address`, … */
  readonly parameter: string;

  constructor(parameter: string, detail: string, options?: { cause?: unknown }) {
    super(`Bad parameter ${parameter}: ${detail}`, options);
    this.parameter = parameter;
  }
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  parameter?: string;
}

const HTTP_NAMES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Analyse-stage request fields → the query parameter that set them. */
const FIELD_PARAMETERS: Readonly<Record<string, string>> = {
  sensors: 'sensor',
  keys: 'service',
  service: 'service',
  country: 'cc',
};

/** The status and body for `error`; `log` is called for the unexpected ones only. */
export function errorAnswer(error: unknown, log: (error: unknown) => void): ErrorBody {
  if (error instanceof ParameterError) {
    return {
      statusCode: 400,
      code: error.code,
      error: HTTP_NAMES[400]!,
      message: error.message,
      parameter: error.parameter,
    };
  }
  if (error instanceof PeriodError) {
    return {
      statusCode: 400,
      code: error.code,
      error: HTTP_NAMES[400]!,
      message: `Bad parameter period: ${error.message}`,
      parameter: 'period',
    };
  }
  if (error instanceof StatsInputError) {
    const parameter = FIELD_PARAMETERS[error.field] ?? error.field;
    return {
      statusCode: 400,
      code: error.code,
      error: HTTP_NAMES[400]!,
      message: `Bad parameter ${parameter}: ${error.message}`,
      parameter,
    };
  }
  if (error instanceof SensorDefinitionError) {
    return {
      statusCode: 400,
      code: error.code,
      error: HTTP_NAMES[400]!,
      message: error.message,
      parameter: error.field,
    };
  }
  if (error instanceof ComposeError)
    return {
      statusCode: 400,
      code: error.code,
      error: HTTP_NAMES[400]!,
      message: error.message,
      parameter: error.option,
    };
  if (error instanceof SensorNotFoundError)
    return { statusCode: 404, code: error.code, error: HTTP_NAMES[404]!, message: error.message };
  if (error instanceof SensorConflictError)
    return { statusCode: 409, code: error.code, error: HTTP_NAMES[409]!, message: error.message };
  const status = (error as { status?: unknown }).status;
  if ((error as { code?: unknown }).code === ServeErrorCode.ADMIN && (status === 401 || status === 403)) {
    return {
      statusCode: status,
      code: ServeErrorCode.ADMIN,
      error: HTTP_NAMES[status]!,
      message: (error as Error).message,
    };
  }
  if (error instanceof RetryLaterError)
    return { statusCode: 503, code: error.code, error: HTTP_NAMES[503]!, message: error.message };
  const fastify = error as { statusCode?: unknown; code?: unknown; message?: unknown; validation?: unknown };
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const body: ErrorBody = {
      statusCode: status,
      code: String(fastify.code ?? 'TEITEN_SERVE_REQUEST'),
      error: HTTP_NAMES[status] ?? 'Client Error',
      message: String(fastify.message ?? ''),
    };
    const context = (error as { validationContext?: unknown }).validationContext;
    if (Array.isArray(fastify.validation) && typeof context === 'string') {
      // Fastify's schema errors read "querystring/top must be <= 100"; the parameter is the path's last part.
      const path = String(
        (fastify.validation[0] as { instancePath?: string; params?: { missingProperty?: string } })?.instancePath ?? '',
      );
      const missing = (fastify.validation[0] as { params?: { missingProperty?: string } })?.params?.missingProperty;
      body.parameter =
        missing ??
        path
          .split('/')
          .filter((p) => p !== '')
          .pop() ??
        context;
    }
    return body;
  }
  log(error);
  return { statusCode: 500, code: 'TEITEN_SERVE_INTERNAL', error: HTTP_NAMES[500]!, message: 'Internal server error' };
}
