import { describe, expect, it } from 'vitest';
import { buildCalendar, explain, localDateTime, officialCalendarRows } from '../../calendar/index.js';
import { anchorOf, computeDeadline, type DeadlineSources, startClock } from './clocks.js';
import type { ClockDef, DeadlineRule } from './definition.js';

/** Pure table tests of the relative deadline rules (issue 9 §3) on the official 2025–2026 calendar, Asia/Shanghai, 08:30–17:30. */

const cal = buildCalendar({
  timeZone: 'Asia/Shanghai',
  workdayStart: '08:30',
  workdayEnd: '17:30',
  officialYears: [2025, 2026],
  days: officialCalendarRows([2025, 2026]),
});
const policies = { 'notice.workStartLeadDays': 3, 'cases.reminderWorkingHours': 2 };
const local = (d: Date) => {
  const l = localDateTime(d, cal.timeZone);
  return `${l.date} ${l.time}`;
};
const src = (fields: Record<string, unknown>, over: Partial<DeadlineSources> = {}): DeadlineSources => ({ input: {}, fields, part: null, ...over });
/** Tuesday 2026-09-29 10:00 local: when the clock starts, unless the rule counts from something else. */
const NOW = new Date('2026-09-29T02:00:00Z');
type Relative = Extract<DeadlineRule, { kind: 'relative' }>;

const topics: Relative = {
  kind: 'relative',
  anchor: { from: 'fields', field: 'meetingAt' },
  direction: 'before',
  amount: { value: 1, source: '第八条：议题于会前一个工作日12:00前报送' },
  unit: 'workingDays',
  at: '12:00',
  nonWorkingDay: 'previous',
};
const workStart = (nonWorkingDay: 'keep' | 'previous' | 'next'): Relative => ({
  kind: 'relative',
  anchor: { from: 'fields', field: 'workStartDate' },
  direction: 'before',
  amount: { policy: 'notice.workStartLeadDays' },
  unit: 'calendarDays',
  nonWorkingDay,
});
const design: Relative = {
  kind: 'relative',
  anchor: { from: 'fields', field: 'designDate' },
  direction: 'before',
  amount: { value: 2, source: '第二条 一.1：设计前两年' },
  unit: 'years',
  nonWorkingDay: 'previous',
};
const within24h: Relative = {
  kind: 'relative',
  anchor: { from: 'started' },
  direction: 'after',
  amount: { value: 24, source: '第一条 5.3.3：24小时内' },
  unit: 'hours',
};

describe('relative deadline rules', () => {
  const table: [string, DeadlineRule, DeadlineSources, Date, string, number[]][] = [
    // "topics by Friday 12:00 before Monday's 11:00 meeting"
    ['topics: an ordinary Monday meeting → the Friday before at 12:00', topics, src({ meetingAt: '2026-11-16T11:00' }), NOW, '2026-11-13 12:00', []],
    ['topics: the Monday after 国庆 → Saturday 10月10日, a make-up working day', topics, src({ meetingAt: '2026-10-12T11:00' }), NOW, '2026-10-10 12:00', []],
    ['topics: the first day after 国庆 → 9月30日, before the holiday', topics, src({ meetingAt: '2026-10-08T11:00' }), NOW, '2026-09-30 12:00', []],
    ['topics: the first day after 春节 → Saturday 2月14日, a make-up working day', topics, src({ meetingAt: '2026-02-24T11:00' }), NOW, '2026-02-14 12:00', []],
    [
      'topics: two working days before the first day after 春节 → 2月13日',
      { ...topics, amount: { value: 2, source: '§' } },
      src({ meetingAt: '2026-02-24T11:00' }),
      NOW,
      '2026-02-13 12:00',
      [],
    ],
    [
      'topics: two working days before Monday 3月2日 counts the make-up Saturday 2月28日',
      { ...topics, amount: { value: 2, source: '§' } },
      src({ meetingAt: '2026-03-02' }),
      NOW,
      '2026-02-27 12:00',
      [],
    ],
    // "3 days before the work starts"
    ['work start: 3 calendar days before 10月5日 lands on 国庆, kept', workStart('keep'), src({ workStartDate: '2026-10-05' }), NOW, '2026-10-02 17:30', []],
    ['work start: … moved to the previous working day', workStart('previous'), src({ workStartDate: '2026-10-05' }), NOW, '2026-09-30 17:30', []],
    ['work start: … moved to the next working day', workStart('next'), src({ workStartDate: '2026-10-05' }), NOW, '2026-10-08 17:30', []],
    ['work start: on a working day nothing moves', workStart('next'), src({ workStartDate: '2026-11-19' }), NOW, '2026-11-16 17:30', []],
    // "2 years before the design date": the years in between have no official data yet — computed and flagged
    ['design: 2 years before 2028-03-15 is a Sunday → Friday 3月13日', design, src({ designDate: '2028-03-15' }), NOW, '2026-03-13 17:30', [2027, 2028]],
    [
      'design: 24 months before 29 February 2028 clamps to 2月28日, a make-up working day',
      { ...design, unit: 'months', amount: { value: 24, source: '§' } },
      src({ designDate: '2028-02-29' }),
      NOW,
      '2026-02-28 17:30',
      [2027, 2028],
    ],
    // "within 24 hours": natural hours, nights and holidays included
    ['within 24 hours of the start, into 国庆, kept', within24h, src({}), new Date('2026-09-30T07:00:00Z'), '2026-10-01 15:00', []],
    [
      'within 24 hours of a date-time with its offset',
      { ...within24h, anchor: { from: 'input', field: 'occurredAt' } },
      src({}, { input: { occurredAt: '2026-11-02T01:30:00Z' } }),
      NOW,
      '2026-11-03 09:30',
      [],
    ],
    [
      'within 24 hours of the case’s creation',
      { ...within24h, anchor: { from: 'created' } },
      src({}, { created: new Date('2026-11-02T01:30:00Z') }),
      NOW,
      '2026-11-03 09:30',
      [],
    ],
    [
      '1 working day after creation on the Friday before 春节 → the make-up Saturday',
      { ...within24h, anchor: { from: 'created' }, unit: 'workingDays', amount: { value: 1, source: '§' } },
      src({}, { created: new Date('2026-02-13T02:00:00Z') }),
      NOW,
      '2026-02-14 17:30',
      [],
    ],
    [
      '2 working days after creation on the Friday before 春节 → 2月24日',
      { ...within24h, anchor: { from: 'created' }, unit: 'workingDays', amount: { value: 2, source: '§' } },
      src({}, { created: new Date('2026-02-13T02:00:00Z') }),
      NOW,
      '2026-02-24 17:30',
      [],
    ],
    [
      '0 working days before a holiday date: the working day before it',
      { ...topics, amount: { value: 0, source: '§' }, at: '09:00' },
      src({ meetingAt: '2026-10-03' }),
      NOW,
      '2026-09-30 09:00',
      [],
    ],
    [
      'a date on the part, 5 days after',
      { ...workStart('keep'), anchor: { from: 'part', field: 'dueDate' }, direction: 'after' },
      src({}, { part: { dueDate: '2026-11-02' } }),
      NOW,
      '2026-11-05 17:30',
      [],
    ],
    ['a year without official data is computed and flagged', workStart('previous'), src({ workStartDate: '2027-01-04' }), NOW, '2027-01-01 17:30', [2027]],
  ];
  it.each(table)('%s', (_name, rule, sources, start, expected, flagYears) => {
    const r = computeDeadline(cal, policies, rule, start, sources);
    expect(local(r.deadline)).toBe(expected);
    expect(r.flags.map((f) => f.year)).toEqual(flagYears);
  });

  it('explains a count back over 国庆 to the make-up Saturday, with the clause the number comes from', () => {
    const r = computeDeadline(
      cal,
      policies,
      topics,
      NOW,
      src({ meetingAt: '2026-10-12T11:00' }, { labels: { 'field.meetingAt': { zh: '会议时间', en: 'meeting' } } }),
    );
    expect(explain(r.steps, 'zh-CN')).toEqual([
      '起算依据 会议时间：2026-10-12 11:00',
      '提前 1 个工作日（第八条：议题于会前一个工作日12:00前报送）',
      '跳过 10月11日 周末',
      '10月10日（调休上班）为往前第1个工作日',
      '截止 2026-10-10 12:00',
    ]);
    expect(explain(r.steps, 'en')[0]).toBe('Counted from meeting: 2026-10-12 11:00');
  });

  it('explains a date moved off 国庆 and names the policy', () => {
    const r = computeDeadline(cal, policies, workStart('previous'), NOW, src({ workStartDate: '2026-10-05' }));
    expect(explain(r.steps, 'zh-CN')).toEqual([
      '起算依据 fields.workStartDate：2026-10-05',
      '提前 3 天（制度参数 notice.workStartLeadDays）',
      '10月2日 国庆节 → 提前至 9月30日',
      '截止 2026-09-30 17:30',
    ]);
    expect(explain(r.steps, 'en').slice(1, 3)).toEqual([
      '3 day(s) before (policy notice.workStartLeadDays)',
      'Oct 2 国庆节 → moved to Sep 30 (previous working day)',
    ]);
  });

  it('explains a count back over 春节 as one skipped run', () => {
    const r = computeDeadline(cal, policies, { ...topics, amount: { value: 2, source: '§' } }, NOW, src({ meetingAt: '2026-02-24T11:00' }));
    expect(explain(r.steps, 'zh-CN').slice(2)).toEqual([
      '跳过 2月15日–2月23日 春节',
      '2月14日（调休上班）为往前第1个工作日',
      '2月13日 为往前第2个工作日',
      '截止 2026-02-13 12:00',
    ]);
  });

  it('refuses to count from a date the case does not carry', () => {
    expect(() => computeDeadline(cal, policies, topics, NOW, src({ meetingAt: 'next Monday' }))).toThrow(/fields.meetingAt/);
  });

  it('reads dates, local date-times and instants as anchors', () => {
    expect(anchorOf('2026-10-12')).toEqual({ date: '2026-10-12' });
    expect(anchorOf('2026-10-12T11:00')).toEqual({ date: '2026-10-12', time: '11:00' });
    expect(anchorOf('2026-10-12 11:00:30')).toEqual({ date: '2026-10-12', time: '11:00' });
    expect(anchorOf('2026-10-12T03:00:00.000Z')).toEqual({ instant: new Date('2026-10-12T03:00:00.000Z') });
    expect(anchorOf('2026-10-12T11:00+08:00')).toEqual({ instant: new Date('2026-10-12T03:00:00.000Z') });
    for (const bad of ['2026-02-30', '2026-10-12T25:00', 12, null, '']) expect(anchorOf(bad)).toBeNull();
  });
});

describe('several reminders', () => {
  const clock: ClockDef = {
    code: 'topics',
    level: 'case',
    rule: topics,
    awaits: 'drafter',
    reminders: [{ before: { value: 24, source: '§' } }, { before: { policy: 'cases.reminderWorkingHours' } }],
    onExpiry: [],
  };
  it('keeps the earliest reminder on the clock and the later ones in order', () => {
    const c = startClock(cal, policies, clock, null, NOW, src({ meetingAt: '2026-11-16T11:00' }));
    expect(local(c.dueAt)).toBe('2026-11-13 12:00');
    expect(local(c.remindAt as Date)).toBe('2026-11-12 12:00');
    expect(c.moreReminders?.map(local)).toEqual(['2026-11-13 10:00']);
  });
  it('drops reminders already past when the clock starts, and a reminder named twice is sent once', () => {
    const twice: ClockDef = { ...clock, remindBefore: 'cases.reminderWorkingHours' };
    const c = startClock(cal, policies, twice, null, new Date('2026-11-12T06:00:00Z'), src({ meetingAt: '2026-11-16T11:00' }));
    expect(local(c.remindAt as Date)).toBe('2026-11-13 10:00');
    expect(c.moreReminders).toBeUndefined();
  });
  it('leaves a clock with one reminder as it was', () => {
    const one: ClockDef = { ...clock, reminders: undefined, remindBefore: 'cases.reminderWorkingHours' };
    const c = startClock(cal, policies, one, null, NOW, src({ meetingAt: '2026-11-16T11:00' }));
    expect(local(c.remindAt as Date)).toBe('2026-11-13 10:00');
    expect('moreReminders' in c).toBe(false);
  });
});
