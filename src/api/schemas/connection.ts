/** Schemas of connections: the standalone request shapes and the public view. */
import { z } from 'zod';
import { advancedSchema, isoDate, regionsSchema } from './common.js';

const stringList = (what: string) => z.array(z.string()).describe(what);
const capabilities = stringList("Capabilities of the connection's role (member role): read_only, security_audit, view_only; default [read_only]");
const customPolicyArns = stringList('Managed policy ARNs attached to the role (AWS or customer managed), at most 10');
const extraActions = stringList("Extra allowed actions such as 's3:GetObject' or 'ec2:Describe*'");

const accountScope = z.union([z.literal('all'), z.array(z.string())]).describe("'all' or a list of 12-digit account ids");

export const createConnectionBody = z.strictObject({
  handle: z.string(),
  orgId: z.string().min(1).optional().describe('Org that owns the connection; tenant-level when omitted'),
  title: z.string().max(200).optional(),
  accountId: z.string().optional().describe('The single account (Trelica style)'),
  accountScope: accountScope.optional().describe('Several accounts or all of them sharing one role (DoiT style)'),
  roleName: z.string(),
  externalId: z.string().optional(),
  regions: regionsSchema.optional(),
  advanced: z.unknown().optional(),
  capabilities: capabilities.optional(),
  customPolicyArns: customPolicyArns.optional(),
  extraActions: extraActions.optional(),
});

export const updateConnectionBody = z.strictObject({
  handle: z.string().optional(),
  title: z.string().max(200).optional(),
  accountId: z.string().nullable().optional(),
  accountScope: accountScope.nullable().optional(),
  roleName: z.string().optional(),
  externalId: z.string().optional(),
  regions: regionsSchema.optional(),
  advanced: z.unknown().optional(),
  capabilities: capabilities.optional(),
  customPolicyArns: customPolicyArns.optional(),
  extraActions: extraActions.optional(),
});

export const connectionSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  orgId: z.string().nullable(),
  scope: z.enum(['tenant', 'org']),
  standalone: z.boolean(),
  integrationId: z.string().nullable(),
  folderId: z.string().nullable(),
  handle: z.string(),
  title: z.string(),
  accountId: z.string().nullable(),
  accountScope: accountScope.nullable(),
  roleName: z.string().nullable(),
  externalId: z.string().nullable(),
  regions: regionsSchema.nullable(),
  advanced: advancedSchema.nullable(),
  capabilities: capabilities.nullable().describe('null for a discovered connection: it inherits its integration\'s'),
  customPolicyArns: customPolicyArns.nullable(),
  extraActions: extraActions.nullable(),
  state: z.enum(['active', 'disabled']),
  awsState: z.string().nullable(),
  health: z.enum(['unknown', 'ok', 'blocked', 'error']),
  healthReason: z.string().nullable(),
  healthCheckedAt: isoDate.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const connectionDeletedSchema = z.object({
  id: z.string(),
  handle: z.string(),
  deleted: z.literal(true),
  removed: z.object({ permissions: z.number().int() }),
});

export const connectionListQuery = z.strictObject({
  orgId: z.string().optional(),
  integrationId: z.string().optional(),
  standalone: z.enum(['true', 'false']).optional(),
});
