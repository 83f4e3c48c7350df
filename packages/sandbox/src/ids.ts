/**
 * AWS-shaped identifiers. Randomness comes from a seedable generator so that the same
 * seed always builds the same organization (see generator.ts), while live requests
 * draw from the world's generator too and stay unique within a world.
 */
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A small, fast, seedable PRNG (mulberry32); not for secrets. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` characters drawn from `alphabet`. */
export function randomString(random: () => number, length: number, alphabet = LOWER): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

/** A 12-digit account id that does not start with 0. */
export function randomAccountId(random: () => number): string {
  return String(1 + Math.floor(random() * 9)) + randomString(random, 11, '0123456789');
}

/** IAM unique ids: AROA (role), AIDA (user), AGPA (group), ANPA (policy), AKIA/ASIA (keys). */
export function randomIamId(random: () => number, prefix: 'AROA' | 'AIDA' | 'AGPA' | 'ANPA' | 'AKIA' | 'ASIA'): string {
  return prefix + randomString(random, 16, UPPER);
}
