/** Schemas of the audit log. */
import { z } from 'zod';
import { isoDate } from './common.js';

export const auditEntrySchema = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  actorUserId: z.string().nullable(),
  actorTokenId: z.string().nullable(),
  action: z.string(),
  targetKind: z.string(),
  targetId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  at: isoDate,
});

export const auditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.string().regex(/^\d{1,18}$/, 'must be an audit entry id').optional(),
});

export const installationAuditQuery = auditQuery.extend({
  tenantId: z.string().min(1).max(64).optional().describe("A tenant id, or 'none' for entries that belong to no tenant"),
});
