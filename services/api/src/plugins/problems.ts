import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type Issue, PROBLEM_CONTENT_TYPE, type ProblemCode, ProblemError, problemBody } from '../errors.ts';

/** Fastify's own client errors, by code, as catalogue problems. */
const fastifyCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_REQUEST',
  FST_ERR_INVALID_URL: 'BAD_REQUEST',
};

function issuesOf(error: FastifyError & { validationContext?: string }): Issue[] {
  const location = error.validationContext ?? 'body';
  if (hasZodFastifySchemaValidationErrors(error)) {
    return error.validation.slice(0, 50).map((issue) => ({
      location,
      path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: issue.message ?? 'is not valid',
    }));
  }
  return [{ location, path: '', message: error.message }];
}

/** Turns anything thrown in a request into a catalogue problem. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const fastifyError = error as FastifyError & { validationContext?: string };
  if (fastifyError?.validation)
    return new ProblemError('VALIDATION_FAILED', { issues: issuesOf(fastifyError) });
  const mapped = fastifyError?.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return new ProblemError(mapped);
  if (fastifyError?.statusCode === 429) return new ProblemError('RATE_LIMITED');
  // Any other client error Fastify raises (a malformed request line, a bad header…) stays a 4xx.
  if (
    typeof fastifyError?.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    if (fastifyError.statusCode === 413) return new ProblemError('PAYLOAD_TOO_LARGE');
    if (fastifyError.statusCode === 415) return new ProblemError('UNSUPPORTED_MEDIA_TYPE');
    if (fastifyError.statusCode === 404) return new ProblemError('ROUTE_NOT_FOUND');
    return new ProblemError('BAD_REQUEST');
  }
  if (isStorageTrouble(error)) return new ProblemError('STORAGE_UNAVAILABLE');
  return new ProblemError('INTERNAL');
}

/** PostgreSQL's SQLSTATEs for a full disk or failing storage: disk_full, insufficient_resources, io_error. */
const STORAGE_SQLSTATES = new Set(['53100', '53000', '58030']);
const STORAGE_ERRNOS = new Set(['ENOSPC', 'EROFS', 'EDQUOT', 'EIO']);
const STORAGE_TEXT = /no space left on device|read-only file system|disk quota exceeded|input\/output error/i;

/**
 * Whether a failure is the storage's (a full disk, a read-only folder): the command is refused with a 503 and
 * nothing of it is kept (its transaction rolled back); it works again once space or write access is back.
 */
export function isStorageTrouble(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (
    (code !== undefined && (STORAGE_SQLSTATES.has(code) || STORAGE_ERRNOS.has(code))) ||
    STORAGE_TEXT.test(message ?? '')
  );
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemError) {
  if (problem.extra.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(Math.max(1, Math.ceil(problem.extra.retryAfterSeconds))));
  else if (problem.status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problemBody(problem, request)));
}

/** Every error is problem+json with a catalogue code; only our own faults are 5xx (and logged as such). */
export const problemsPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error, request, reply) => {
      const problem = toProblem(error);
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: problem.code, status: problem.status }, 'request refused');
      return sendProblem(request, reply, problem);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, new ProblemError('ROUTE_NOT_FOUND')),
    );
  },
  { name: 'concord-problems' },
);
