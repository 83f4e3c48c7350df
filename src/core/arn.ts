import { DomainError, InputError } from './errors.js';
import { validateRoleName } from './role-name.js';
import { expectString } from './string-input.js';

/** The AWS partitions orglink works in. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

/** A role ARN taken apart. `path` is `/` or `/a/b/`. */
export interface ParsedRoleArn {
  partition: Partition;
  accountId: string;
  path: string;
  roleName: string;
  arn: string;
}

/** True when the value is one of the supported partitions. */
export function isPartition(value: unknown): value is Partition {
  return typeof value === 'string' && (PARTITIONS as readonly string[]).includes(value);
}

function fail(code: string, message: string, field: string, arn: string): never {
  throw new InputError(code, `${message} (got '${arn}')`, { field, details: { value: arn } });
}

/** Parse `arn:(aws|aws-cn|aws-us-gov):iam::<12 digits>:role/<optional path/>name`, refusing anything else. */
export function parseRoleArn(value: unknown, field = 'roleArn'): ParsedRoleArn {
  const arn = expectString(value, field, 'Role ARN');
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    fail('role_arn_malformed', "Role ARN must look like 'arn:aws:iam::123456789012:role/RoleName'", field, arn);
  }
  const [, partition = '', service, region, accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (!isPartition(partition)) {
    fail('role_arn_unknown_partition', `Role ARN partition must be one of ${PARTITIONS.join(', ')}`, field, arn);
  }
  if (service !== 'iam' || region !== '') {
    fail('role_arn_not_iam', "Role ARN must be an IAM ARN ('arn:<partition>:iam::…', with no region)", field, arn);
  }
  if (!/^\d{12}$/.test(accountId)) {
    fail('role_arn_bad_account_id', 'Role ARN account ID must be exactly 12 digits', field, arn);
  }
  if (!resource.startsWith('role/')) {
    fail('role_arn_not_a_role', "Role ARN resource must start with 'role/'", field, arn);
  }
  const rest = resource.slice('role/'.length);
  const lastSlash = rest.lastIndexOf('/');
  const path = `/${rest.slice(0, lastSlash + 1)}`;
  const roleName = rest.slice(lastSlash + 1);
  if (path.length > 512 || !/^\/([\x21-\x2e\x30-\x7e]+\/)*$/.test(path)) {
    fail('role_arn_bad_path', 'Role ARN path must be printable ASCII segments separated by single slashes', field, arn);
  }
  try {
    validateRoleName(roleName, field);
  } catch (error) {
    const reason = error instanceof DomainError ? error.message : String(error);
    throw new InputError('role_arn_bad_role_name', `Role ARN has an invalid role name: ${reason}`, {
      field,
      details: { value: arn },
      cause: error,
    });
  }
  return { partition, accountId, path, roleName, arn };
}

/** Parse the discovery role ARN and require its role name to equal the integration's configured role name. */
export function validateDiscoveryRoleArn(value: unknown, roleName: string, field = 'roleArn'): ParsedRoleArn {
  const parsed = parseRoleArn(value, field);
  if (parsed.roleName !== roleName) {
    throw new InputError(
      'role_arn_name_mismatch',
      `Role ARN names role '${parsed.roleName}' but the integration's role name is '${roleName}'`,
      { field, details: { expected: roleName, got: parsed.roleName } },
    );
  }
  return parsed;
}
