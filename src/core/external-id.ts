import { InputError } from './errors.js';
import { ALPHANUMERIC, randomString } from './random-string.js';
import { describeCharacter, expectString } from './string-input.js';

/** Length of the customizable random part of an External ID (`{ownerId}:{random}`). */
export const EXTERNAL_ID_RANDOM_LENGTH = 8;

const RANDOM_CHAR = /^[A-Za-z0-9]$/;

/** A fresh External ID `{ownerId}:{8 alphanumerics}`; ownerId is the owning tenant (`t_…`) or org (`o_…`) id. */
export function generateExternalId(ownerId: string): string {
  return `${ownerId}:${randomString(EXTERNAL_ID_RANDOM_LENGTH, ALPHANUMERIC)}`;
}

/**
 * The External ID if it is `{ownerId}:{8 alphanumerics}`, else an InputError with the precise reason:
 * external_id_malformed (no colon), external_id_wrong_identifier, external_id_bad_character, external_id_wrong_length.
 */
export function validateExternalId(value: unknown, ownerId: string, field = 'externalId'): string {
  const text = expectString(value, field, 'External ID');
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new InputError(
      'external_id_malformed',
      `External ID must have the form '${ownerId}:<${EXTERNAL_ID_RANDOM_LENGTH} letters or digits>' (no ':' found)`,
      { field },
    );
  }
  const identifier = text.slice(0, colon);
  if (identifier !== ownerId) {
    throw new InputError(
      'external_id_wrong_identifier',
      `External ID must start with '${ownerId}:' (the owner's id), not '${identifier}:'`,
      { field, details: { expected: ownerId, got: identifier } },
    );
  }
  const random = Array.from(text.slice(colon + 1));
  const bad = random.find((c) => !RANDOM_CHAR.test(c));
  if (bad !== undefined) {
    throw new InputError(
      'external_id_bad_character',
      `External ID's part after ':' may contain only letters A-Z, a-z and digits; found ${describeCharacter(bad)}`,
      { field, details: { character: bad } },
    );
  }
  if (random.length !== EXTERNAL_ID_RANDOM_LENGTH) {
    throw new InputError(
      'external_id_wrong_length',
      `External ID's part after ':' must be exactly ${EXTERNAL_ID_RANDOM_LENGTH} characters (got ${random.length})`,
      { field, details: { expected: EXTERNAL_ID_RANDOM_LENGTH, got: random.length } },
    );
  }
  return text;
}
