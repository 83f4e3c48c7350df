/** What route modules receive: the typed Fastify instance and the narrow service deps. */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { AuthenticationError } from '../core/errors.js';
import type { Actor, ServiceDeps } from '../services/context.js';
import type { SecretBox } from '../store/secret-box.js';
import type { ZodTypeProvider } from './zod-provider.js';

/** The slice of config the API reads. */
export interface ApiConfig {
  /**
   * The platform's AWS principal trusted by every customer role (rendered into templates).
   * Unset: the server runs, and template downloads answer 409 platform_principal_arn_not_configured.
   */
  platformPrincipalArn?: string;
  /** When set with an https public URL, management templates also forward Organizations events. */
  templateEvents?: { secretBox: SecretBox; publicUrl: string };
}

export type ApiInstance = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface RouteContext {
  deps: ServiceDeps;
  config: ApiConfig;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The authenticated actor of a /v1 request, carrying the request id for the audit log. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === null) throw new AuthenticationError('missing_token', 'Authentication required');
  return { ...request.actor, requestId: request.id };
}

/** The token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
