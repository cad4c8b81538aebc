import {
  addDays,
  type Calendar,
  type CalendarFlag,
  type DeadlineResult,
  deadlineAfter,
  deadlineAfterHours,
  type ExplanationStep,
  instantAt,
  isValidDate,
  isWorkingDay,
  localDate,
  localDateTime,
} from '../../calendar/index.js';
import type { PolicyKey } from '../../policy/index.js';
import type { CaseTypeDef, ClockDef, DeadlineRule, PolicyNumbers } from './definition.js';

export type { PolicyNumbers } from './definition.js';

/** Every policy number a case type reads: its clocks' rules and reminders, and what its guards and branches name. */
export function policyKeysOf(def: Pick<CaseTypeDef, 'clocks' | 'policies'>): PolicyKey[] {
  const keys = new Set<PolicyKey>(def.policies ?? []);
  for (const c of def.clocks) {
    if (c.rule.kind !== 'date') keys.add(c.rule.policy);
    if (c.remindBefore) keys.add(c.remindBefore);
  }
  return [...keys];
}

export interface DeadlineSources {
  input: Record<string, unknown>;
  fields: Record<string, unknown>;
  part: Record<string, unknown> | null;
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
  remindAt: Date | null;
  steps: ExplanationStep[];
  flags: CalendarFlag[];
}

export function startClock(cal: Calendar, policies: PolicyNumbers, def: ClockDef, partId: number | null, now: Date, src: DeadlineSources): ClockStart {
  const r = computeDeadline(cal, policies, def.rule, now, src);
  const remind = def.remindBefore ? reminderAt(cal, r.deadline, need(policies, def.remindBefore)) : null;
  return {
    code: def.code,
    partId,
    startedAt: now,
    dueAt: r.deadline,
    remindAt: remind && remind > now ? remind : null,
    steps: r.steps,
    flags: r.flags,
  };
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
