/**
 * The control API under /_sandbox/ (JSON): read and change realism settings at runtime,
 * read and reset call counters, advance the world's clock, and a health check.
 * Pure request → reply so the HTTP layer stays thin.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CallCounters } from './realism/counters.js';
import type { Realism } from './realism/realism.js';
import type { World } from './world.js';

export interface ControlRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Buffer;
}

export interface ControlDeps {
  world: World;
  realism: Realism;
  counters: CallCounters;
  controlToken: string | undefined;
}

export interface ControlReply {
  status: number;
  body: unknown;
}

/** Shifts the world's clock forward (or back, with negative seconds) for every module. */
export function advanceWorldTime(world: World, seconds: number): Date {
  const previous = world.now;
  const shiftMs = seconds * 1000;
  world.now = () => new Date(previous().getTime() + shiftMs);
  return world.now();
}

/** Answers one control API request. */
export function handleControlRequest(request: ControlRequest, deps: ControlDeps): ControlReply {
  const route = `${request.method.toUpperCase()} ${request.path.replace(/\/+$/, '')}`;
  if (route === 'GET /_sandbox/health') return { status: 200, body: { ok: true, now: deps.world.now().toISOString() } };
  if (deps.controlToken !== undefined && !tokenMatches(request.authorization, deps.controlToken)) {
    return { status: 401, body: { error: 'unauthorized', message: 'The control API needs Authorization: Bearer <control token>.' } };
  }
  let body: unknown;
  try {
    body = request.body.length === 0 ? {} : JSON.parse(request.body.toString('utf8'));
  } catch {
    return { status: 400, body: { error: 'bad_json', message: 'The request body is not valid JSON.' } };
  }
  switch (route) {
    case 'GET /_sandbox/realism':
      return { status: 200, body: deps.realism.settings() };
    case 'PUT /_sandbox/realism':
    case 'PATCH /_sandbox/realism':
      try {
        return { status: 200, body: deps.realism.update(body) };
      } catch (error) {
        return { status: 400, body: { error: 'bad_settings', message: (error as Error).message } };
      }
    case 'GET /_sandbox/counters':
      return { status: 200, body: deps.counters.snapshot() };
    case 'POST /_sandbox/counters/reset':
      deps.counters.reset();
      return { status: 200, body: deps.counters.snapshot() };
    case 'POST /_sandbox/time/advance': {
      const seconds = (body as { seconds?: unknown } | null)?.seconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || Math.abs(seconds) > 10 * 365 * 86_400) {
        return { status: 400, body: { error: 'bad_seconds', message: 'seconds must be a finite number (at most ten years).' } };
      }
      return { status: 200, body: { now: advanceWorldTime(deps.world, seconds).toISOString() } };
    }
    case 'GET /_sandbox/time':
      return { status: 200, body: { now: deps.world.now().toISOString() } };
    default:
      return { status: 404, body: { error: 'not_found', message: `No control route ${route}.` } };
  }
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const sent = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '', 'utf8');
  const wanted = Buffer.from(token, 'utf8');
  return sent.length === wanted.length && timingSafeEqual(sent, wanted);
}
