/**
 * The one CLI request that is not plain JSON: POST .../sync with `wait`, whose answer is
 * NDJSON (progress lines, then a result line). Read line by line as it arrives.
 */
import { CliError } from '../cli-error.js';
import type { GlobalOptions } from '../context.js';
import { EXIT, exitCodeForStatus } from '../exit-codes.js';

/** Posts `body` and calls `onLine` with each JSON line of the streamed answer. */
export async function postNdjson(globals: GlobalOptions, path: string, body: unknown, onLine: (value: Record<string, unknown>) => void): Promise<void> {
  const headers: Record<string, string> = { accept: 'application/x-ndjson', 'content-type': 'application/json' };
  if (globals.token !== undefined) headers.authorization = `Bearer ${globals.token}`;
  const base = globals.url.replace(/\/+$/, '');
  let response: Response;
  try {
    // No overall timeout: a sync of a large organization streams for minutes; the server ends the stream.
    response = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (error) {
    throw new CliError(EXIT.unreachable, { code: 'server_unreachable', message: `cannot reach the orglink server at ${base}` }, { cause: error });
  }
  if (!response.ok) throw await errorOf(response);
  if (response.body === null) return;
  const decoder = new TextDecoder();
  let pending = '';
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pending += decoder.decode(value, { stream: true });
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const text = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (text !== '') onLine(parseLine(text));
      newline = pending.indexOf('\n');
    }
  }
  if (pending.trim() !== '') onLine(parseLine(pending.trim()));
}

function parseLine(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new CliError(EXIT.unexpected, { code: 'malformed_response', message: `the sync stream sent a line that is not a JSON object: ${text.slice(0, 200)}` });
}

async function errorOf(response: Response): Promise<CliError> {
  const text = await response.text().catch(() => '');
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object') parsed = value as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return new CliError(exitCodeForStatus(response.status), {
    code: typeof parsed.code === 'string' ? parsed.code : `http_${response.status}`,
    message: typeof parsed.message === 'string' ? parsed.message : text.trim() || response.statusText,
    ...(typeof parsed.field === 'string' ? { field: parsed.field } : {}),
    status: response.status,
  });
}
