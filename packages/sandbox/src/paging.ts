/**
 * Opaque, tamper-evident page tokens and AWS-style page sizes for every sandbox List call.
 * A token is base64url(JSON {scope, offset, empty}) plus an HMAC, so clients cannot forge
 * offsets or reuse a token from another listing. Slicing an array by offset keeps each
 * call O(page), whatever the size of the listing.
 *
 * AWS sometimes answers a page with no items and a NextToken; the `emptyPageRate` knob
 * (per world, default 0) makes the sandbox do the same, deterministically from a seed, so
 * tests can prove that real SDK paginators cope with it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { AwsError } from './aws-error.js';
import { seededRandom } from './ids.js';
import type { World } from './world.js';

export interface PagingOptions {
  /** Share of pages (0..1) answered empty, with a NextToken pointing at the same place. */
  emptyPageRate: number;
  /** Seed for the empty-page decisions, so a run can be replayed. */
  seed: number;
}

interface PagingState {
  secret: Buffer;
  options: PagingOptions;
  random: () => number;
}

const states = new WeakMap<World, PagingState>();

function pagingState(world: World): PagingState {
  let state = states.get(world);
  if (!state) {
    const options = { emptyPageRate: 0, seed: 1 };
    state = { secret: randomBytes(32), options, random: seededRandom(options.seed) };
    states.set(world, state);
  }
  return state;
}

/** Changes a world's paging knobs (e.g. `{ emptyPageRate: 1 }` to precede every page with an empty one). */
export function setPagingOptions(world: World, options: Partial<PagingOptions>): PagingOptions {
  const state = pagingState(world);
  if (options.emptyPageRate !== undefined) {
    if (!(options.emptyPageRate >= 0 && options.emptyPageRate <= 1)) {
      throw new RangeError('emptyPageRate must be between 0 and 1');
    }
    state.options.emptyPageRate = options.emptyPageRate;
  }
  if (options.seed !== undefined) {
    state.options.seed = options.seed;
    state.random = seededRandom(options.seed);
  }
  return { ...state.options };
}

/** The world's current paging knobs. */
export function pagingOptions(world: World): PagingOptions {
  return { ...pagingState(world).options };
}

export interface PageRequest {
  /** Names a listing, e.g. `ListAccountsForParent:ou-ab12-cdefgh34`; tokens only work for their scope. */
  scope: string;
  maxResults: unknown;
  nextToken: unknown;
  /** Largest page the API allows (Organizations: 20). */
  maxLimit: number;
  /** Page size when the caller gives none (Organizations: 20). */
  defaultLimit?: number;
  /** Names of the request fields, for error messages. */
  maxResultsField?: string;
  nextTokenField?: string;
  /** The error a service raises for bad paging input (default InvalidInputException, 400). */
  invalid?: (message: string) => AwsError;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

interface TokenBody {
  s: string;
  o: number;
  e?: 1;
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);
}

function encodeToken(secret: Buffer, body: TokenBody): string {
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

function decodeToken(secret: Buffer, token: string, scope: string): TokenBody | null {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined || sign(secret, payload) !== signature) return null;
  try {
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenBody;
    if (body.s !== scope || !Number.isSafeInteger(body.o) || body.o < 0) return null;
    return body;
  } catch {
    return null;
  }
}

function defaultInvalid(message: string): AwsError {
  return new AwsError('InvalidInputException', message, 400);
}

/** Validates MaxResults/NextToken and returns where the page starts and how long it is. */
export function readPageRequest(world: World, request: PageRequest): { offset: number; limit: number; afterEmpty: boolean } {
  const invalid = request.invalid ?? defaultInvalid;
  const maxField = request.maxResultsField ?? 'MaxResults';
  let limit = request.defaultLimit ?? request.maxLimit;
  if (request.maxResults !== undefined && request.maxResults !== null) {
    const value = request.maxResults;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > request.maxLimit) {
      throw invalid(`You provided a value for ${maxField} that is outside the allowed range (1 to ${request.maxLimit}).`);
    }
    limit = value;
  }
  if (request.nextToken === undefined || request.nextToken === null) return { offset: 0, limit, afterEmpty: false };
  const tokenField = request.nextTokenField ?? 'NextToken';
  if (typeof request.nextToken !== 'string') throw invalid(`The ${tokenField} you provided is invalid.`);
  const body = decodeToken(pagingState(world).secret, request.nextToken, request.scope);
  if (!body) throw invalid(`The ${tokenField} you provided is invalid.`);
  return { offset: body.o, limit, afterEmpty: body.e === 1 };
}

/**
 * One page of a listing of `total` items, where `slice(start, end)` returns items in
 * [start, end). Only the page is materialised, so a 10,000-item parent costs O(page).
 */
export function paginate<T>(
  world: World,
  request: PageRequest,
  total: number,
  slice: (start: number, end: number) => T[],
): Page<T> {
  const { offset, limit, afterEmpty } = readPageRequest(world, request);
  const state = pagingState(world);
  const start = Math.min(offset, total);
  if (start < total && !afterEmpty && state.options.emptyPageRate > 0 && state.random() < state.options.emptyPageRate) {
    return { items: [], nextToken: encodeToken(state.secret, { s: request.scope, o: start, e: 1 }) };
  }
  const end = Math.min(start + limit, total);
  const items = slice(start, end);
  return end < total ? { items, nextToken: encodeToken(state.secret, { s: request.scope, o: end }) } : { items };
}
