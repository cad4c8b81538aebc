import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';

export interface Remaining {
  overdue: boolean;
  unit: 'days' | 'hours' | 'minutes';
  count: number;
  /** Milliseconds to the deadline (negative once it has passed). */
  ms: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Time to (or past) a deadline in its largest whole unit: 3 days, 5 hours, 12 minutes (at least 1). */
export function remaining(dueAt: string | Date, now: number = Date.now()): Remaining | null {
  const due = typeof dueAt === 'string' ? Date.parse(dueAt) : dueAt.getTime();
  if (Number.isNaN(due)) return null;
  const ms = due - now;
  const abs = Math.abs(ms);
  const overdue = ms < 0;
  if (abs >= DAY) return { overdue, unit: 'days', count: Math.floor(abs / DAY), ms };
  if (abs >= HOUR) return { overdue, unit: 'hours', count: Math.floor(abs / HOUR), ms };
  return { overdue, unit: 'minutes', count: Math.max(1, Math.floor(abs / MINUTE)), ms };
}

export type Urgency = 'overdue' | 'soon' | 'later';

/**
 * How urgent a deadline is now (issue 8: colours follow urgency, never the reverse): overdue once it
 * has passed (red), soon from `soonAt` — due within a working day, as the server counts it — (orange),
 * otherwise later. Without a `soonAt` (an older server), within 24 hours counts as soon.
 */
export function urgency(dueAt: string, soonAt: string | null | undefined, now: number = Date.now()): Urgency {
  const due = Date.parse(dueAt);
  if (now >= due) return 'overdue';
  const soon = soonAt ? Date.parse(soonAt) : due - DAY;
  return now >= soon ? 'soon' : 'later';
}

/** "剩 3小时" / "已超期 2天". */
export function countdownText(t: TFunction, r: Remaining): string {
  const time =
    r.unit === 'days'
      ? t('countdown.days', { count: r.count })
      : r.unit === 'hours'
        ? t('countdown.hours', { count: r.count })
        : t('countdown.minutes', { count: r.count });
  return r.overdue ? t('countdown.overdue', { time }) : t('countdown.left', { time });
}

/** The current time, renewed every `intervalMs` (countdowns stay live without refetching). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
