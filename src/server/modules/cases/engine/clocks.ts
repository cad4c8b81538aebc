import {
  addDays,
  type Calendar,
  type CalendarFlag,
  type DeadlineResult,
  deadlineAfter,
  deadlineAfterHours,
  deadlineRelative,
  type ExplanationStep,
  instantAt,
  isValidDate,
  isWorkingDay,
  localDate,
  localDateTime,
  type RelativeAnchor,
} from '../../calendar/core.js';
import type { PolicyKey } from '../../policy/index.js';
import type { Amount, CaseTypeDef, ClockDef, DeadlineRule, PolicyNumbers } from './definition.js';

export type { PolicyNumbers } from './definition.js';

/** Every policy number a case type reads: its clocks' rules and reminders, and what its guards and branches name. */
export function policyKeysOf(def: Pick<CaseTypeDef, 'clocks' | 'policies'>): PolicyKey[] {
  const keys = new Set<PolicyKey>(def.policies ?? []);
  const amount = (a: Amount) => {
    if ('policy' in a) keys.add(a.policy);
  };
  for (const c of def.clocks) {
    if (c.rule.kind === 'relative') amount(c.rule.amount);
    else if (c.rule.kind !== 'date') keys.add(c.rule.policy);
    if (c.remindBefore) keys.add(c.remindBefore);
    for (const r of c.reminders ?? []) amount(r.before);
  }
  return [...keys];
}

export interface DeadlineSources {
  input: Record<string, unknown>;
  fields: Record<string, unknown>;
  part: Record<string, unknown> | null;
  /** When the case was created: the anchor `{ from: 'created' }` (default: the clock's start). */
  created?: Date;
  /** Names of the case's fields (`field.x` labels), for the explanation of what a deadline counts from. */
  labels?: Readonly<Record<string, { zh: string; en: string }>>;
}

const DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})[T ]([01]\d:[0-5]\d|2[0-3]:[0-5]\d)(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** A date or date-time value on the case as an anchor: a local date, a local date-time in the zone, or an instant (with Z or an offset). */
export function anchorOf(value: unknown): RelativeAnchor | null {
  if (typeof value !== 'string') return null;
  if (isValidDate(value)) return { date: value };
  const m = DATE_TIME_RE.exec(value);
  if (!m || !isValidDate(m[1] ?? '')) return null;
  if (m[3]) {
    const instant = new Date(value);
    return Number.isNaN(instant.getTime()) ? null : { instant };
  }
  return { date: m[1] as string, time: m[2] as string };
}

/** The number an amount stands for, and where it comes from. */
function amountOf(policies: PolicyNumbers, a: Amount): { n: number; policy?: string; source?: string } {
  return 'policy' in a ? { n: need(policies, a.policy), policy: a.policy } : { n: a.value, source: a.source };
}

/** End of the working day on a given date: a requested completion date, a granted extension. */
function endOfDate(cal: Calendar, start: Date, date: string): DeadlineResult {
  const deadline = instantAt(date, cal.workdayEnd, cal.timeZone);
  const s = localDateTime(start, cal.timeZone);
  const year = Number(date.slice(0, 4));
  const flags: CalendarFlag[] = cal.officialYears.includes(year) ? [] : [{ code: 'NO_OFFICIAL_DATA', year }];
  const steps: ExplanationStep[] = [
    { kind: 'start', at: start.toISOString(), date: s.date, local: `${s.date} ${s.time}` },
    { kind: 'deadline', at: deadline.toISOString(), local: `${date} ${cal.workdayEnd}` },
  ];
  return { deadline, steps, flags };
}

export function computeDeadline(cal: Calendar, policies: PolicyNumbers, rule: DeadlineRule, start: Date, src: DeadlineSources): DeadlineResult {
  switch (rule.kind) {
    case 'workingDays':
      return deadlineAfter(cal, start, need(policies, rule.policy));
    case 'hours':
      return deadlineAfterHours(cal, start, need(policies, rule.policy));
    case 'calendarDays': {
      const date = addDays(localDate(start, cal.timeZone), need(policies, rule.policy));
      return endOfDate(cal, start, date);
    }
    case 'date': {
      const bag = rule.from === 'input' ? src.input : rule.from === 'fields' ? src.fields : (src.part ?? {});
      const date = bag[rule.field];
      if (typeof date !== 'string' || !isValidDate(date)) throw new Error(`clock date ${rule.from}.${rule.field} missing`);
      return endOfDate(cal, start, date);
    }
    case 'relative': {
      const a = rule.anchor;
      let anchor: RelativeAnchor | null;
      let ref: string;
      let label: { zh: string; en: string } | undefined;
      if (a.from === 'started') {
        anchor = { instant: start };
        ref = 'started';
      } else if (a.from === 'created') {
        anchor = { instant: src.created ?? start };
        ref = 'created';
      } else {
        const bag = a.from === 'input' ? src.input : a.from === 'fields' ? src.fields : (src.part ?? {});
        anchor = anchorOf(bag[a.field]);
        if (!anchor) throw new Error(`clock anchor ${a.from}.${a.field} missing`);
        ref = `${a.from}.${a.field}`;
        label = src.labels?.[`field.${a.field}`];
      }
      const amount = amountOf(policies, rule.amount);
      return deadlineRelative(cal, {
        anchor,
        ref,
        ...(label && { label }),
        direction: rule.direction,
        unit: rule.unit,
        ...amount,
        ...(rule.at && { at: rule.at }),
        ...(rule.nonWorkingDay && { nonWorkingDay: rule.nonWorkingDay }),
      });
    }
  }
}

function need(policies: PolicyNumbers, key: string): number {
  const v = policies[key];
  if (v === undefined) throw new Error(`policy ${key} not loaded`);
  return v;
}

/**
 * When to remind before a deadline, `hours` of working time ahead. A deadline at the end of a working
 * day is reminded that afternoon; when the working day has fewer hours left, natural hours are used
 * (a reminder a little early is better than one after the deadline).
 */
export function reminderAt(cal: Calendar, due: Date, hours: number): Date {
  const { date } = localDateTime(due, cal.timeZone);
  const dayStart = instantAt(date, cal.workdayStart, cal.timeZone);
  const candidate = new Date(due.getTime() - hours * 3_600_000);
  return candidate >= dayStart ? candidate : new Date(Math.min(candidate.getTime(), due.getTime()));
}

export interface ClockStart {
  code: string;
  partId: number | null;
  startedAt: Date;
  dueAt: Date;
  /** The earliest reminder still ahead (kept on the clock row). */
  remindAt: Date | null;
  /** Later reminders still ahead, ascending (a clock with several reminders, issue 9 §3). */
  moreReminders?: Date[];
  steps: ExplanationStep[];
  flags: CalendarFlag[];
}

export function startClock(cal: Calendar, policies: PolicyNumbers, def: ClockDef, partId: number | null, now: Date, src: DeadlineSources): ClockStart {
  const r = computeDeadline(cal, policies, def.rule, now, src);
  const hours = [...(def.remindBefore ? [need(policies, def.remindBefore)] : []), ...(def.reminders ?? []).map((x) => amountOf(policies, x.before).n)];
  const ahead = [...new Set(hours.map((h) => reminderAt(cal, r.deadline, h).getTime()))]
    .filter((t) => t > now.getTime())
    .sort((a, b) => a - b)
    .map((t) => new Date(t));
  const c: ClockStart = {
    code: def.code,
    partId,
    startedAt: now,
    dueAt: r.deadline,
    remindAt: ahead[0] ?? null,
    steps: r.steps,
    flags: r.flags,
  };
  if (ahead.length > 1) c.moreReminders = ahead.slice(1);
  return c;
}

/**
 * From when a deadline is "due within a working day" (issue 8: orange within a working day, red once
 * overdue): the same local time on the working day before, kept inside working hours. A deadline at
 * 17:30 on Wednesday turns urgent at 17:30 on Tuesday; one on Monday at 17:30 on the Friday before.
 */
export function dueSoonFrom(cal: Calendar, due: Date): Date {
  const { date, time } = localDateTime(due, cal.timeZone);
  let day = addDays(date, -1);
  for (let i = 0; i < 366 && !isWorkingDay(cal, day); i++) day = addDays(day, -1);
  // biome-ignore lint/complexity/useMathMinMax: "HH:mm" strings, compared as text; Math.min would turn them into NaN
  const at = time < cal.workdayStart ? cal.workdayStart : time > cal.workdayEnd ? cal.workdayEnd : time;
  return instantAt(day, at, cal.timeZone);
}
