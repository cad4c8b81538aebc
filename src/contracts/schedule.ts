import { z } from 'zod';
import { IsoDate } from './common.js';

/** Local wall time "HH:MM", 00:00–23:59. */
const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
/** 0 = Sunday … 6 = Saturday (the calendar core's numbering). */
const Weekday = z.number().int().min(0).max(6);
/** A day of the month; a day a shorter month lacks is clamped to its last day (ADR 0009). */
const MonthDay = z.number().int().min(1).max(31);

/** What to do when an occurrence falls on a non-working day (weekend, holiday, organization day off). */
export const NonWorkingDayPolicy = z.enum(['keep', 'previous', 'next']);

/** A dependent deadline: N working days before the (possibly moved) occurrence, at a local time. */
export const OccurrenceDeadline = z.strictObject({
  workingDaysBefore: z.number().int().min(0).max(60),
  at: HhMm,
});

const common = {
  /** Anchor: no occurrence before it; "every N weeks/months" counts from its week/month. */
  start: IsoDate,
  /** Last nominal date (inclusive), optional. */
  until: IsoDate.optional(),
  /** Number of nominal occurrences from `start`, optional. */
  count: z.number().int().min(1).max(1000).optional(),
  /** Local time of each occurrence. */
  time: HhMm,
  nonWorkingDay: NonWorkingDayPolicy.default('keep'),
  deadline: OccurrenceDeadline.optional(),
};

export const RecurrenceRule = z.discriminatedUnion('freq', [
  z.strictObject({
    freq: z.literal('weekly'),
    /** Every `interval` weeks (weeks start on Monday). */
    interval: z.number().int().min(1).max(52).default(1),
    weekdays: z.array(Weekday).min(1).max(7),
    ...common,
  }),
  z.strictObject({
    freq: z.literal('monthly'),
    interval: z.number().int().min(1).max(12).default(1),
    /** Day of the month (clamped to the month's end). */
    day: MonthDay,
    ...common,
  }),
  z.strictObject({
    freq: z.literal('monthlyWeekday'),
    interval: z.number().int().min(1).max(12).default(1),
    /** "first … fourth, last <weekday> of the month". */
    week: z.enum(['first', 'second', 'third', 'fourth', 'last']),
    weekday: Weekday,
    ...common,
  }),
  z.strictObject({
    freq: z.literal('quarterly'),
    /** 0 = first month of the calendar quarter (Jan/Apr/Jul/Oct) … 2 = last. */
    monthOffset: z.number().int().min(0).max(2),
    day: MonthDay,
    ...common,
  }),
  z.strictObject({
    freq: z.literal('halfYearly'),
    /** 0 = January/July … 5 = June/December. */
    monthOffset: z.number().int().min(0).max(5),
    day: MonthDay,
    ...common,
  }),
  z.strictObject({
    freq: z.literal('yearly'),
    month: z.number().int().min(1).max(12),
    /** February 29 falls on February 28 in common years; a day no such month has (Feb 30) is refused. */
    day: MonthDay,
    ...common,
  }),
  z.strictObject({
    freq: z.literal('termly'),
    /**
     * At each school term of the organization's calendar (每学期初 / 学期末): `offsetDays` calendar days
     * after its first day or before its last one (kept inside the term), then moved by `nonWorkingDay`.
     */
    anchor: z.enum(['start', 'end']),
    offsetDays: z.number().int().min(0).max(60).default(0),
    ...common,
  }),
  z.strictObject({
    freq: z.literal('window'),
    /**
     * "At least `atLeast` in each period" (visits, talks, reports): one occurrence per calendar week
     * (Monday–Sunday), month, quarter, half-year, year or school term (每学期检查一次), due on the
     * period's last day (moved by `nonWorkingDay`, usually 'previous'), carrying the window it counts in.
     */
    period: z.enum(['week', 'month', 'quarter', 'halfYear', 'year', 'term']),
    atLeast: z.number().int().min(1).max(366),
    ...common,
  }),
]);
export type RecurrenceRuleInput = z.input<typeof RecurrenceRule>;
export type RecurrenceRuleValue = z.output<typeof RecurrenceRule>;

/** Longest preview range: `to` at most two years after `from` (2026-02-28 → 2028-02-28; 02-29 → 02-28). */
export const MAX_PREVIEW_YEARS = 2;

/** The date `years` after `date`, February 29 falling on the 28th in a common year. */
export function yearsAfter(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const md = date.slice(5) === '02-29' && !leap ? '02-28' : date.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}

export const SchedulePreviewInput = z.strictObject({ rule: RecurrenceRule, from: IsoDate, to: IsoDate }).superRefine((v, ctx) => {
  if (v.to < v.from) ctx.addIssue({ code: 'custom', message: 'not_before_from', path: ['to'] });
  else if (v.to > yearsAfter(v.from, MAX_PREVIEW_YEARS)) ctx.addIssue({ code: 'custom', message: 'range_too_long', path: ['to'] });
});

export const OccurrenceView = z.object({
  /** Local date YYYY-MM-DD after the non-working-day policy. */
  date: z.string(),
  time: z.string(),
  /** UTC instant (ISO). */
  at: z.string(),
  /** The nominal date when the policy moved the occurrence. */
  movedFrom: z.string().optional(),
  deadline: z.object({ date: z.string(), time: z.string(), at: z.string() }).optional(),
  /** A `window` rule: the days the period counts (from the later of its first day and `start`) and how many it needs. */
  window: z.object({ from: z.string(), to: z.string(), atLeast: z.number() }).optional(),
  explanation: z.array(z.string()),
  flags: z.array(z.object({ code: z.string(), year: z.number(), message: z.string() })),
});

export const SchedulePreviewAnswer = z.object({
  timeZone: z.string(),
  occurrences: z.array(OccurrenceView),
  flags: z.array(z.object({ code: z.string(), year: z.number(), message: z.string() })),
});
