import { InputError } from './errors.js';
import { expectString } from './string-input.js';

/** A valid AWS account ID: exactly 12 digits (leading zeros are significant, so it stays a string). */
export function validateAccountId(value: unknown, field = 'accountId'): string {
  const text = expectString(value, field, 'Account ID');
  if (!/^\d{12}$/.test(text)) {
    throw new InputError('account_id_invalid', `Account ID must be exactly 12 digits (got '${text}')`, { field });
  }
  return text;
}
