/** Schemas of integrations: the request shapes (rules are checked by core) and the public view. */
import { z } from 'zod';
import { SYNC_INTERVAL_RULE } from '../../core/sync-interval.js';
import { advancedSchema, isoDate, regionsSchema } from './common.js';

const permissionsSchema = z.strictObject({
  mode: z.enum(['all', 'specific', 'none']),
  workspaceIds: z.array(z.string()).optional(),
});

const connectionSettings = z.strictObject({
  handlePrefix: z.string().nullable().optional(),
  regions: regionsSchema.optional(),
  advanced: z.unknown().optional().describe('Advanced connection options (see AdvancedOptions)'),
});

/** The shape only; the bounds are core's (validateSyncInterval), so every caller meets the same rule. */
const syncSettings = z.strictObject({
  intervalSeconds: z
    .number({ error: `must be ${SYNC_INTERVAL_RULE}` })
    .nullable()
    .describe(`Seconds between scheduled syncs of this integration: ${SYNC_INTERVAL_RULE}`),
});

export const createIntegrationBody = z.strictObject({
  handle: z.string(),
  discovery: z.strictObject({
    roleName: z.string(),
    externalId: z.string().optional().describe('Generated when omitted: {tenantOrOrgId}:{8 alphanumerics}'),
    roleArn: z.string().nullable().optional().describe('Entered after deploying the template'),
  }),
  connections: connectionSettings.optional(),
  capabilities: z.array(z.string()).optional(),
  customPolicyArns: z.array(z.string()).optional(),
  extraActions: z.array(z.string()).optional(),
  permissions: permissionsSchema.optional(),
  sync: syncSettings.optional().describe('Omitted: the server default schedule'),
});

export const updateIntegrationBody = z.strictObject({
  handle: z.string().optional(),
  discovery: z
    .strictObject({ roleName: z.string().optional(), externalId: z.string().optional(), roleArn: z.string().nullable().optional() })
    .optional(),
  connections: connectionSettings.optional(),
  capabilities: z.array(z.string()).optional(),
  customPolicyArns: z.array(z.string()).optional(),
  extraActions: z.array(z.string()).optional(),
  permissions: permissionsSchema.optional(),
  sync: syncSettings.optional().describe('Omitted: the interval stays as it is'),
});

export const confirmBody = z.strictObject({ confirm: z.string().describe('The handle, typed back') });

export const integrationSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  orgId: z.string().nullable(),
  scope: z.enum(['tenant', 'org']),
  kind: z.literal('aws_organization'),
  handle: z.string(),
  discovery: z.object({ roleName: z.string(), externalId: z.string(), roleArn: z.string().nullable() }),
  connections: z.object({ handlePrefix: z.string().nullable(), regions: regionsSchema, advanced: advancedSchema }),
  capabilities: z.array(z.string()),
  customPolicyArns: z.array(z.string()),
  extraActions: z.array(z.string()),
  permissions: z.object({ mode: z.enum(['all', 'specific', 'none']), workspaceIds: z.array(z.string()) }),
  sync: z.object({
    lastSyncedAt: isoDate.nullable().describe('When the last sync ended, whatever its outcome; null before the first'),
    lastSyncStatus: z.enum(['succeeded', 'failed', 'awaiting_approval']).nullable(),
    intervalSeconds: z.number().int().nullable().describe('null: the server default (sync.intervalSeconds); 0: never scheduled'),
  }),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const integrationDeletedSchema = z.object({
  id: z.string(),
  handle: z.string(),
  deleted: z.literal(true),
  removed: z.object({ folders: z.number().int(), connections: z.number().int(), permissions: z.number().int() }),
});

export const integrationListQuery = z.strictObject({ orgId: z.string().optional() });
