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
  'contactForm.signWorkingDays': {
    schema: z.number().int().min(0).max(30),
    default: 1,
    source: 'DOMAIN.md §3.3 (seed article 8): sign for it or object within 1 working day',
  },
  'contactForm.reviewWorkingDays': {
    schema: z.number().int().min(0).max(30),
    default: 2,
    source: 'issue 4 §6: the initiator reviews a reply within a policy time; seed article 8 names none, 2 working days',
  },
  'contactForm.supervisionWorkingDays': {
    schema: z.number().int().min(1).max(60),
    default: 3,
    source: 'issue 4 §7: supervision gets its own deadline; seed article 8 names none, 3 working days',
  },
  'cases.reminderWorkingHours': {
    schema: z.number().min(0).max(24),
    default: 2,
    source: 'issue 4: pre-breach reminder 2 working hours before a sign-or-object deadline',
  },
  'assessment.appealWorkingDays': {
    schema: z.number().int().min(0).max(30),
    default: 1,
    source: 'DOMAIN.md §3.7 (seed article 8): the assessed unit may appeal within 1 working day',
  },
  'assessment.points.contact_form.no_sign_in_time': {
    schema: z.number().min(0).max(100),
    default: 1,
    source: 'seed article 8 names no amount; 1 point as in seed 2 (考核扣1分)',
  },
  'assessment.points.contact_form.finished_late': {
    schema: z.number().min(0).max(100),
    default: 1,
    source: 'seed article 8 names no amount; 1 point as in seed 2 (考核扣1分)',
  },
  'assessment.points.contact_form.substandard_late': {
    schema: z.number().min(0).max(100),
    default: 2,
    source: 'seed article 8 names no amount; substandard and late weighs double the late case',
  },
  'assessment.money.contact_form.no_sign_in_time': {
    schema: z.number().min(0).max(100000),
    default: 0,
    source: 'seed article 8 names no fine; organizations set their own (seed 2 uses 200 元 for a unit head)',
  },
  'assessment.money.contact_form.finished_late': {
    schema: z.number().min(0).max(100000),
    default: 0,
    source: 'seed article 8 names no fine; organizations set their own',
  },
  'assessment.money.contact_form.substandard_late': {
    schema: z.number().min(0).max(100000),
    default: 0,
    source: 'seed article 8 names no fine; organizations set their own',
  },
} as const;

export type PolicyKey = keyof typeof POLICIES;
export type PolicyValue<K extends PolicyKey> = z.infer<(typeof POLICIES)[K]['schema']>;
