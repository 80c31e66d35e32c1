import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, toAppError } from '../../shared/errors.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: PropertyKey[] } };
}

/** "querystring.limit" → the parameter a user typed; the first issue is the one reported. */
function describeValidation(error: FastifyError & { validation: readonly ValidationIssue[] }): AppError {
  const where = error.validationContext ?? 'request';
  const issue = error.validation[0];
  const path = issue?.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '';
  const noun = where === 'querystring' ? 'query parameter' : where === 'params' ? 'path parameter' : `${where} field`;
  const name = path || where;
  return new AppError('validation_failed', `Invalid ${noun} ${name}: ${issue?.message ?? 'invalid value'}`, {
    location: where,
    parameter: name,
    issues: error.validation.map((item) => ({
      path: item.instancePath?.replace(/^\//, '').replaceAll('/', '.') ?? '',
      message: item.message ?? 'invalid',
    })),
  });
}

/** One error handler: the closed AppError catalogue → HTTP status and {code, message, details?}; never a stack. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError;
    if (hasZodFastifySchemaValidationErrors(error)) {
      appError = describeValidation(error);
    } else if (error instanceof AppError) {
      appError = error;
    } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      appError = new AppError('payload_too_large', 'The request body is too large.');
    } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      appError = new AppError('bad_request', error.message);
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      appError = new AppError(error.statusCode === 404 ? 'not_found' : 'bad_request', error.message);
    } else {
      appError = toAppError(error);
    }
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(appError.status).type('application/json').send(appError.toBody());
  });
}
