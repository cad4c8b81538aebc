import { localDate } from '../calendar/core.js';

/**
 * The ledger's pure core (issue 9 §7, ADR 0012): exact amounts, periods and totals. No IO; time and
 * the organization's time zone are passed in.
 *
 * Amounts are integers: points in hundredths, money in fen. An entry carries magnitudes and a
 * direction; a total is signed (credits add, debits subtract).
 */
export type Direction = 'debit' | 'credit';

/** A month "YYYY-MM"; quarter "YYYY-Qn" and year "YYYY" are roll-ups of their months. */
export type PeriodKind = 'month' | 'quarter' | 'year';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const YEAR = /^(\d{4})$/;

/** The month an instant falls in, in the organization's time zone (23:30 UTC on 31 Jan is 1 Feb in Shanghai). */
export function periodOf(instant: Date, timeZone: string): string {
  return localDate(instant, timeZone).slice(0, 7);
}

export function periodKind(period: string): PeriodKind | null {
  if (MONTH.test(period)) return 'month';
  if (QUARTER.test(period)) return 'quarter';
  if (YEAR.test(period)) return 'year';
  return null;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The months a period is made of, in order; [] for text that is no period. */
export function monthsOf(period: string): string[] {
  if (MONTH.test(period)) return [period];
  const q = QUARTER.exec(period);
  if (q) {
    const first = (Number(q[2]) - 1) * 3 + 1;
    return [first, first + 1, first + 2].map((m) => `${q[1]}-${pad2(m)}`);
  }
  const y = YEAR.exec(period);
  if (y) return Array.from({ length: 12 }, (_, i) => `${y[1]}-${pad2(i + 1)}`);
  return [];
}

/** The quarter ("YYYY-Qn") a month belongs to. */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Has the month ended at `now` in `timeZone`? Only an ended month can be closed. */
export function monthHasEnded(month: string, now: Date, timeZone: string): boolean {
  return periodOf(now, timeZone) > month;
}

/** Is the month after the one `now` falls in? An entry cannot be booked ahead. */
export function monthIsFuture(month: string, now: Date, timeZone: string): boolean {
  return month > periodOf(now, timeZone);
}

/**
 * A decimal amount from the API (yuan, points) as an integer of hundredths, or null when it has more
 * than two decimals or is not finite. 0.1 + 0.2 style float noise within 1e-6 of a cent is forgiven.
 */
export function toHundredths(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  const scaled = value * 100;
  const rounded = Math.round(scaled);
  return Math.abs(scaled - rounded) < 1e-6 ? rounded : null;
}

/** Hundredths back to the API's decimal (20000 fen → 200). */
export const fromHundredths = (n: number) => n / 100;

/** "200.00" for 20000 fen: how money is shown and exported. */
export function formatHundredths(n: number): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  return `${sign}${Math.floor(abs / 100)}.${pad2(abs % 100)}`;
}

export const signed = (direction: string, amount: number) => (direction === 'credit' ? amount : -amount);

export interface TotalEntry {
  subjectKind: 'unit' | 'person';
  subjectId: number;
  subjectName: string;
  direction: string;
  state: string;
  pointsCenti: number;
  moneyFen: number;
}

export interface SubjectTotal {
  subjectKind: 'unit' | 'person';
  subjectId: number;
  subjectName: string;
  /** Signed sums of the final entries: what HR applies. */
  pointsCenti: number;
  moneyFen: number;
  /** Signed sums of the entries still open (proposed, confirmed, appealed): what may still come. */
  pendingPointsCenti: number;
  pendingMoneyFen: number;
  /** Entries counted (final and open). */
  entries: number;
}

const OPEN_STATES = new Set(['proposed', 'confirmed', 'appealed']);

/**
 * Per-subject totals of a period: final entries add up, open ones are shown apart, dropped and
 * withdrawn ones count for nothing. Units first, then persons, each by name.
 */
export function totalsBySubject(entries: readonly TotalEntry[]): SubjectTotal[] {
  const map = new Map<string, SubjectTotal>();
  for (const e of entries) {
    const isFinal = e.state === 'final';
    if (!isFinal && !OPEN_STATES.has(e.state)) continue;
    const key = `${e.subjectKind}:${e.subjectId}`;
    let t = map.get(key);
    if (!t) {
      t = {
        subjectKind: e.subjectKind,
        subjectId: e.subjectId,
        subjectName: e.subjectName,
        pointsCenti: 0,
        moneyFen: 0,
        pendingPointsCenti: 0,
        pendingMoneyFen: 0,
        entries: 0,
      };
      map.set(key, t);
    }
    t.entries++;
    if (isFinal) {
      t.pointsCenti += signed(e.direction, e.pointsCenti);
      t.moneyFen += signed(e.direction, e.moneyFen);
    } else {
      t.pendingPointsCenti += signed(e.direction, e.pointsCenti);
      t.pendingMoneyFen += signed(e.direction, e.moneyFen);
    }
  }
  return [...map.values()].sort(
    (a, b) =>
      (a.subjectKind === b.subjectKind ? 0 : a.subjectKind === 'unit' ? -1 : 1) ||
      a.subjectName.localeCompare(b.subjectName, 'zh-CN') ||
      a.subjectId - b.subjectId,
  );
}
