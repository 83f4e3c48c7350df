import { InputError } from './errors.js';
import { describeCharacter, expectString } from './string-input.js';

/** IAM's limit on role names. */
export const ROLE_NAME_MAX_LENGTH = 64;

const ROLE_NAME_CHAR = /^[\w+=,.@-]$/;

/** A valid IAM role name: 1–64 characters of letters, digits and `_+=,.@-`. */
export function validateRoleName(value: unknown, field = 'roleName'): string {
  const text = expectString(value, field, 'Role name');
  if (text.length === 0) throw new InputError('role_name_empty', 'Role name must not be empty', { field });
  const chars = Array.from(text);
  const bad = chars.find((c) => !ROLE_NAME_CHAR.test(c));
  if (bad !== undefined) {
    throw new InputError(
      'role_name_bad_character',
      `Role name may contain only letters, digits and _+=,.@- (IAM rules); found ${describeCharacter(bad)}`,
      { field, details: { character: bad } },
    );
  }
  if (chars.length > ROLE_NAME_MAX_LENGTH) {
    throw new InputError(
      'role_name_too_long',
      `Role name must be at most ${ROLE_NAME_MAX_LENGTH} characters (got ${chars.length})`,
      { field, details: { max: ROLE_NAME_MAX_LENGTH, length: chars.length } },
    );
  }
  return text;
}
