/**
 * Handles for discovered objects: the prefix plus a slug of the name, unique within the
 * tenant. Collisions resolve deterministically: requests are served in AWS-id order, the
 * first gets the plain handle, later ones get `_<last 4 of the AWS id>`, then `_<n>` on top.
 */
import { HANDLE_MAX_LENGTH, slugifyHandle } from '../handle.js';

export interface HandleRequest {
  /** Account id, OU id or root id: the sort key and the source of the collision suffix. */
  awsId: string;
  name: string;
  /** The node's current handle: it may keep it even though it is in `taken`. */
  currentHandle?: string;
}

/** The last four letters or digits of an AWS id (`ou-ab12-cd34ef56` → `ef56`, `123456789012` → `9012`). */
export function collisionSuffix(awsId: string): string {
  const alnum = awsId.toLowerCase().replace(/[^a-z0-9]/g, '');
  return alnum.slice(-4);
}

/** `base` cut so that `_suffix` fits in a handle, without a dangling separator. */
export function withSuffix(base: string, suffix: string): string {
  const room = HANDLE_MAX_LENGTH - suffix.length - 1;
  return `${base.slice(0, room).replace(/[_-]+$/, '')}_${suffix}`;
}

/** Candidates for one request, best first: plain, `_last4`, `_last4_2`, `_last4_3`... */
function* candidates(base: string, awsId: string): Generator<string> {
  yield base;
  const last4 = collisionSuffix(awsId);
  yield withSuffix(base, last4);
  for (let n = 2; ; n += 1) yield withSuffix(base, `${last4}_${n}`);
}

/**
 * Allocates a handle for each request. `taken` holds every handle that must not be reused;
 * it is not modified. The result does not depend on the order of `requests`.
 */
export function allocateHandles(
  requests: readonly HandleRequest[],
  prefix: string | null,
  taken: ReadonlySet<string>,
): Map<string, string> {
  const used = new Set(taken);
  const result = new Map<string, string>();
  const ordered = [...requests].sort((a, b) => (a.awsId < b.awsId ? -1 : a.awsId > b.awsId ? 1 : 0));
  for (const request of ordered) {
    const base = slugifyHandle(request.name, prefix);
    for (const candidate of candidates(base, request.awsId)) {
      if (candidate === request.currentHandle || !used.has(candidate)) {
        used.add(candidate);
        result.set(request.awsId, candidate);
        break;
      }
    }
  }
  return result;
}
