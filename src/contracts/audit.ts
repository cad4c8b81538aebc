import { z } from 'zod';
import { PageQuery } from './common.js';

export const AuditEventView = z.object({
  seq: z.number(),
  at: z.string(),
  actorAccountId: z.number().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  unitId: z.number().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  hash: z.string(),
});

export const AuditSearch = z.strictObject({
  ...PageQuery,
  order: z.enum(['asc', 'desc']).default('desc'),
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(50).optional(),
  action: z.string().max(80).optional(),
  actorAccountId: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
