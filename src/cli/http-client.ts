/**
 * The CLI's only way to talk to orglink: JSON over HTTP with node's global fetch.
 * Every failure leaves here as a CliError whose exit code comes from exit-codes.ts.
 */
import { CliError, usageError } from './cli-error.js';
import { EXIT, exitCodeForStatus } from './exit-codes.js';

export interface ApiClientOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:7480. */
  baseUrl: string;
  token?: string;
  timeoutMs: number;
}

type Query = Record<string, string | number | undefined>;

/** A thin REST client: one method per HTTP verb, errors mapped to CliError. */
export class ApiClient {
  readonly baseUrl: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: ApiClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    this.#token = options.token === '' ? undefined : options.token;
    this.#timeoutMs = options.timeoutMs;
  }

  /** GET a JSON resource. */
  get<T>(path: string, query?: Query): Promise<T> {
    return this.#json<T>('GET', path, undefined, query);
  }

  /** POST a JSON body and read the JSON answer. */
  post<T>(path: string, body: unknown): Promise<T> {
    return this.#json<T>('POST', path, body);
  }

  /** PATCH a JSON body and read the JSON answer. */
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.#json<T>('PATCH', path, body);
  }

  /** DELETE, with an optional JSON body (integration deletion carries `confirm`). */
  delete<T>(path: string, body?: unknown): Promise<T | undefined> {
    return this.#json<T | undefined>('DELETE', path, body);
  }

  /** GET a text resource (rendered templates). */
  async getText(path: string, query?: Query): Promise<string> {
    const response = await this.#send('GET', path, undefined, query);
    return response.text();
  }

  async #json<T>(method: string, path: string, body: unknown, query?: Query): Promise<T> {
    const response = await this.#send(method, path, body, query);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new CliError(
        EXIT.unexpected,
        { code: 'malformed_response', message: `${method} ${path} answered ${response.status} with a body that is not JSON` },
        { cause: error },
      );
    }
  }

  async #send(method: string, path: string, body: unknown, query?: Query): Promise<Response> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9' };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw unreachable(this.baseUrl, error, this.#timeoutMs);
    }
    if (!response.ok) throw await apiError(response, this.#token !== undefined);
    return response;
  }
}

function normaliseBaseUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw usageError('invalid_url', `--url / ORGLINK_URL is not a URL: ${JSON.stringify(value)}`, 'url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError('invalid_url', `--url must be http:// or https://, got ${parsed.protocol}`, 'url');
  }
  return parsed.toString().replace(/\/+$/, '');
}

function unreachable(baseUrl: string, error: unknown, timeoutMs: number): CliError {
  const reason = describeNetworkError(error, timeoutMs);
  return new CliError(
    EXIT.unreachable,
    {
      code: 'server_unreachable',
      message:
        `cannot reach the orglink server at ${baseUrl} (${reason}). ` +
        'Start one with `orglink serve` (or `npm run demo`), or point --url / ORGLINK_URL at a running server.',
    },
    { cause: error },
  );
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause !== null && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') {
    return cause.code;
  }
  return error instanceof Error ? error.message : String(error);
}

async function apiError(response: Response, sentToken: boolean): Promise<CliError> {
  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const body = isRecord(parsed) ? parsed : {};
  const code = typeof body.code === 'string' ? body.code : `http_${response.status}`;
  let message = typeof body.message === 'string' ? body.message : text.trim() || response.statusText || 'request failed';
  if (response.status === 401 && !sentToken) {
    message += ' (no token given: pass --token or set ORGLINK_TOKEN)';
  }
  return new CliError(exitCodeForStatus(response.status), {
    code,
    message,
    ...(typeof body.field === 'string' ? { field: body.field } : {}),
    ...(isRecord(body.details) ? { details: body.details } : {}),
    status: response.status,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
