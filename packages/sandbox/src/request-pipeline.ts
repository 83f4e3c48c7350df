/**
 * One AWS request, start to finish: pick the protocol (X-Amz-Target means JSON 1.1,
 * anything else is Query), authenticate with SigV4, find the service and operation,
 * apply the realism controls, authorize `${actionPrefix}:${Operation}`, run the handler
 * and render the result or the error in the protocol's own shape.
 */
import { randomUUID } from 'node:crypto';
import { authorize } from './authorization.js';
import { AwsError } from './aws-error.js';
import { readSignature, resolveCaller } from './credentials-resolver.js';
import { jsonBody, jsonErrorBody } from './protocols/json-output.js';
import { parseFormBody, unflattenQuery } from './protocols/query-input.js';
import { queryErrorResponse, queryResponse } from './protocols/xml-output.js';
import type { CallCounters } from './realism/counters.js';
import type { CallOutcome, Realism } from './realism/realism.js';
import type { Operation, OperationContext, ServiceDefinition, ThrottleFamily } from './service.js';
import type { SignedRequestParts } from './sigv4.js';
import type { World } from './world.js';

export interface AwsRequest extends SignedRequestParts {
  contentType: string;
  target: string | undefined;
}

export interface AwsResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Extra time to hold the response (latency injection, timeouts). */
  delayMs: number;
}

export interface PipelineDeps {
  world: World;
  services: ServiceDefinition[];
  realism: Realism;
  counters: CallCounters;
  onInternalError(error: unknown): void;
}

interface Routed {
  service: ServiceDefinition;
  name: string;
  operation: Operation;
  input: Record<string, unknown>;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Serves one AWS API request; never throws. */
export async function handleAwsRequest(request: AwsRequest, deps: PipelineDeps): Promise<AwsResponse> {
  const protocol: 'json' | 'query' = request.target !== undefined ? 'json' : 'query';
  const requestId = randomUUID();
  let counterKey: string | undefined;
  let outcome: 'ok' | 'error' | 'throttled' | 'faulted' = 'error';
  let delayMs = deps.realism.latencyMs();
  let namespace: string | undefined;
  try {
    const signature = readSignature(request, protocol);
    namespace = deps.services.find((s) => s.protocol === 'query' && s.signingName === signature.service)?.xmlNamespace;
    const routed = protocol === 'json' ? routeJson(request, deps.services) : routeQuery(request, signature.service, deps.services);
    counterKey = `${routed.service.signingName}:${routed.name}`;
    const { credential } = resolveCaller(deps.world, request, signature, protocol);
    const caller = credential.principal;
    const decision = deps.realism.decide(routed.service.family, caller.accountId);
    if (decision.kind !== 'proceed') {
      outcome = decision.kind === 'throttle' ? 'throttled' : 'faulted';
      if (decision.kind === 'timeout') delayMs += decision.ms;
      throw realismError(decision, routed.service.family, routed.service.protocol);
    }
    const code = routed.service.accessDeniedCode;
    const ctx: OperationContext = {
      world: deps.world,
      caller,
      accessKeyId: credential.accessKeyId,
      region: signature.region,
      requestId,
      authorize: (action, resource = '*') => authorize(deps.world, caller, action, resource, code, signature.region, credential.sessionPolicies),
    };
    if (!routed.operation.skipAuthorization) {
      const resource = routed.operation.resource?.(ctx, routed.input) ?? '*';
      ctx.authorize(`${routed.service.actionPrefix}:${routed.name}`, resource);
    }
    const result = await routed.operation.handler(ctx, routed.input);
    outcome = 'ok';
    return success(routed, result, requestId, delayMs);
  } catch (caught) {
    const error = caught instanceof AwsError ? caught : internalError(caught, deps);
    return failure(protocol, error, requestId, delayMs, namespace);
  } finally {
    if (counterKey !== undefined) deps.counters.record(counterKey, outcome);
  }
}

/** The answer to a request whose body exceeded the server's cap (413). */
export function tooLargeResponse(request: AwsRequest): AwsResponse {
  const protocol = request.target !== undefined ? 'json' : 'query';
  const code = protocol === 'json' ? 'RequestEntityTooLargeException' : 'RequestEntityTooLarge';
  return failure(protocol, new AwsError(code, 'Request body is too large.', 413), randomUUID(), 0);
}

function routeJson(request: AwsRequest, services: ServiceDefinition[]): Routed {
  const target = request.target ?? '';
  const dot = target.lastIndexOf('.');
  const prefix = dot < 0 ? target : target.slice(0, dot);
  const name = dot < 0 ? '' : target.slice(dot + 1);
  const service = services.find((s) => s.protocol === 'json' && s.targetPrefix === prefix);
  const operation = service && Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
  if (!service || !operation) {
    throw new AwsError('UnknownOperationException', `Unknown operation ${truncate(target)}`, 400);
  }
  if (!/^application\/x-amz-json-1\.[01]\b/i.test(request.contentType)) {
    throw new AwsError('UnknownOperationException', `Unsupported content type for ${truncate(target)}: ${truncate(request.contentType)}`, 400);
  }
  return { service, name, operation, input: parseJsonInput(request.body) };
}

function parseJsonInput(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(UTF8.decode(body));
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected, or the body is not valid JSON.', 400);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.', 400);
  }
  return parsed as Record<string, unknown>;
}

function routeQuery(request: AwsRequest, signingName: string, services: ServiceDefinition[]): Routed {
  const service = services.find((s) => s.protocol === 'query' && s.signingName === signingName);
  if (!service) {
    throw new AwsError('SignatureDoesNotMatch', `Credential should be scoped to correct service: '${truncate(signingName)}'.`, 403);
  }
  const params = parseFormBody(request.query);
  if (request.body.length > 0 && /^application\/x-www-form-urlencoded\b/i.test(request.contentType)) {
    let text: string;
    try {
      text = UTF8.decode(request.body);
    } catch {
      throw new AwsError('MalformedQueryString', 'The request body is not valid UTF-8.', 400);
    }
    for (const [key, value] of parseFormBody(text)) params.set(key, value);
  }
  const action = params.get('Action');
  if (!action) throw new AwsError('MissingAction', 'Missing Action', 400);
  const operation = Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;
  if (!operation) {
    throw new AwsError('InvalidAction', `Could not find operation ${truncate(action)} for version ${truncate(params.get('Version') ?? 'NO_VERSION_SPECIFIED')}`, 400);
  }
  return { service, name: action, operation, input: unflattenQuery(params) };
}

const THROTTLE_CODES: Record<ThrottleFamily, [string, number, string]> = {
  organizations: ['TooManyRequestsException', 429, 'AWS Organizations can\'t complete your request because another request is already in progress. Try again later.'],
  identitycenter: ['ThrottlingException', 429, 'Rate exceeded'],
  sts: ['Throttling', 400, 'Rate exceeded'],
  iam: ['Throttling', 400, 'Rate exceeded'],
  cloudformation: ['Throttling', 400, 'Rate exceeded'],
};

function realismError(decision: Exclude<CallOutcome, { kind: 'proceed' }>, family: ThrottleFamily, protocol: 'json' | 'query'): AwsError {
  if (decision.kind === 'throttle') {
    const [code, status, message] = THROTTLE_CODES[family];
    // A JSON family that is metered with the query families still answers in JSON terms.
    return protocol === 'json' && code === 'Throttling' ? new AwsError('ThrottlingException', message, 400) : new AwsError(code, message, status);
  }
  if (decision.kind === 'timeout') return new AwsError('RequestTimeout', 'The request timed out.', 504, 'Receiver');
  return decision.code === 'InternalFailure'
    ? new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver')
    : new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503, 'Receiver');
}

function internalError(caught: unknown, deps: PipelineDeps): AwsError {
  deps.onInternalError(caught);
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver');
}

function success(routed: Routed, result: unknown, requestId: string, delayMs: number): AwsResponse {
  if (routed.service.protocol === 'json') {
    return { status: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: jsonBody(result), delayMs };
  }
  const body = queryResponse(routed.name, routed.service.xmlNamespace ?? '', result, requestId);
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body, delayMs };
}

function failure(protocol: 'json' | 'query', error: AwsError, requestId: string, delayMs: number, namespace?: string): AwsResponse {
  if (protocol === 'json') {
    return {
      status: error.status,
      headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
      body: jsonErrorBody(error),
      delayMs,
    };
  }
  return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: queryErrorResponse(error, requestId, namespace), delayMs };
}

function truncate(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}...` : value;
}
