/** Schemas of tenants, orgs, workspaces, users, memberships and tokens. */
import { z } from 'zod';
import { isoDate } from './common.js';

const name = z.string().trim().min(1).max(200);
const role = z.enum(['owner', 'admin', 'member']);

export const tenantSchema = z.object({ id: z.string(), name: z.string(), plan: z.enum(['standard', 'enterprise']), createdAt: isoDate });
export const createTenantBody = z.strictObject({
  name,
  plan: z.enum(['standard', 'enterprise']),
  owner: z.strictObject({ email: z.email(), name }).optional(),
});

export const orgSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  plan: z.enum(['free', 'team', 'enterprise']),
  createdAt: isoDate,
});
export const createOrgBody = z.strictObject({ name, plan: z.enum(['free', 'team', 'enterprise']) });

export const workspaceSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  orgId: z.string(),
  handle: z.string(),
  name: z.string(),
  createdAt: isoDate,
});
export const createWorkspaceBody = z.strictObject({ handle: z.string(), name });

export const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), isAdmin: z.boolean() });
export const membershipSchema = z.object({
  id: z.number().int(),
  userId: z.string(),
  tenantId: z.string(),
  scopeKind: z.enum(['tenant', 'org']),
  scopeId: z.string(),
  role,
  createdAt: isoDate,
});
export const addMemberBody = z.strictObject({ email: z.email(), name, role, orgId: z.string().min(1).optional() });
export const addMemberResponse = z.object({ membership: membershipSchema, user: userSchema, userCreated: z.boolean() });
export const memberSchema = z.object({ membership: membershipSchema, user: userSchema });
export const meSchema = z.object({ user: userSchema, memberships: z.array(membershipSchema) });

export const tokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  createdAt: isoDate,
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
});
export const createdTokenSchema = tokenSchema.extend({ token: z.string().describe('The secret; shown once, never again') });
export const createTokenBody = z.strictObject({ name });
export const userParams = z.strictObject({ userId: z.string().min(1).max(64) });
export const tokenParams = z.strictObject({ userId: z.string().min(1).max(64), tokenId: z.string().min(1).max(64) });
