import { describe, expect, it } from 'vitest';
import { buildCalendar, explain, officialCalendarRows } from '../../calendar/index.js';
import { POLICIES } from '../../policy/core.js';
import { commissionLetter } from '../types/commission-letter.js';
import { contactForm } from '../types/contact-form.js';
import { notice } from '../types/notice.js';
import { operationTicket } from '../types/operation-ticket.js';
import { computeDeadline, type DeadlineSources, dueSoonFrom, policyKeysOf, reminderAt, startClock } from './clocks.js';
import type { ClockDef } from './definition.js';

const cal = buildCalendar({
  timeZone: 'Asia/Shanghai',
  workdayStart: '08:30',
  workdayEnd: '17:30',
  officialYears: [2025, 2026],
  days: officialCalendarRows([2025, 2026]),
});
const policies = {
  'contactForm.signWorkingDays': 1,
  'notice.acknowledgeHours': 8,
  'commission.headingReportDays': 15,
  'cases.reminderWorkingHours': 2,
};
const at = (local: string) => new Date(`${local}+08:00`);
const none: DeadlineSources = { input: {}, fields: {}, part: null };
const due = (rule: Parameters<typeof computeDeadline>[2], start: Date, src: DeadlineSources = none) =>
  computeDeadline(cal, policies, rule, start, src).deadline.toISOString();

describe('deadlines by rule', () => {
  it('working days end at 17:30 of the Nth working day, skipping weekends and holidays', () => {
    const rule = { kind: 'workingDays', policy: 'contactForm.signWorkingDays' } as const;
    expect(due(rule, at('2026-09-29T10:00:00'))).toBe(at('2026-09-30T17:30:00').toISOString());
    // National Day 2026: Oct 1–7 off, Oct 8 back at work.
    expect(due(rule, at('2026-09-30T10:00:00'))).toBe(at('2026-10-08T17:30:00').toISOString());
    expect(due(rule, at('2026-10-02T10:00:00'))).toBe(at('2026-10-08T17:30:00').toISOString());
  });

  it('hours are natural hours, around the clock (one mining shift)', () => {
    const rule = { kind: 'hours', policy: 'notice.acknowledgeHours' } as const;
    expect(due(rule, at('2026-09-29T10:00:00'))).toBe(at('2026-09-29T18:00:00').toISOString());
    expect(due(rule, at('2026-10-01T20:00:00'))).toBe(at('2026-10-02T04:00:00').toISOString());
  });

  it('calendar days count holidays too and end at the end of that working day', () => {
    const rule = { kind: 'calendarDays', policy: 'commission.headingReportDays' } as const;
    expect(due(rule, at('2026-09-30T10:00:00'))).toBe(at('2026-10-15T17:30:00').toISOString());
    const r = computeDeadline(cal, policies, rule, at('2026-09-30T10:00:00'), none);
    expect(explain(r.steps, 'zh-CN').at(-1)).toContain('2026-10-15 17:30');
  });

  it('a date the case carries (input, fields or part) ends at 17:30 that day', () => {
    const start = at('2026-09-29T10:00:00');
    expect(due({ kind: 'date', from: 'input', field: 'dueDate' }, start, { input: { dueDate: '2026-10-20' }, fields: {}, part: null })).toBe(
      at('2026-10-20T17:30:00').toISOString(),
    );
    expect(due({ kind: 'date', from: 'part', field: 'dueDate' }, start, { input: {}, fields: {}, part: { dueDate: '2026-11-02' } })).toBe(
      at('2026-11-02T17:30:00').toISOString(),
    );
    expect(() => due({ kind: 'date', from: 'fields', field: 'dueDate' }, start)).toThrow('clock date fields.dueDate missing');
    expect(() => due({ kind: 'date', from: 'fields', field: 'dueDate' }, start, { input: {}, fields: { dueDate: '2026-02-30' }, part: null })).toThrow();
  });

  it('flags a deadline in a year without official holiday data', () => {
    const r = computeDeadline(cal, policies, { kind: 'date', from: 'input', field: 'd' }, at('2026-12-30T10:00:00'), {
      input: { d: '2027-01-05' },
      fields: {},
      part: null,
    });
    expect(r.flags).toEqual([{ code: 'NO_OFFICIAL_DATA', year: 2027 }]);
  });

  it('refuses to compute with a policy that was not loaded', () => {
    expect(() => computeDeadline(cal, {}, { kind: 'hours', policy: 'notice.acknowledgeHours' }, new Date(), none)).toThrow(
      'policy notice.acknowledgeHours not loaded',
    );
  });
});

describe('reminders and started clocks', () => {
  it('reminds the given hours before the deadline', () => {
    expect(reminderAt(cal, at('2026-09-30T17:30:00'), 2).toISOString()).toBe(at('2026-09-30T15:30:00').toISOString());
    // Early in the day there is not enough working time left: natural hours, a little early.
    expect(reminderAt(cal, at('2026-09-30T09:00:00'), 2).toISOString()).toBe(at('2026-09-30T07:00:00').toISOString());
  });

  it('starts a clock with its due time, reminder and explanation; a reminder already past is dropped', () => {
    const def: ClockDef = {
      code: 'acknowledge',
      level: 'part',
      rule: { kind: 'hours', policy: 'notice.acknowledgeHours' },
      remindBefore: 'cases.reminderWorkingHours',
      awaits: 'receiver',
      onExpiry: [],
    };
    const now = at('2026-09-29T10:00:00');
    const c = startClock(cal, policies, def, 3, now, none);
    expect(c).toMatchObject({ code: 'acknowledge', partId: 3, startedAt: now, flags: [] });
    expect(c.dueAt.toISOString()).toBe(at('2026-09-29T18:00:00').toISOString());
    expect(c.remindAt?.toISOString()).toBe(at('2026-09-29T16:00:00').toISOString());
    const short = startClock(cal, { ...policies, 'notice.acknowledgeHours': 1 }, def, 3, now, none);
    expect(short.remindAt).toBeNull();
  });
});

describe('the policies a case type reads', () => {
  it('collects the clocks’ rules and reminders and what guards and branches name', () => {
    expect(policyKeysOf(contactForm).sort()).toEqual([
      'cases.reminderWorkingHours',
      'contactForm.reviewWorkingDays',
      'contactForm.signWorkingDays',
      'contactForm.supervisionWorkingDays',
    ]);
    expect(policyKeysOf(notice).sort()).toEqual([
      'cases.reminderWorkingHours',
      'notice.acknowledgeHours',
      'notice.breakthroughCoalMeters',
      'notice.breakthroughRockMeters',
      'notice.workStartLeadDays',
    ]);
    expect(policyKeysOf(commissionLetter).sort()).toEqual([
      'cases.reminderWorkingHours',
      'commission.coalFaceReportDays',
      'commission.headingReportDays',
      'commission.receiptWorkingDays',
    ]);
    expect(policyKeysOf(operationTicket)).toEqual([]);
  });

  it('names only numeric policies with a source, with the seed numbers as defaults', () => {
    for (const def of [contactForm, commissionLetter, notice, operationTicket]) {
      for (const key of policyKeysOf(def)) {
        expect(typeof POLICIES[key].default, key).toBe('number');
        expect(POLICIES[key].source.length, key).toBeGreaterThan(10);
      }
    }
    expect([
      POLICIES['commission.headingReportDays'].default,
      POLICIES['commission.coalFaceReportDays'].default,
      POLICIES['notice.workStartLeadDays'].default,
      POLICIES['notice.breakthroughCoalMeters'].default,
      POLICIES['notice.breakthroughRockMeters'].default,
    ]).toEqual([15, 30, 3, 20, 15]);
  });
});

describe('due within a working day (orange, issue 8)', () => {
  it('starts at the same time on the working day before, over weekends and holidays, inside working hours', () => {
    // Wednesday 17:30 → Tuesday 17:30.
    expect(dueSoonFrom(cal, at('2026-09-30T17:30:00')).toISOString()).toBe(at('2026-09-29T17:30:00').toISOString());
    // Monday 2026-09-14 17:30 → Friday 2026-09-11 17:30, over the weekend.
    expect(dueSoonFrom(cal, at('2026-09-14T17:30:00')).toISOString()).toBe(at('2026-09-11T17:30:00').toISOString());
    // Monday 2026-09-21 → Sunday 2026-09-20, a make-up working day (调休) for the National Day week.
    expect(dueSoonFrom(cal, at('2026-09-21T17:30:00')).toISOString()).toBe(at('2026-09-20T17:30:00').toISOString());
    // Thursday 2026-10-08, the first working day after the holiday → Wednesday 2026-09-30.
    expect(dueSoonFrom(cal, at('2026-10-08T17:30:00')).toISOString()).toBe(at('2026-09-30T17:30:00').toISOString());
    // A natural-hours deadline at night counts from the start of the working day before.
    expect(dueSoonFrom(cal, at('2026-09-30T03:00:00')).toISOString()).toBe(at('2026-09-29T08:30:00').toISOString());
  });
});
