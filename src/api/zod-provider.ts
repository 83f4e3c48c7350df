/**
 * A tiny Fastify type provider for zod 4: request parts are parsed by their zod schema
 * (so handlers get typed, coerced values) and responses are serialized through theirs,
 * which strips every key the schema does not name. That stripping is the allowlist that
 * keeps stored secrets (webhook_secret_enc, token hashes) from ever leaving the API.
 */
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import { z } from 'zod';
import { InputError } from '../core/errors.js';

export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

/** Renders a zod issue path as the dotted field name used in error bodies (`discovery.roleName`). */
export function issuePathToField(path: readonly PropertyKey[], httpPart: string | undefined): string {
  if (path.length === 0) return httpPart === 'body' || httpPart === undefined ? 'body' : httpPart;
  return path.map((part) => String(part)).join('.');
}

/** Turns the first zod issue into the InputError the error mapping turns into a 400. */
export function zodErrorToInputError(error: z.ZodError, httpPart?: string): InputError {
  const issue = error.issues[0];
  // An unknown key is reported at its own path, so clients see which key to drop.
  const path = issue?.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : (issue?.path ?? []);
  const field = issuePathToField(path, httpPart);
  const message = issue ? `${field}: ${issue.message}` : `${field} is invalid`;
  return new InputError('invalid_input', message, { field, cause: error });
}

/** Validates params, querystring and body with the route's zod schema. */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: zodErrorToInputError(result.error, httpPart) };
  };

/** Serializes a reply through the route's response schema; unknown keys are dropped. */
export function zodSerializerCompiler({ schema }: { schema: unknown }): (data: unknown) => string {
  if (!(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
  const zodSchema = schema;
  return (data) => {
    if (typeof data === 'string' && zodSchema instanceof z.ZodString) return data;
    return JSON.stringify(zodSchema.parse(data));
  };
}

const REQUEST_PARTS = ['params', 'querystring', 'body', 'headers'] as const;

function toOpenApi(schema: unknown, io: 'input' | 'output'): unknown {
  if (!(schema instanceof z.ZodType)) return schema;
  const json = z.toJSONSchema(schema, { io, target: 'openapi-3.0', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

/** @fastify/swagger `transform`: publishes each route's zod schemas as JSON Schema. */
export function zodSwaggerTransform({ schema, url }: { schema: unknown; url: string }): { schema: Record<string, unknown>; url: string } {
  if (schema === null || typeof schema !== 'object') return { schema: {}, url };
  const source = schema as Record<string, unknown>;
  const out: Record<string, unknown> = { ...source };
  for (const part of REQUEST_PARTS) {
    if (source[part] !== undefined) out[part] = toOpenApi(source[part], 'input');
  }
  const response = source.response as Record<string, unknown> | undefined;
  if (response) {
    out.response = Object.fromEntries(Object.entries(response).map(([status, s]) => [status, textOrJson(s)]));
  }
  return { schema: out, url };
}

/** Text responses (templates) are described by content type rather than as JSON. */
function textOrJson(schema: unknown): unknown {
  if (schema instanceof z.ZodString) {
    const description = schema.description ?? 'Text body';
    const text = { schema: { type: 'string' } };
    return { description, content: { 'application/yaml': text, 'application/json': text, 'text/plain': text } };
  }
  return toOpenApi(schema, 'output');
}
