import { z } from 'zod';
import { Password, Username } from './auth.js';
import { TEXT_LIMITS } from './limits.js';

export const SetupStatus = z.object({ needed: z.boolean(), organizationName: z.string().nullable() });

export const SetupInput = z.strictObject({
  organizationName: z.string().trim().min(2).max(TEXT_LIMITS.organizationName),
  timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
  admin: z.strictObject({
    name: z.string().trim().min(1).max(TEXT_LIMITS.personName),
    username: Username,
    password: Password,
  }),
});
export type SetupInput = z.infer<typeof SetupInput>;
