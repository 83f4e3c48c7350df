/**
 * The one place where failures become HTTP responses. Domain errors carry their kind;
 * Fastify's own errors (bad JSON, oversized body, wrong media type) become typed 400s;
 * anything else is a 500 whose body says nothing about the internals.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorKind, isDomainError } from '../core/errors.js';

/** The error body every failing route returns. */
export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  upstream: 502,
  internal: 500,
};

/** Fastify's request-parsing failures, by their FST_ code, as stable orglink codes. */
const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty but its content type is JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send the request body as application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_content_length', message: 'The Content-Length header does not match the body' },
};

/** Maps any thrown value to a status and a body that is safe to send. */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (isDomainError(error)) return { status: STATUS_BY_KIND[error.kind], body: error.toJSON() };
  const fastifyError = error as Partial<FastifyError> | null;
  const known = typeof fastifyError?.code === 'string' ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) return { status: 400, body: { ...known } };
  if (error instanceof SyntaxError && fastifyError?.statusCode === 400) {
    return { status: 400, body: { code: 'invalid_json', message: 'The request body is not valid JSON' } };
  }
  return { status: 500, body: { code: 'internal', message: 'Internal error' } };
}

/** Fastify error handler: logs server faults, answers with the mapped body. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = toHttpError(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  return reply.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** Unknown routes answer like unknown objects: a typed 404. */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body: ErrorBody = { code: 'route_not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` };
  return reply.status(404).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
