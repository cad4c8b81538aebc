import { z } from 'zod';
import { IsoDate } from './common.js';
import { TEXT_LIMITS } from './limits.js';

export const CalendarDayView = z.object({
  date: z.string(),
  working: z.boolean(),
  reason: z.string(),
  name: z.string().nullable(),
  officialDataMissing: z.boolean(),
});

export const CalendarYearView = z.object({
  year: z.number(),
  hasOfficialData: z.boolean(),
  officialSource: z.string().nullable(),
  policy: z.object({ timeZone: z.string(), workdayStart: z.string(), workdayEnd: z.string() }),
  /** Only the days that differ from a plain Mon–Fri week, plus the organization's overrides. */
  specialDays: z.array(CalendarDayView),
  overrides: z.array(z.object({ date: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() })),
  warnings: z.array(z.string()),
});

export const CalendarOverrideInput = z.strictObject({
  date: IsoDate,
  kind: z.enum(['holiday', 'workday']),
  name: z.string().trim().min(1).max(TEXT_LIMITS.calendarDayName),
});

/** An official arrangement for a year the packaged data does not cover yet (e.g. 2027). */
export const CalendarYearImport = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  source: z.string().trim().min(1).max(TEXT_LIMITS.calendarSource),
  days: z.array(z.strictObject({ date: IsoDate, kind: z.enum(['holiday', 'workday']), name: z.string().trim().min(1).max(50) })).max(366),
});

/** A school term (学期): rules count in terms (每学期初、学期末、每学期检查一次). */
export const SchoolTermInput = z.strictObject({
  name: z.string().trim().min(1).max(TEXT_LIMITS.calendarDayName),
  startsOn: IsoDate,
  endsOn: IsoDate,
});
/** The organization's terms as a whole (a school enters a year's two terms at once); ascending, apart. */
export const SchoolTermsInput = z.strictObject({ terms: z.array(SchoolTermInput).max(60) });
export const SchoolTermsView = z.object({ terms: z.array(z.object({ name: z.string(), startsOn: z.string(), endsOn: z.string() })) });

const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
export const CalendarPolicyInput = z.strictObject({ workdayStart: HhMm, workdayEnd: HhMm });

export const DeadlineQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }),
    workingDays: z.coerce.number().int().min(0).max(365).optional(),
    hours: z.coerce
      .number()
      .min(0)
      .max(24 * 366)
      .optional(),
  })
  .refine((q) => (q.workingDays === undefined) !== (q.hours === undefined), {
    message: 'workingDays_or_hours',
    path: ['workingDays'],
  });

export const DeadlineAnswer = z.object({
  deadline: z.string(),
  /** Local wall time in the organization's zone, "2026-10-08 17:30". */
  local: z.string(),
  explanation: z.array(z.string()),
  flags: z.array(z.object({ code: z.string(), year: z.number(), message: z.string() })),
});
