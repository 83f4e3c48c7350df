import { LOWER_ALPHANUMERIC, randomString } from './random-string.js';

/** The prefixes of orglink object ids, one per table. */
export type IdPrefix = 't' | 'o' | 'w' | 'u' | 'i' | 'f' | 'c' | 'p' | 'tok';

/** Length of the random part of every id. */
export const ID_RANDOM_LENGTH = 12;

/** A fresh id such as `t_k3j9x2m4q8w1`: prefix, `_`, 12 lowercase alphanumerics from the CSPRNG. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${randomString(ID_RANDOM_LENGTH, LOWER_ALPHANUMERIC)}`;
}

/** True when `value` looks like an id of the given prefix (shape only, not existence). */
export function isId(value: unknown, prefix: IdPrefix): value is string {
  return typeof value === 'string' && new RegExp(`^${prefix}_[a-z0-9]{${ID_RANDOM_LENGTH}}$`).test(value);
}
