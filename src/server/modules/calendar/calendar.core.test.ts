import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addWorkingDays,
  buildCalendar,
  type Calendar,
  type CalendarDayRow,
  type CalendarPolicy,
  dayInfo,
  deadlineAfter,
  deadlineAfterHours,
  describeFlags,
  explain,
  instantAt,
  isWorkingDay,
  localDate,
  localDateTime,
  workingTimeBetween,
} from './calendar.core.js';
import { availableOfficialYears, OFFICIAL_SOURCE, OFFICIAL_YEARS, officialCalendarRows } from './official-holidays.js';

const SHANGHAI: CalendarPolicy = { timeZone: 'Asia/Shanghai', workdayStart: '08:30', workdayEnd: '17:30' };
const OFFICIAL = officialCalendarRows([2025, 2026]);

function calendar(org: Omit<CalendarDayRow, 'source'>[] = [], policy: CalendarPolicy = SHANGHAI): Calendar {
  return buildCalendar({
    ...policy,
    officialYears: [2025, 2026],
    days: [...OFFICIAL, ...org.map((r) => ({ ...r, source: 'org' as const }))],
  });
}

const cal = calendar();
const HOUR = 3_600_000;

describe('official holiday data (chinese-days)', () => {
  it('records the installed package version as the official source', () => {
    const pkg = createRequire(import.meta.url)('chinese-days/package.json') as { version: string };
    expect(OFFICIAL_SOURCE).toBe(`chinese-days@${pkg.version}`);
    expect(OFFICIAL_YEARS).toEqual([2025, 2026]);
  });

  it('has 2025 and 2026 but not 2027', () => {
    const years = availableOfficialYears();
    expect(years).toContain(2025);
    expect(years).toContain(2026);
    expect(years).not.toContain(2027);
  });

  it('refuses to produce rows for a year the package does not know (no silent weekends-only seed)', () => {
    expect(() => officialCalendarRows([2026, 2027])).toThrow(RangeError);
  });

  it('gives the 2026 Spring Festival as 2/15–2/23 off with make-up Saturdays 2/14 and 2/28', () => {
    const feb = OFFICIAL.filter((r) => r.date.startsWith('2026-02'));
    expect(feb.filter((r) => r.kind === 'holiday').map((r) => r.date)).toEqual([
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ]);
    expect(feb.filter((r) => r.kind === 'workday')).toEqual([
      { date: '2026-02-14', source: 'official', kind: 'workday', name: '春节调休' },
      { date: '2026-02-28', source: 'official', kind: 'workday', name: '春节调休' },
    ]);
    expect(new Set(feb.filter((r) => r.kind === 'holiday').map((r) => r.name))).toEqual(new Set(['春节']));
  });

  it('lists all six 2026 make-up workdays and five for 2025, every row official and unique per date', () => {
    const workdays = (y: string) => OFFICIAL.filter((r) => r.kind === 'workday' && r.date.startsWith(y)).map((r) => r.date);
    expect(workdays('2026')).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(workdays('2025')).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(OFFICIAL.every((r) => r.source === 'official')).toBe(true);
    expect(new Set(OFFICIAL.map((r) => r.date)).size).toBe(OFFICIAL.length);
  });

  it('uses full Chinese holiday names', () => {
    const names = new Set(OFFICIAL.filter((r) => r.kind === 'holiday').map((r) => r.name));
    expect(names).toEqual(new Set(['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节']));
  });
});

describe('dayInfo classifies a date and says why', () => {
  it.each([
    ['2026-03-16', true, 'weekday', undefined, 1],
    ['2026-03-14', false, 'weekend', undefined, 6],
    ['2026-10-01', false, 'official_holiday', '国庆节', 4],
    ['2026-10-03', false, 'official_holiday', '国庆节', 6],
    ['2026-10-10', true, 'official_workday', '国庆节调休', 6],
    ['2026-02-14', true, 'official_workday', '春节调休', 6],
    ['2025-10-06', false, 'official_holiday', '中秋节', 1],
  ] as const)('%s → working=%s (%s %s)', (date, working, reason, name, weekday) => {
    const info = dayInfo(cal, date);
    expect(info).toEqual({
      date,
      working,
      reason,
      weekday,
      officialDataMissing: false,
      ...(name ? { name } : {}),
    });
    expect(isWorkingDay(cal, date)).toBe(working);
  });

  it('computes a year without official data by weekends only and marks it', () => {
    expect(dayInfo(cal, '2027-01-01')).toEqual({
      date: '2027-01-01',
      working: true,
      reason: 'weekday',
      weekday: 5,
      officialDataMissing: true,
    });
    expect(dayInfo(cal, '2027-01-02')).toMatchObject({ working: false, reason: 'weekend', officialDataMissing: true });
  });

  it('rejects malformed dates', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-5', '', 'tomorrow']) {
      expect(() => dayInfo(cal, bad)).toThrow(RangeError);
    }
  });
});

describe('org overrides win over official rows and weekends', () => {
  const org = calendar([
    { date: '2026-03-16', kind: 'holiday', name: '厂庆' }, // a Monday off
    { date: '2026-03-21', kind: 'workday', name: '年度盘点' }, // a Saturday on
    { date: '2026-10-10', kind: 'holiday', name: '调休取消' }, // cancels an official make-up day
    { date: '2026-10-05', kind: 'workday', name: '抢修值守' }, // works on an official holiday
  ]);

  it.each([
    ['2026-03-16', false, 'org_holiday', '厂庆'],
    ['2026-03-21', true, 'org_workday', '年度盘点'],
    ['2026-10-10', false, 'org_holiday', '调休取消'],
    ['2026-10-05', true, 'org_workday', '抢修值守'],
  ] as const)('%s → working=%s (%s)', (date, working, reason, name) => {
    expect(dayInfo(org, date)).toMatchObject({ working, reason, name });
  });

  it.each([
    ['an extra day off pushes the deadline', '2026-03-13T10:00:00+08:00', 1, '2026-03-17T17:30:00+08:00'],
    ['an extra working Saturday counts', '2026-03-20T10:00:00+08:00', 1, '2026-03-21T17:30:00+08:00'],
    ['a cancelled make-up Saturday is skipped', '2026-10-09T10:00:00+08:00', 1, '2026-10-12T17:30:00+08:00'],
    ['a worked official holiday counts', '2026-09-30T10:00:00+08:00', 1, '2026-10-05T17:30:00+08:00'],
  ])('%s', (_name, issued, n, expected) => {
    expect(deadlineAfter(org, new Date(issued), n).deadline.toISOString()).toBe(new Date(expected).toISOString());
  });

  it('explains an org day off and an org working day', () => {
    const off = deadlineAfter(org, new Date('2026-03-13T10:00:00+08:00'), 1);
    expect(explain(off.steps, 'zh-CN')).toContain('跳过 3月14日–3月16日 厂庆（单位休息日）');
    expect(off.steps).toContainEqual({ kind: 'skip', from: '2026-03-14', to: '2026-03-16', reason: 'org_holiday', name: '厂庆' });
    const on = deadlineAfter(org, new Date('2026-03-20T10:00:00+08:00'), 1);
    expect(explain(on.steps, 'zh-CN')).toContain('3月21日（单位安排上班：年度盘点）为第1个工作日');
  });
});

describe('deadlineAfter: 17:30 on the N-th working day strictly after the local day of t (Asia/Shanghai)', () => {
  it.each([
    ['before National Day skips the whole 10/1–10/7 holiday', '2026-09-30T10:00:00+08:00', 1, '2026-10-08T17:30:00+08:00'],
    ['a Friday before a make-up Saturday lands on that Saturday', '2026-10-09T09:00:00+08:00', 1, '2026-10-10T17:30:00+08:00'],
    ['late evening on Friday 10/9 still counts from 10/9', '2026-10-09T23:59:00+08:00', 1, '2026-10-10T17:30:00+08:00'],
    ['the day before the Spring Festival make-up Saturday', '2026-02-13T15:00:00+08:00', 1, '2026-02-14T17:30:00+08:00'],
    ['the make-up Saturday 2/14 skips the whole Spring Festival', '2026-02-14T11:00:00+08:00', 1, '2026-02-24T17:30:00+08:00'],
    ['a Friday skips a plain weekend', '2026-03-13T16:00:00+08:00', 1, '2026-03-16T17:30:00+08:00'],
    ['issued on Saturday counts from Monday', '2026-03-14T10:00:00+08:00', 1, '2026-03-16T17:30:00+08:00'],
    ['3 working days across 清明节', '2026-04-02T10:00:00+08:00', 3, '2026-04-08T17:30:00+08:00'],
    ['3 working days after 9/30 include the make-up Saturday', '2026-09-30T10:00:00+08:00', 3, '2026-10-10T17:30:00+08:00'],
    ['2025 National Day and Mid-autumn form one run', '2025-09-30T10:00:00+08:00', 1, '2025-10-09T17:30:00+08:00'],
    ['an instant late in the UTC day is already the next local day', '2026-10-09T16:30:00Z', 1, '2026-10-12T17:30:00+08:00'],
    ['0 working days on a working day is the same day', '2026-03-13T10:00:00+08:00', 0, '2026-03-13T17:30:00+08:00'],
    ['0 working days on a holiday is the next working day', '2026-10-02T10:00:00+08:00', 0, '2026-10-08T17:30:00+08:00'],
  ])('%s', (_name, issued, n, expected) => {
    const r = deadlineAfter(cal, new Date(issued), n);
    expect(r.deadline.toISOString()).toBe(new Date(expected).toISOString());
    expect(r.flags).toEqual([]);
  });

  it('produces explanation steps: start, one grouped skip, the working day, the deadline', () => {
    const r = deadlineAfter(cal, new Date('2026-09-30T10:00:00+08:00'), 1);
    expect(r.steps).toEqual([
      { kind: 'start', at: '2026-09-30T02:00:00.000Z', date: '2026-09-30', local: '2026-09-30 10:00' },
      { kind: 'skip', from: '2026-10-01', to: '2026-10-07', reason: 'holiday', name: '国庆节' },
      { kind: 'working_day', date: '2026-10-08', ordinal: 1, reason: 'weekday' },
      { kind: 'deadline', at: '2026-10-08T09:30:00.000Z', local: '2026-10-08 17:30' },
    ]);
  });

  it('a run mixing a weekend and a holiday spans the whole run and takes the holiday name', () => {
    // 2025 端午节: Sat 5/31 and Sun 6/1 are weekend days with holiday rows, Mon 6/2 is the day off.
    const r = deadlineAfter(cal, new Date('2025-05-30T10:00:00+08:00'), 1);
    expect(r.steps).toContainEqual({ kind: 'skip', from: '2025-05-31', to: '2025-06-02', reason: 'holiday', name: '端午节' });
    // 2026 New Year: Thu 1/1 – Sat 1/3 holiday rows, then Sun 1/4 is a make-up workday.
    const ny = deadlineAfter(cal, new Date('2025-12-31T10:00:00+08:00'), 1);
    expect(ny.steps).toContainEqual({ kind: 'skip', from: '2026-01-01', to: '2026-01-03', reason: 'holiday', name: '元旦' });
    expect(ny.deadline.toISOString()).toBe('2026-01-04T09:30:00.000Z');
  });

  it('joins distinct holiday names of one run (2025: 国庆节 with 中秋节 on 10/6)', () => {
    const r = deadlineAfter(cal, new Date('2025-09-30T10:00:00+08:00'), 1);
    expect(r.steps).toContainEqual({ kind: 'skip', from: '2025-10-01', to: '2025-10-08', reason: 'holiday', name: '国庆节、中秋节' });
  });

  it('lists each working day with its ordinal when counting several', () => {
    const r = deadlineAfter(cal, new Date('2026-04-02T10:00:00+08:00'), 3);
    expect(r.steps.map((s) => s.kind)).toEqual(['start', 'working_day', 'skip', 'working_day', 'working_day', 'deadline']);
    expect(explain(r.steps, 'zh-CN')).toEqual([
      '起算 2026-04-02 10:00',
      '4月3日 为第1个工作日',
      '跳过 4月4日–4月6日 清明节',
      '4月7日 为第2个工作日',
      '4月8日 为第3个工作日',
      '截止 2026-04-08 17:30',
    ]);
  });

  it('walks into 2027 by weekends only and flags NO_OFFICIAL_DATA once', () => {
    const r = deadlineAfter(cal, new Date('2026-12-31T10:00:00+08:00'), 1);
    expect(r.deadline.toISOString()).toBe(new Date('2027-01-01T17:30:00+08:00').toISOString());
    expect(r.flags).toEqual([{ code: 'NO_OFFICIAL_DATA', year: 2027 }]);
    const long = deadlineAfter(cal, new Date('2027-03-01T10:00:00+08:00'), 20);
    expect(long.flags).toEqual([{ code: 'NO_OFFICIAL_DATA', year: 2027 }]);
    expect(long.deadline.toISOString()).toBe(new Date('2027-03-29T17:30:00+08:00').toISOString());
  });

  it('rejects a negative or fractional count', () => {
    expect(() => deadlineAfter(cal, new Date('2026-03-13T10:00:00+08:00'), -1)).toThrow(RangeError);
    expect(() => deadlineAfter(cal, new Date('2026-03-13T10:00:00+08:00'), 1.5)).toThrow(RangeError);
    expect(() => deadlineAfter(cal, new Date('nope'), 1)).toThrow(RangeError);
  });
});

describe('addWorkingDays on dates', () => {
  it.each([
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-10-09', 1, '2026-10-10'],
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2026-02-14', 5, '2026-02-28'],
    ['2026-03-13', 0, '2026-03-13'],
    ['2026-03-14', 0, '2026-03-16'],
    ['2026-10-01', 0, '2026-10-08'],
    ['2026-12-31', 2, '2027-01-04'],
  ])('%s + %i working days → %s', (date, n, expected) => {
    expect(addWorkingDays(cal, date, n)).toBe(expected);
  });

  it('counts 2026 as 248 working days (365 − 104 weekend days − 19 holiday weekdays + 6 make-up days)', () => {
    expect(addWorkingDays(cal, '2025-12-31', 248)).toBe('2026-12-31');
    expect(addWorkingDays(cal, '2025-12-31', 247)).toBe('2026-12-30');
    expect(addWorkingDays(cal, '2025-12-31', 249)).toBe('2027-01-01');
  });
});

describe('guard against a calendar without working days', () => {
  const allOff: Omit<CalendarDayRow, 'source'>[] = [];
  for (let d = '2026-01-01'; d < '2028-01-01'; d = addDays(d, 1)) allOff.push({ date: d, kind: 'holiday', name: '停工' });
  const broken = calendar(allOff);

  it('throws RangeError instead of looping forever', () => {
    expect(() => addWorkingDays(broken, '2026-01-01', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(broken, '2026-01-01', 0)).toThrow(RangeError);
    expect(() => deadlineAfter(broken, new Date('2026-01-01T10:00:00+08:00'), 1)).toThrow(RangeError);
  });

  it('still finds a working day after a long (but < 366 days) shutdown', () => {
    const longShutdown = calendar(allOff.filter((r) => r.date < '2026-12-01'));
    expect(addWorkingDays(longShutdown, '2025-12-31', 1)).toBe('2026-12-01');
  });
});

describe('deadlineAfterHours: natural hours', () => {
  it.each([
    ['24 h over a holiday is the same time next day', '2026-09-30T10:00:00+08:00', 24, '2026-10-01T10:00:00+08:00', []],
    ['2 h', '2026-03-13T16:00:00+08:00', 2, '2026-03-13T18:00:00+08:00', []],
    ['24 h ending in 2027 is flagged', '2026-12-31T12:00:00+08:00', 24, '2027-01-01T12:00:00+08:00', [2027]],
  ])('%s', (_name, issued, hours, expected, flagYears) => {
    const r = deadlineAfterHours(cal, new Date(issued), hours);
    expect(r.deadline.toISOString()).toBe(new Date(expected).toISOString());
    expect(r.flags).toEqual(flagYears.map((year) => ({ code: 'NO_OFFICIAL_DATA', year })));
  });

  it('explains the hours', () => {
    const r = deadlineAfterHours(cal, new Date('2026-09-30T10:00:00+08:00'), 24);
    expect(explain(r.steps, 'zh-CN')).toEqual(['起算 2026-09-30 10:00', '按自然时间计 24 小时', '截止 2026-10-01 10:00']);
    expect(explain(r.steps, 'en')).toEqual(['Start 2026-09-30 10:00', 'Counted as 24 natural hours', 'Deadline 2026-10-01 10:00']);
  });

  it('rejects negative hours', () => {
    expect(() => deadlineAfterHours(cal, new Date(), -1)).toThrow(RangeError);
  });
});

describe('workingTimeBetween: 08:30–17:30 on working days', () => {
  it.each([
    ['within one day', '2026-03-16T10:00:00+08:00', '2026-03-16T12:00:00+08:00', 2 * HOUR],
    ['clipped to the working window', '2026-03-16T07:00:00+08:00', '2026-03-16T09:00:00+08:00', 0.5 * HOUR],
    ['a whole working day is 9 h', '2026-03-16T00:00:00+08:00', '2026-03-17T00:00:00+08:00', 9 * HOUR],
    ['across a weekend (Fri 16:30 → Mon 09:30)', '2026-03-13T16:30:00+08:00', '2026-03-16T09:30:00+08:00', 2 * HOUR],
    ['across National Day', '2026-09-30T17:00:00+08:00', '2026-10-08T09:00:00+08:00', HOUR],
    ['a holiday has none', '2026-10-02T09:00:00+08:00', '2026-10-02T17:00:00+08:00', 0],
    ['a make-up Saturday has working time', '2026-10-10T08:00:00+08:00', '2026-10-10T18:00:00+08:00', 9 * HOUR],
    ['reversed interval is 0', '2026-03-16T12:00:00+08:00', '2026-03-16T10:00:00+08:00', 0],
  ])('%s', (_name, from, to, expected) => {
    expect(workingTimeBetween(cal, new Date(from), new Date(to))).toBe(expected);
  });

  it('counts the 2026 full year as 248 × 9 h', () => {
    expect(workingTimeBetween(cal, new Date('2026-01-01T00:00:00+08:00'), new Date('2027-01-01T00:00:00+08:00'))).toBe(248 * 9 * HOUR);
  });
});

describe('time zones', () => {
  it.each([
    ['2026-09-30T16:30:00Z', 'Asia/Shanghai', '2026-10-01'],
    ['2026-09-30T16:30:00Z', 'UTC', '2026-09-30'],
    ['2026-09-30T03:00:00Z', 'America/Los_Angeles', '2026-09-29'],
    ['2026-03-29T00:30:00Z', 'Europe/Berlin', '2026-03-29'],
  ])('localDate(%s, %s) = %s', (instant, zone, expected) => {
    expect(localDate(new Date(instant), zone)).toBe(expected);
  });

  it.each([
    ['2026-10-08', '17:30', 'Asia/Shanghai', '2026-10-08T09:30:00.000Z'],
    ['2026-03-28', '12:00', 'Europe/Berlin', '2026-03-28T11:00:00.000Z'], // CET, day before DST
    ['2026-03-29', '12:00', 'Europe/Berlin', '2026-03-29T10:00:00.000Z'], // CEST, DST day
    ['2026-03-29', '01:30', 'Europe/Berlin', '2026-03-29T00:30:00.000Z'], // before the 02:00 jump
    ['2026-03-29', '02:30', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'], // does not exist → 03:30 CEST
    ['2026-10-25', '02:30', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'], // ambiguous → earlier (CEST)
    ['2026-10-25', '12:00', 'Europe/Berlin', '2026-10-25T11:00:00.000Z'], // CET after fall-back
    ['2026-03-08', '12:00', 'America/New_York', '2026-03-08T16:00:00.000Z'], // EDT
    ['2026-01-15', '08:30', 'Asia/Kolkata', '2026-01-15T03:00:00.000Z'], // +05:30
    ['2026-06-01', '00:00', 'Pacific/Chatham', '2026-05-31T11:15:00.000Z'], // +12:45
  ])('instantAt(%s %s, %s) = %s', (date, time, zone, expected) => {
    expect(instantAt(date, time, zone).toISOString()).toBe(expected);
  });

  it('round-trips local wall time', () => {
    expect(localDateTime(instantAt('2026-03-29', '12:00', 'Europe/Berlin'), 'Europe/Berlin')).toEqual({
      date: '2026-03-29',
      time: '12:00',
    });
  });

  it('computes deadlines in a DST zone across the spring-forward weekend', () => {
    const berlin = buildCalendar({ timeZone: 'Europe/Berlin', workdayStart: '09:00', workdayEnd: '17:00', days: [], officialYears: [2026] });
    const r = deadlineAfter(berlin, new Date('2026-03-27T10:00:00+01:00'), 1);
    expect(r.deadline.toISOString()).toBe('2026-03-30T15:00:00.000Z');
    expect(workingTimeBetween(berlin, new Date('2026-03-27T16:00:00+01:00'), new Date('2026-03-30T10:00:00+02:00'))).toBe(2 * HOUR);
  });

  it('rejects bad zones, times and working hours', () => {
    expect(() => instantAt('2026-03-29', '12:00', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => instantAt('2026-03-29', '24:00', 'UTC')).toThrow(RangeError);
    expect(() => buildCalendar({ ...SHANGHAI, timeZone: 'Nowhere/City', days: [], officialYears: [] })).toThrow(RangeError);
    expect(() => buildCalendar({ ...SHANGHAI, workdayEnd: '08:00', days: [], officialYears: [] })).toThrow(RangeError);
  });
});

describe('explain / describeFlags', () => {
  const national = deadlineAfter(cal, new Date('2026-09-30T10:00:00+08:00'), 1);

  it('reads naturally in Chinese for the National Day case', () => {
    const lines = explain(national.steps, 'zh-CN');
    expect(lines).toContain('跳过 10月1日–10月7日 国庆节');
    expect(lines).toContain('10月8日 为第1个工作日');
    expect(lines.join('\n')).toContain('2026-10-08 17:30');
    expect(lines).toEqual(['起算 2026-09-30 10:00', '跳过 10月1日–10月7日 国庆节', '10月8日 为第1个工作日', '截止 2026-10-08 17:30']);
  });

  it('reads naturally in English', () => {
    expect(explain(national.steps, 'en')).toEqual([
      'Start 2026-09-30 10:00',
      'Skipped Oct 1–Oct 7 (holiday: 国庆节)',
      'Oct 8 is working day 1',
      'Deadline 2026-10-08 17:30',
    ]);
  });

  it('marks a make-up working day (调休上班)', () => {
    const r = deadlineAfter(cal, new Date('2026-10-09T10:00:00+08:00'), 1);
    expect(explain(r.steps, 'zh-CN')).toContain('10月10日（调休上班）为第1个工作日');
    expect(explain(r.steps, 'en')).toContain('Oct 10 (make-up working day) is working day 1');
  });

  it('names a plain weekend and shows the year on a range across New Year', () => {
    const weekend = deadlineAfter(cal, new Date('2026-03-13T10:00:00+08:00'), 1);
    expect(explain(weekend.steps, 'zh-CN')).toContain('跳过 3月14日–3月15日 周末');
    expect(explain(weekend.steps, 'en')).toContain('Skipped Mar 14–Mar 15 (weekend)');
    const newYear = deadlineAfter(cal, new Date('2027-12-31T10:00:00+08:00'), 1);
    expect(explain(newYear.steps, 'zh-CN')).toContain('跳过 1月1日–1月2日 周末');
    const crossing = explain([{ kind: 'skip', from: '2027-12-31', to: '2028-01-02', reason: 'holiday', name: '元旦' }], 'zh-CN');
    expect(crossing).toEqual(['跳过 2027年12月31日–2028年1月2日 元旦']);
  });

  it('describes a missing official year in both languages', () => {
    const flags = deadlineAfter(cal, new Date('2026-12-31T10:00:00+08:00'), 1).flags;
    expect(describeFlags(flags, 'zh-CN')).toEqual(['2027 年尚无官方节假日安排，仅按周末计算，请管理员录入或导入']);
    expect(describeFlags(flags, 'en')).toEqual([
      'No official holiday arrangement for 2027 yet: only weekends are counted. An administrator should enter or import it.',
    ]);
  });
});

describe('zone offsets kept per hour', () => {
  /** The wall clock as Intl says it, with no cache of ours in between. */
  const intl = (ms: number, timeZone: string) => {
    const s = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(ms);
    return { date: s.slice(0, 10), time: s.slice(11, 16) };
  };

  it.each([
    ['America/New_York', '2026-03-08T00:00:00Z'],
    ['America/New_York', '2026-11-01T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T10:00:00Z'], // a 30-minute fall-back
    ['Australia/Lord_Howe', '2026-10-03T10:00:00Z'], // 30 minutes forward at 15:30 UTC: inside an hour
    ['Asia/Kathmandu', '1985-12-31T06:00:00Z'], // +05:30 → +05:45 at 18:30 UTC: inside an hour
  ])('give the exact wall time every 5 minutes for a day across a transition (%s, from %s), read twice', (zone, from) => {
    const start = Date.parse(from);
    for (const pass of [1, 2]) {
      for (let ms = start; ms < start + 26 * 3_600_000; ms += 5 * 60_000) {
        expect(localDateTime(new Date(ms), zone), `${zone} ${new Date(ms).toISOString()} pass ${pass}`).toEqual(intl(ms, zone));
      }
    }
  });
});
