import { describe, expect, it } from 'vitest';
import { addDays, buildCalendar, type Calendar, describeFlags, isWorkingDay, officialCalendarRows, termsProblems, weekdayOf } from '../calendar/index.js';
import { occurrences, RecurrenceError, type RecurrenceRule, rangeFlags, ruleProblems } from './index.js';

const calendarData = () => ({
  timeZone: 'Asia/Shanghai',
  workdayStart: '08:30',
  workdayEnd: '17:30',
  days: officialCalendarRows([2026]),
  officialYears: [2026],
});

const official = (years = [2025, 2026]): Calendar =>
  buildCalendar({ timeZone: 'Asia/Shanghai', workdayStart: '08:30', workdayEnd: '17:30', days: officialCalendarRows(years), officialYears: years });
const cal = official();
/**
 * A school's calendar: terms as a school names them. The spring 2026 term starts on Sunday 1 March;
 * the autumn 2025 term runs across 国庆 and ends on Friday 16 January.
 */
const TERMS = [
  { name: '2024 秋季学期', startsOn: '2024-09-01', endsOn: '2025-01-17' },
  { name: '2025 春季学期', startsOn: '2025-02-16', endsOn: '2025-07-04' },
  { name: '2025 秋季学期', startsOn: '2025-09-01', endsOn: '2026-01-16' },
  { name: '2026 春季学期', startsOn: '2026-03-01', endsOn: '2026-07-03' },
  { name: '2026 秋季学期', startsOn: '2026-09-01', endsOn: '2027-01-22' },
];
const schoolCal = buildCalendar({
  timeZone: 'Asia/Shanghai',
  workdayStart: '08:30',
  workdayEnd: '17:30',
  days: officialCalendarRows([2025, 2026]),
  officialYears: [2025, 2026],
  terms: TERMS,
});
const dates = (rule: RecurrenceRule, from: string, to: string, c = cal) => occurrences(rule, c, from, to).map((o) => o.date);

describe('recurrence rules', () => {
  it.each<[string, RecurrenceRule, string, string, string[]]>([
    [
      'weekly Monday meeting',
      { freq: 'weekly', weekdays: [1], start: '2026-03-01', time: '09:00' },
      '2026-03-01',
      '2026-03-31',
      ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30'],
    ],
    [
      'every 2 weeks counts from the week of the start date',
      { freq: 'weekly', interval: 2, weekdays: [3], start: '2026-03-05', time: '09:00' },
      '2026-03-01',
      '2026-04-30',
      ['2026-03-18', '2026-04-01', '2026-04-15', '2026-04-29'],
    ],
    [
      'first Monday of the month',
      { freq: 'monthlyWeekday', week: 'first', weekday: 1, start: '2026-01-01', time: '09:00' },
      '2026-01-01',
      '2026-04-30',
      ['2026-01-05', '2026-02-02', '2026-03-02', '2026-04-06'],
    ],
    [
      'last Friday of the month',
      { freq: 'monthlyWeekday', week: 'last', weekday: 5, start: '2026-01-01', time: '15:00' },
      '2026-01-01',
      '2026-03-31',
      ['2026-01-30', '2026-02-27', '2026-03-27'],
    ],
    [
      'day 31 is clamped to the end of shorter months',
      { freq: 'monthly', day: 31, start: '2026-01-01', time: '09:00' },
      '2026-01-01',
      '2026-04-30',
      ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30'],
    ],
    [
      'quarterly on the 10th of the quarter’s first month',
      { freq: 'quarterly', monthOffset: 0, day: 10, start: '2025-02-01', time: '09:00' },
      '2025-01-01',
      '2025-12-31',
      ['2025-04-10', '2025-07-10', '2025-10-10'],
    ],
    [
      'half-yearly on the last day of June and December',
      { freq: 'halfYearly', monthOffset: 5, day: 31, start: '2025-01-01', time: '09:00' },
      '2025-01-01',
      '2026-12-31',
      ['2025-06-30', '2025-12-31', '2026-06-30', '2026-12-31'],
    ],
    [
      'yearly February 29 falls on February 28 in a common year',
      { freq: 'yearly', month: 2, day: 29, start: '2025-01-01', time: '09:00' },
      '2025-01-01',
      '2028-12-31',
      ['2025-02-28', '2026-02-28', '2027-02-28', '2028-02-29'],
    ],
    [
      'count bounds the occurrences from the start date, even before the range',
      { freq: 'weekly', weekdays: [2], start: '2026-03-03', count: 3, time: '09:00' },
      '2026-03-10',
      '2026-12-31',
      ['2026-03-10', '2026-03-17'],
    ],
    [
      'until is inclusive',
      { freq: 'weekly', weekdays: [2], start: '2026-03-03', until: '2026-03-17', time: '09:00' },
      '2026-01-01',
      '2026-12-31',
      ['2026-03-03', '2026-03-10', '2026-03-17'],
    ],
  ])('%s', (_name, rule, from, to, expected) => {
    expect(dates(rule, from, to)).toEqual(expected);
  });
});

describe('non-working-day policy', () => {
  const monday = (nonWorkingDay: 'keep' | 'previous' | 'next'): RecurrenceRule => ({
    freq: 'weekly',
    weekdays: [1],
    start: '2026-09-01',
    time: '09:00',
    nonWorkingDay,
  });

  it('moves a Monday meeting on 国庆 2026-10-05 to the next working day 10-08', () => {
    const [occ] = occurrences(monday('next'), cal, '2026-10-05', '2026-10-08');
    expect(occ).toMatchObject({ date: '2026-10-08', movedFrom: '2026-10-05', time: '09:00', at: '2026-10-08T01:00:00.000Z', flags: [] });
    expect(occ?.explanation).toEqual(['10月5日 国庆节 → 顺延至 10月8日']);
    const [en] = occurrences(monday('next'), cal, '2026-10-05', '2026-10-08', 'en');
    expect(en?.explanation).toEqual(['Oct 5 国庆节 → moved to Oct 8 (next working day)']);
  });

  it('moves it to the previous working day 09-30 with "previous"', () => {
    const occ = occurrences(monday('previous'), cal, '2026-09-28', '2026-10-11');
    expect(occ.map((o) => [o.date, o.movedFrom])).toEqual([
      ['2026-09-28', undefined],
      ['2026-09-30', '2026-10-05'],
    ]);
    expect(occ[1]?.explanation).toEqual(['10月5日 国庆节 → 提前至 9月30日']);
  });

  it('keeps it on the holiday with "keep" and says so', () => {
    const [occ] = occurrences(monday('keep'), cal, '2026-10-05', '2026-10-05');
    expect(occ).toMatchObject({ date: '2026-10-05' });
    expect(occ?.movedFrom).toBeUndefined();
    expect(occ?.explanation).toEqual(['10月5日 国庆节（非工作日，按规则不调整）']);
  });

  it('a Saturday duty on a 调休 make-up working day is not moved', () => {
    const rule: RecurrenceRule = { freq: 'weekly', weekdays: [6], start: '2026-01-01', time: '09:00', nonWorkingDay: 'next' };
    const occ = occurrences(rule, cal, '2026-10-10', '2026-10-10');
    expect(occ).toMatchObject([{ date: '2026-10-10', explanation: ['10月10日 周六 调休上班（国庆节调休）'] }]);
  });

  it('merges two occurrences moved onto the same working day', () => {
    const rule: RecurrenceRule = { freq: 'weekly', weekdays: [6, 0], start: '2026-03-01', time: '09:00', nonWorkingDay: 'next' };
    const occ = occurrences(rule, cal, '2026-03-09', '2026-03-09');
    expect(occ).toHaveLength(1);
    expect(occ[0]?.explanation).toEqual(['3月7日 周六 → 顺延至 3月9日', '3月8日 周日 → 顺延至 3月9日（与同日期次合并）']);
  });

  it('moves a 春节 meeting past the whole holiday', () => {
    const rule: RecurrenceRule = { freq: 'monthly', day: 17, start: '2026-01-01', time: '09:00', nonWorkingDay: 'next' };
    expect(occurrences(rule, cal, '2026-02-01', '2026-02-28')).toMatchObject([{ date: '2026-02-24', movedFrom: '2026-02-17' }]);
  });
});

describe('dependent deadlines', () => {
  it('a weekly Friday 12:00 topic deadline before a Monday meeting lands on the last working day before it', () => {
    const rule: RecurrenceRule = {
      freq: 'weekly',
      weekdays: [1],
      start: '2026-09-01',
      time: '09:00',
      nonWorkingDay: 'next',
      deadline: { workingDaysBefore: 1, at: '12:00' },
    };
    const occ = occurrences(rule, cal, '2026-09-14', '2026-10-12');
    expect(occ.map((o) => [o.date, o.deadline?.date])).toEqual([
      ['2026-09-14', '2026-09-11'],
      ['2026-09-21', '2026-09-20'], // Sunday 9-20 is a 国庆 make-up working day
      ['2026-09-28', '2026-09-24'], // Friday 9-25 is 中秋节
      ['2026-10-08', '2026-09-30'], // the meeting moved off 国庆 to 10-08; topics due before the holiday
      ['2026-10-12', '2026-10-10'], // Saturday 10-10 is a make-up working day
    ]);
    expect(occ[0]?.deadline?.at).toBe('2026-09-11T04:00:00.000Z');
    expect(occ[3]?.explanation).toEqual(['10月5日 国庆节 → 顺延至 10月8日', '截止 9月30日 12:00（提前1个工作日）']);
  });

  it('0 working days before is the day itself when it is a working day', () => {
    const rule: RecurrenceRule = { freq: 'weekly', weekdays: [3], start: '2026-03-01', time: '15:00', deadline: { workingDaysBefore: 0, at: '09:00' } };
    expect(occurrences(rule, cal, '2026-03-04', '2026-03-04')[0]?.deadline).toEqual({ date: '2026-03-04', time: '09:00', at: '2026-03-04T01:00:00.000Z' });
  });
});

describe('flags and refusals', () => {
  it('flags a year without official calendar data', () => {
    const rule: RecurrenceRule = { freq: 'yearly', month: 1, day: 5, start: '2026-01-01', time: '09:00', nonWorkingDay: 'next' };
    const occ = occurrences(rule, cal, '2026-01-01', '2027-12-31');
    expect(occ.map((o) => o.flags)).toEqual([[], [{ code: 'NO_OFFICIAL_DATA', year: 2027 }]]);
    expect(occ[1]?.explanation.at(-1)).toContain('2027 年尚无官方节假日安排');
  });

  it.each<[string, RecurrenceRule, string]>([
    ['February 30 never occurs', { freq: 'yearly', month: 2, day: 30, start: '2026-01-01', time: '09:00' }, 'day'],
    ['April 31 never occurs', { freq: 'yearly', month: 4, day: 31, start: '2026-01-01', time: '09:00' }, 'day'],
    ['until before the first occurrence', { freq: 'weekly', weekdays: [1], start: '2026-03-03', until: '2026-03-08', time: '09:00' }, 'until'],
  ])('refuses a rule that can never occur: %s', (_name, rule, path) => {
    expect(ruleProblems(rule)).toEqual([{ path, key: 'never_occurs' }]);
    expect(() => occurrences(rule, cal, '2026-01-01', '2026-12-31')).toThrow(RecurrenceError);
  });
});

// ---------------------------------------------------------------------------------------------
// Brute-force oracle: a day-by-day predicate, independent of the generator, over 2025–2026.
// ---------------------------------------------------------------------------------------------

const dim = (date: string) => {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};
const ymd = (d: string) => [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))] as const;
const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;

/** Is `d` a nominal date of `rule` (ignoring start/until/count)? */
function matches(rule: RecurrenceRule, d: string, terms: Calendar['terms']): boolean {
  const [y, m, day] = ymd(d);
  const [sy, sm] = ymd(rule.start);
  const months = (y - sy) * 12 + (m - sm);
  const last = dim(d);
  const clampedDay = (want: number) => day === Math.min(want, last);
  switch (rule.freq) {
    case 'weekly': {
      const mondayOf = (x: string) => addDays(x, -((weekdayOf(x) + 6) % 7));
      const weeks = daysBetween(mondayOf(rule.start), mondayOf(d)) / 7;
      return rule.weekdays.includes(weekdayOf(d)) && weeks % (rule.interval ?? 1) === 0;
    }
    case 'monthly':
      return months % (rule.interval ?? 1) === 0 && clampedDay(rule.day);
    case 'monthlyWeekday': {
      if (months % (rule.interval ?? 1) !== 0 || weekdayOf(d) !== rule.weekday) return false;
      if (rule.week === 'last') return day + 7 > last;
      return Math.ceil(day / 7) === { first: 1, second: 2, third: 3, fourth: 4 }[rule.week];
    }
    case 'quarterly':
      return (m - 1) % 3 === rule.monthOffset && clampedDay(rule.day);
    case 'halfYearly':
      return (m - 1) % 6 === rule.monthOffset && clampedDay(rule.day);
    case 'yearly':
      return m === rule.month && clampedDay(rule.day);
    case 'termly':
      // The day `offsetDays` into (or before the end of) a term, never outside it.
      return terms.some((t) => {
        const want = rule.anchor === 'start' ? addDays(t.startsOn, rule.offsetDays ?? 0) : addDays(t.endsOn, -(rule.offsetDays ?? 0));
        return d === (rule.anchor === 'start' ? (want > t.endsOn ? t.endsOn : want) : want < t.startsOn ? t.startsOn : want);
      });
    case 'window':
      // The last day of each calendar period, or of each school term.
      if (rule.period === 'term') return terms.some((t) => t.endsOn === d);
      if (rule.period === 'week') return weekdayOf(d) === 0;
      return day === last && m % { month: 1, quarter: 3, halfYear: 6, year: 12 }[rule.period] === 0;
  }
}

function oracle(rule: RecurrenceRule, c: Calendar, from: string, to: string): string[] {
  const nominal: string[] = [];
  for (let d = rule.start; d <= addDays(to, 400); d = addDays(d, 1)) {
    if (rule.until && d > rule.until) break;
    if (rule.count !== undefined && nominal.length >= rule.count) break;
    if (matches(rule, d, c.terms)) nominal.push(d);
  }
  const policy = rule.nonWorkingDay ?? 'keep';
  const step = policy === 'next' ? 1 : -1;
  const actual = nominal.map((n) => {
    let d = n;
    if (policy !== 'keep') while (!isWorkingDay(c, d)) d = addDays(d, step);
    return d;
  });
  return [...new Set(actual)].filter((d) => d >= from && d <= to);
}

/** Walk back day by day: the day itself when N = 0 and working, else the N-th working day before. */
function deadlineOracle(c: Calendar, date: string, n: number): string {
  let d = date;
  if (n === 0) {
    while (!isWorkingDay(c, d)) d = addDays(d, -1);
    return d;
  }
  for (let seen = 0; seen < n; ) {
    d = addDays(d, -1);
    if (isWorkingDay(c, d)) seen++;
  }
  return d;
}

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('brute-force oracle over 2025–2026 with the official calendar (国庆, 春节 and their make-up days)', () => {
  const r = rng(20_260_101);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const rules: RecurrenceRule[] = [];
  for (let i = 0; i < 300; i++) {
    const start = addDays('2024-10-01', int(0, 700));
    const common = {
      start,
      time: '09:00',
      nonWorkingDay: pick(['keep', 'previous', 'next'] as const),
      ...(r() < 0.2 ? { count: int(1, 60) } : {}),
      ...(r() < 0.2 ? { until: addDays(start, int(30, 600)) } : {}),
      ...(r() < 0.5 ? { deadline: { workingDaysBefore: int(0, 5), at: '12:00' } } : {}),
    };
    const kind = pick(['weekly', 'monthly', 'monthlyWeekday', 'quarterly', 'halfYearly', 'yearly'] as const);
    if (kind === 'weekly') {
      const weekdays = [...new Set(Array.from({ length: int(1, 3) }, () => int(0, 6)))];
      rules.push({ freq: 'weekly', interval: int(1, 4), weekdays, ...common });
    } else if (kind === 'monthly') rules.push({ freq: 'monthly', interval: int(1, 3), day: int(1, 31), ...common });
    else if (kind === 'monthlyWeekday')
      rules.push({
        freq: 'monthlyWeekday',
        interval: int(1, 3),
        week: pick(['first', 'second', 'third', 'fourth', 'last'] as const),
        weekday: int(0, 6),
        ...common,
      });
    else if (kind === 'quarterly') rules.push({ freq: 'quarterly', monthOffset: int(0, 2), day: int(1, 31), ...common });
    else if (kind === 'halfYearly') rules.push({ freq: 'halfYearly', monthOffset: int(0, 5), day: int(1, 31), ...common });
    else {
      const month = int(1, 12);
      rules.push({ freq: 'yearly', month, day: int(1, [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 28), ...common });
    }
  }

  // "At least N in a period" windows, generated after the others so that their rules stay the same.
  for (let i = 0; i < 60; i++) {
    const start = addDays('2024-10-01', int(0, 700));
    rules.push({
      freq: 'window',
      period: pick(['week', 'month', 'quarter', 'halfYear', 'year'] as const),
      atLeast: int(1, 4),
      start,
      time: '17:00',
      nonWorkingDay: pick(['keep', 'previous', 'next'] as const),
      ...(r() < 0.2 ? { count: int(1, 30) } : {}),
      ...(r() < 0.5 ? { deadline: { workingDaysBefore: int(0, 3), at: '12:00' } } : {}),
    });
  }

  // Rules counted in school terms, against a calendar that keeps them (a school's), generated last.
  const byTerm = rules.length;
  for (let i = 0; i < 60; i++) {
    const start = addDays('2024-10-01', int(0, 700));
    const common = {
      start,
      time: '15:00',
      nonWorkingDay: pick(['keep', 'previous', 'next'] as const),
      ...(r() < 0.2 ? { count: int(1, 4) } : {}),
      ...(r() < 0.2 ? { until: addDays(start, int(100, 600)) } : {}),
      ...(r() < 0.5 ? { deadline: { workingDaysBefore: int(0, 3), at: '12:00' } } : {}),
    };
    if (r() < 0.5) rules.push({ freq: 'window', period: 'term', atLeast: int(1, 3), ...common });
    else rules.push({ freq: 'termly', anchor: pick(['start', 'end'] as const), offsetDays: pick([0, 0, 3, 14, 60]), ...common });
  }

  it('agrees with occurrences() for 420 generated rules (60 windows, 60 counted in school terms), dependent deadlines included', () => {
    let compared = 0;
    let moved = 0;
    let withDeadline = 0;
    for (const [i, rule] of rules.entries()) {
      const c = i >= byTerm ? schoolCal : cal;
      if (ruleProblems(rule, c.terms).length) continue;
      const got = occurrences(rule, c, '2025-01-01', '2026-12-31');
      const want = oracle(rule, c, '2025-01-01', '2026-12-31');
      expect(
        got.map((o) => o.date),
        JSON.stringify(rule),
      ).toEqual(want);
      const n = rule.deadline?.workingDaysBefore;
      if (n !== undefined) withDeadline++;
      if (n !== undefined) expect(got.map((o) => o.deadline?.date)).toEqual(want.map((d) => deadlineOracle(c, d, n)));
      compared++;
      moved += got.filter((o) => o.movedFrom).length;
    }
    expect(compared).toBeGreaterThan(300);
    expect(moved).toBeGreaterThan(50);
    expect(withDeadline).toBeGreaterThan(100);
  });

  it('covers a move across 春节 2026 and 国庆 2025/2026 in the generated set', () => {
    const movedFrom = new Set(
      rules.flatMap((rule) =>
        ruleProblems(rule).length || rule.freq === 'termly' || (rule.freq === 'window' && rule.period === 'term')
          ? []
          : occurrences(rule, cal, '2025-01-01', '2026-12-31').flatMap((o) => (o.movedFrom ? [o.movedFrom] : [])),
      ),
    );
    const inRange = (a: string, b: string) => [...movedFrom].some((d) => d >= a && d <= b);
    expect(inRange('2026-02-15', '2026-02-23')).toBe(true);
    expect(inRange('2025-10-01', '2025-10-08')).toBe(true);
    expect(inRange('2026-10-01', '2026-10-07')).toBe(true);
  });
});

describe('"at least N in a period" windows', () => {
  it('a monthly window is due on the last working day of each month, counting from start in the first', () => {
    const rule: RecurrenceRule = { freq: 'window', period: 'month', atLeast: 2, start: '2026-03-10', time: '17:00', nonWorkingDay: 'previous' };
    const got = occurrences(rule, cal, '2026-03-01', '2026-05-31');
    expect(got.map((o) => [o.date, o.window])).toEqual([
      ['2026-03-31', { from: '2026-03-10', to: '2026-03-31', atLeast: 2 }],
      ['2026-04-30', { from: '2026-04-01', to: '2026-04-30', atLeast: 2 }],
      // Sunday 05-31 → Friday 05-29.
      ['2026-05-29', { from: '2026-05-01', to: '2026-05-31', atLeast: 2 }],
    ]);
    expect(got[0]?.explanation[0]).toBe('周期 3月10日–3月31日：至少 2 次');
    expect(got[2]?.movedFrom).toBe('2026-05-31');
    expect(occurrences(rule, cal, '2026-05-01', '2026-05-31', 'en')[0]?.explanation).toEqual([
      'Period May 1 – May 31: at least 2',
      'May 31 Sun → moved to May 29 (previous working day)',
    ]);
  });

  it('weekly windows run Monday to Sunday; quarters, half-years and years are calendar ones', () => {
    const base = { atLeast: 1, start: '2026-03-04', time: '17:00' } as const;
    const first = (period: 'week' | 'quarter' | 'halfYear' | 'year') =>
      occurrences({ freq: 'window', period, ...base }, cal, '2026-01-01', '2027-12-31')[0]?.window;
    expect(first('week')).toEqual({ from: '2026-03-04', to: '2026-03-08', atLeast: 1 });
    expect(first('quarter')).toEqual({ from: '2026-03-04', to: '2026-03-31', atLeast: 1 });
    expect(first('halfYear')).toEqual({ from: '2026-03-04', to: '2026-06-30', atLeast: 1 });
    expect(first('year')).toEqual({ from: '2026-03-04', to: '2026-12-31', atLeast: 1 });
    expect(occurrences({ freq: 'window', period: 'quarter', ...base }, cal, '2026-01-01', '2026-12-31').map((o) => o.window?.from)).toEqual([
      '2026-03-04',
      '2026-04-01',
      '2026-07-01',
      '2026-10-01',
    ]);
  });
});

describe('school terms (学期) from the calendar', () => {
  it('每学期初召开家长会: at each term’s first day, a Sunday start moved to the Monday', () => {
    const rule: RecurrenceRule = { freq: 'termly', anchor: 'start', start: '2025-08-01', time: '15:00', nonWorkingDay: 'next' };
    const got = occurrences(rule, schoolCal, '2025-08-01', '2026-12-31');
    expect(got.map((o) => o.date)).toEqual(['2025-09-01', '2026-03-02', '2026-09-01']);
    expect(got[1]?.movedFrom).toBe('2026-03-01');
    expect(got[1]?.explanation[0]).toBe('3月1日 周日 → 顺延至 3月2日');
  });

  it('学期末: `offsetDays` before the last day, kept inside a term shorter than the offset', () => {
    const rule: RecurrenceRule = { freq: 'termly', anchor: 'end', offsetDays: 7, start: '2026-01-01', time: '15:00', nonWorkingDay: 'previous' };
    expect(dates(rule, '2026-01-01', '2026-12-31', schoolCal)).toEqual(['2026-01-09', '2026-06-26']);
    const short = buildCalendar({ ...calendarData(), terms: [{ name: '短学期', startsOn: '2026-07-06', endsOn: '2026-07-10' }] });
    expect(dates({ ...rule, offsetDays: 30 }, '2026-01-01', '2026-12-31', short)).toEqual(['2026-07-06']);
  });

  it('每学期检查一次: a window per term, from the later of its first day and the rule’s start, due on its last working day', () => {
    const rule: RecurrenceRule = { freq: 'window', period: 'term', atLeast: 1, start: '2025-10-15', time: '17:00', nonWorkingDay: 'previous' };
    const got = occurrences(rule, schoolCal, '2025-10-01', '2026-12-31');
    expect(got.map((o) => [o.date, o.window])).toEqual([
      ['2026-01-16', { from: '2025-10-15', to: '2026-01-16', atLeast: 1 }],
      ['2026-07-03', { from: '2026-03-01', to: '2026-07-03', atLeast: 1 }],
    ]);
    expect(got[1]?.explanation[0]).toBe('周期 3月1日–7月3日：至少 1 次');
  });

  it('flags, and does not refuse, a term rule over a year without terms: no occurrence there, NO_TERMS for 2028', () => {
    const rule: RecurrenceRule = { freq: 'termly', anchor: 'start', start: '2026-01-01', time: '15:00' };
    // The autumn 2026 term runs into January 2027: 2027 has a term, 2028 none.
    expect(rangeFlags(schoolCal, '2026-01-01', '2028-12-31', rule)).toEqual([
      { code: 'NO_OFFICIAL_DATA', year: 2027 },
      { code: 'NO_OFFICIAL_DATA', year: 2028 },
      { code: 'NO_TERMS', year: 2028 },
    ]);
    expect(rangeFlags(schoolCal, '2026-01-01', '2027-12-31')).toEqual([{ code: 'NO_OFFICIAL_DATA', year: 2027 }]);
    // A calendar with no terms at all (not a school): nothing occurs, and every year is flagged.
    expect(occurrences(rule, cal, '2026-01-01', '2026-12-31')).toEqual([]);
    expect(rangeFlags(cal, '2026-01-01', '2026-12-31', rule)).toEqual([{ code: 'NO_TERMS', year: 2026 }]);
    expect(describeFlags([{ code: 'NO_TERMS', year: 2027 }], 'zh-CN')[0]).toContain('2027 年尚未设置学期');
  });

  it('a term rule whose `until` comes before the first term can never occur; without terms entered it may still', () => {
    const rule: RecurrenceRule = { freq: 'termly', anchor: 'end', start: '2026-07-10', until: '2026-08-31', time: '15:00' };
    expect(ruleProblems(rule, schoolCal.terms)).toEqual([{ path: 'until', key: 'never_occurs' }]);
    expect(ruleProblems(rule, [])).toEqual([]);
  });

  it('refuses terms that end before they start, run longer than 240 days or share a day, naming the term', () => {
    expect(termsProblems([{ name: 'a', startsOn: '2026-03-01', endsOn: '2026-02-01' }])).toEqual([{ index: 0, field: 'endsOn', key: 'ends_before_start' }]);
    expect(termsProblems([{ name: 'a', startsOn: '2026-01-01', endsOn: '2026-12-31' }])).toEqual([{ index: 0, field: 'endsOn', key: 'too_long' }]);
    expect(
      termsProblems([
        { name: 'b', startsOn: '2026-09-01', endsOn: '2027-01-22' },
        { name: 'a', startsOn: '2026-03-01', endsOn: '2026-09-01' },
      ]),
    ).toEqual([{ index: 0, field: 'startsOn', key: 'overlaps' }]);
    expect(() => buildCalendar({ ...calendarData(), terms: [{ name: 'x', startsOn: '2026-02-30', endsOn: '2026-03-01' }] })).toThrow(RangeError);
  });
});
