/**
 * The job table's rules, pure (ADR 0010): when a failed job is tried again, when a periodic job is
 * next due, and which occurrence of a series comes next. Time and the calendar are passed in.
 */
import { addDays, type Calendar, localDate } from '../calendar/core.js';
import { type Occurrence, occurrences, type RecurrenceRule } from './recurrence.core.js';

/** A job that failed this many times stops being tried (state `failed`, kept with its last error). */
export const MAX_ATTEMPTS = 8;

/** How long a claim holds by default: a process that died holding it is replaced after this. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

/** A failed attempt is tried again after 30 s, 2 min, 8 min, … capped at 6 h. */
export function retryAt(now: Date, attempts: number): Date {
  const ms = Math.min(30_000 * 4 ** Math.max(0, attempts - 1), 6 * 3_600_000);
  return new Date(now.getTime() + ms);
}

/** After `attempts` failures: try again (when) or give up. */
export function afterFailure(now: Date, attempts: number): { state: 'pending'; dueAt: Date } | { state: 'failed' } {
  return attempts >= MAX_ATTEMPTS ? { state: 'failed' } : { state: 'pending', dueAt: retryAt(now, attempts) };
}

/**
 * A periodic job keeps its phase: the first `due + k·every` (k ≥ 1) after `now`. A run that comes
 * late (the server was down for a day) runs once, not once per missed period.
 */
export function nextPeriodic(due: Date, everyMs: number, now: Date): Date {
  if (!(everyMs > 0)) throw new RangeError('everyMs must be positive');
  const k = Math.max(1, Math.floor((now.getTime() - due.getTime()) / everyMs) + 1);
  return new Date(due.getTime() + k * everyMs);
}

/** Growing windows: a weekly rule is found in the first, a yearly one in the last (each occurrence computed costs time). */
const WINDOWS = [14, 62, 800];

/** The first occurrence of `rule` whose actual date is after `afterDate` (local), or null if none is left. */
export function nextOccurrence(rule: RecurrenceRule, cal: Calendar, afterDate: string): Occurrence | null {
  const from = addDays(afterDate, 1);
  for (const days of WINDOWS) {
    const [first] = occurrences(rule, cal, from, addDays(from, days));
    if (first) return first;
  }
  return null;
}

/** The first occurrence of `rule` at or after `now` (a series started today whose time has passed begins next time). */
export function firstOccurrence(rule: RecurrenceRule, cal: Calendar, now: Date): Occurrence | null {
  const today = localDate(now, cal.timeZone);
  for (const days of WINDOWS) {
    const found = occurrences(rule, cal, today, addDays(today, days)).find((o) => o.at >= now.toISOString());
    if (found) return found;
  }
  return null;
}
