/** Flags shared by `integration create|update` and `connection create|update`. */
import type { Command } from 'commander';
import { collectList, parseInteger, parseRegions, splitList } from '../command-helpers.js';

/** Adds --regions and the advanced-option flags (connection settings). */
export function addConnectionSettingOptions(command: Command): Command {
  return command
    .option('--regions <regions>', '"all" or a comma-separated list of region codes', parseRegions)
    .option('--max-error-retry-attempts <n>', 'advanced: retries on AWS errors', parseInteger)
    .option('--min-error-retry-delay-ms <ms>', 'advanced: minimum delay between retries', parseInteger)
    .option('--ignore-error-codes <codes>', 'advanced: comma-separated AWS error codes to ignore', splitList)
    .option('--default-region <region>', 'advanced: region for global API calls');
}

/** Adds the capability and policy flags that shape the roles' permissions; `capabilities` lists the ones allowed. */
export function addPolicyOptions(command: Command, capabilities = 'discovery, read_only, security_audit, identity_read, identity_provision'): Command {
  return command
    .option('--capability <name>', `${capabilities} (repeatable)`, collectList)
    .option('--managed-policy-arn <arn>', 'extra AWS managed policy to attach (repeatable)', collectList)
    .option('--extra-action <action>', 'extra allowed action, e.g. s3:GetObject (repeatable)', collectList);
}
