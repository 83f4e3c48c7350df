import { InputError } from './errors.js';
import { expectString } from './string-input.js';

const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** True for an Organizations root id (`r-…`) or OU id (`ou-…-…`), the StackSet deployment targets. */
export function isOrganizationalUnitId(value: unknown): value is string {
  return typeof value === 'string' && (ROOT_ID.test(value) || OU_ID.test(value));
}

/** A non-empty, de-duplicated list of root or OU ids (first-seen order), or organizational_unit_id_invalid naming the value. */
export function validateOrganizationalUnitIds(value: unknown, field = 'organizationalUnitIds'): string[] {
  if (!Array.isArray(value)) throw new InputError('invalid_type', 'Organizational unit ids must be a list', { field });
  if (value.length === 0) {
    throw new InputError('organizational_unit_ids_empty', 'Give the root id for the whole organization, or at least one OU id', {
      field,
    });
  }
  const ids = value.map((item, index) => {
    const text = expectString(item, `${field}.${index}`, 'Organizational unit id');
    if (!isOrganizationalUnitId(text)) {
      throw new InputError(
        'organizational_unit_id_invalid',
        `'${text}' is neither a root id (r-xxxx) nor an OU id (ou-xxxx-xxxxxxxx)`,
        { field: `${field}.${index}`, details: { value: text } },
      );
    }
    return text;
  });
  return [...new Set(ids)];
}
