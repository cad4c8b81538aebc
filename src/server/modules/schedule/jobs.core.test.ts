import { describe, expect, it } from 'vitest';
import { buildCalendar, officialCalendarRows } from '../calendar/index.js';
import { afterFailure, firstOccurrence, MAX_ATTEMPTS, nextOccurrence, nextPeriodic, type RecurrenceRule, retryAt } from './index.js';

const years = [2025, 2026];
const cal = buildCalendar({ timeZone: 'Asia/Shanghai', workdayStart: '08:30', workdayEnd: '17:30', days: officialCalendarRows(years), officialYears: years });
const t = (iso: string) => new Date(iso);

describe('a failed job is tried again later, then given up', () => {
  it.each([
    [1, 30_000],
    [2, 120_000],
    [3, 480_000],
    [7, 6 * 3_600_000],
    [20, 6 * 3_600_000],
  ])('after attempt %i it waits %i ms', (attempts, ms) => {
    expect(retryAt(t('2026-01-01T00:00:00Z'), attempts).getTime() - t('2026-01-01T00:00:00Z').getTime()).toBe(ms);
  });

  it(`stops after ${MAX_ATTEMPTS} attempts`, () => {
    expect(afterFailure(t('2026-01-01T00:00:00Z'), MAX_ATTEMPTS - 1)).toMatchObject({ state: 'pending' });
    expect(afterFailure(t('2026-01-01T00:00:00Z'), MAX_ATTEMPTS)).toEqual({ state: 'failed' });
  });
});

describe('a periodic job keeps its phase', () => {
  it.each([
    // due, now, next: on time; a little late; a day late runs once and keeps the phase
    ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:30.000Z'],
    ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.250Z', '2026-01-01T00:00:30.000Z'],
    ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:30.000Z', '2026-01-01T00:01:00.000Z'],
    ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:10.000Z', '2026-01-02T00:00:30.000Z'],
    // claimed early (a clock that runs behind): the next one is still a period after the due time
    ['2026-01-01T00:00:00.000Z', '2025-12-31T23:59:59.000Z', '2026-01-01T00:00:30.000Z'],
  ])('due %s, run at %s → next %s', (due, now, next) => {
    expect(nextPeriodic(t(due), 30_000, t(now)).toISOString()).toBe(next);
  });

  it('refuses a period that is not positive', () => {
    expect(() => nextPeriodic(t('2026-01-01T00:00:00Z'), 0, t('2026-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe("a series' next occurrence", () => {
  const monday: RecurrenceRule = { freq: 'weekly', weekdays: [1], start: '2026-01-05', time: '09:00', nonWorkingDay: 'next' };

  it('is the next actual date after the one that ran, moved by the calendar (国庆 Monday 10-05 → Thursday 10-08)', () => {
    expect(nextOccurrence(monday, cal, '2026-09-28')).toMatchObject({ date: '2026-10-08', movedFrom: '2026-10-05', at: '2026-10-08T01:00:00.000Z' });
    expect(nextOccurrence(monday, cal, '2026-10-08')).toMatchObject({ date: '2026-10-12' });
  });

  it('finds a yearly rule a year ahead, and nothing once the series is over', () => {
    const review: RecurrenceRule = { freq: 'yearly', month: 12, day: 15, start: '2025-01-01', time: '10:00' };
    expect(nextOccurrence(review, cal, '2025-12-15')?.date).toBe('2026-12-15');
    expect(nextOccurrence({ ...monday, until: '2026-01-12' }, cal, '2026-01-12')).toBeNull();
    expect(nextOccurrence({ ...monday, count: 2 }, cal, '2026-01-12')).toBeNull();
  });

  it('starts at or after now: a series created Monday 10:00 for Monday 09:00 begins the Monday after', () => {
    expect(firstOccurrence(monday, cal, t('2026-01-12T00:59:59.000Z'))?.date).toBe('2026-01-12');
    expect(firstOccurrence(monday, cal, t('2026-01-12T02:00:00.000Z'))?.date).toBe('2026-01-19');
  });
});
