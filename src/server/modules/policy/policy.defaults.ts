import { z } from 'zod';

/**
 * Every number the rules depend on is a policy: a typed default that names its source, which the
 * organization may override (stored in the `policy` table, validated by the same schema).
 */
export const POLICIES = {
  'calendar.workdayEnd': {
    schema: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    default: '17:30',
    source: 'DOMAIN.md §2: end of the working day 17:30',
  },
  'calendar.workdayStart': {
    schema: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    default: '08:30',
    source: 'common office hours (no seed names it); used for working-time elapsed',
  },
  'auth.lockoutFailures': {
    schema: z.number().int().min(3).max(100),
    default: 5,
    source: 'issue 3: temporary lockout after repeated wrong passwords (OWASP suggests 3–10)',
  },
  'auth.lockoutMinutes': {
    schema: z.number().int().min(1).max(1440),
    default: 15,
    source: 'issue 3: temporary lockout',
  },
  'auth.sessionIdleMinutes': {
    schema: z
      .number()
      .int()
      .min(5)
      .max(60 * 24 * 30),
    default: 12 * 60,
    source: 'sliding session expiry: a working day and a half without activity',
  },
} as const;

export type PolicyKey = keyof typeof POLICIES;
export type PolicyValue<K extends PolicyKey> = z.infer<(typeof POLICIES)[K]['schema']>;
