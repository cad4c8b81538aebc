import { z } from 'zod';
import { Id, IsoInstant } from './common.js';

/** 委托代理 (issue 9 §2): hand one's roles to a deputy for a period. Without `principalPersonId`: one's own. */
export const DelegationCreate = z.strictObject({
  principalPersonId: Id.optional(),
  deputyPersonId: Id,
  from: IsoInstant,
  until: IsoInstant,
  reason: z.string().trim().min(1).max(500),
});

const PersonRef = z.object({ id: z.number(), name: z.string() });

export const DelegationView = z.object({
  id: z.number(),
  principal: PersonRef,
  deputy: PersonRef,
  from: z.string(),
  until: z.string(),
  reason: z.string(),
  createdBy: PersonRef,
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  /** 'active': in force now; 'scheduled': starts later; 'ended': its period is over; 'revoked': ended early. */
  status: z.enum(['scheduled', 'active', 'ended', 'revoked']),
});
export type DelegationView = z.infer<typeof DelegationView>;
