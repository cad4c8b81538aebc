/**
 * Working-day calendar core (工作日历). Pure: no IO, no clock — every instant is passed in.
 *
 * Model: Saturday and Sunday are off, Monday–Friday are on. An `official` row for a date overrides
 * that (holiday → off, workday → on: 调休 make-up days); an `org` row for the same date overrides both.
 * A year missing from `officialYears` is still computed (weekends + org rows) but is reported as
 * lacking official data, because no package knows next year's arrangement before the State Council
 * publishes it (STACK finding 8, pitfall 13).
 *
 * Dates are handled internally as day numbers (days since 1970-01-01, proleptic Gregorian), so the
 * inner loops are integer arithmetic plus one Map lookup per day; `Intl` is only used to convert
 * between instants and local wall time.
 */

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** holiday = a day off, workday = a working day. */
export type DayKind = 'holiday' | 'workday';
/** `org` overrides win over `official` rows on the same date. */
export type DaySource = 'official' | 'org';

export interface CalendarDayRow {
  /** YYYY-MM-DD */
  date: string;
  source: DaySource;
  kind: DayKind;
  name: string;
}

export interface CalendarPolicy {
  /** IANA time zone, e.g. "Asia/Shanghai". */
  timeZone: string;
  /** "HH:mm", e.g. "08:30". */
  workdayStart: string;
  /** "HH:mm", e.g. "17:30". */
  workdayEnd: string;
}

/** A school term (学期) the organization's calendar names; rules count in terms (ADR 0009). */
export interface SchoolTerm {
  name: string;
  /** First and last day, YYYY-MM-DD, inclusive. */
  startsOn: string;
  endsOn: string;
}

/** The longest term accepted: a school year is two terms, a term never a year. */
export const MAX_TERM_DAYS = 240;

export interface CalendarData extends CalendarPolicy {
  days: CalendarDayRow[];
  /** Years for which the official arrangement is known (has been seeded or entered). */
  officialYears: number[];
  /** School terms, if the organization keeps them (a school); none otherwise. */
  terms?: readonly SchoolTerm[];
}

/** Opaque, immutable calendar built once by {@link buildCalendar}. */
export interface Calendar {
  readonly timeZone: string;
  readonly workdayStart: string;
  readonly workdayEnd: string;
  readonly officialYears: readonly number[];
  /** School terms, ascending and apart. */
  readonly terms: readonly SchoolTerm[];
}

export type DayReason = 'weekday' | 'weekend' | 'official_holiday' | 'official_workday' | 'org_holiday' | 'org_workday';

export interface DayInfo {
  date: string;
  working: boolean;
  reason: DayReason;
  name?: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** The date's year is not in `officialYears`: only weekends and org rows were applied. */
  officialDataMissing: boolean;
}

export type ExplanationStep =
  | {
      kind: 'start';
      /** ISO instant */
      at: string;
      /** local date (YYYY-MM-DD) of `at` in the calendar's zone */
      date: string;
      /** local wall time "YYYY-MM-DD HH:mm" of `at` (optional extra, used by {@link explain}) */
      local?: string;
    }
  | { kind: 'skip'; from: string; to: string; reason: 'weekend' | 'holiday' | 'org_holiday'; name?: string }
  /** `back`: counted backwards (the ordinal-th working day before the anchor). */
  | { kind: 'working_day'; date: string; ordinal: number; reason: DayReason; name?: string; back?: boolean }
  | {
      kind: 'deadline';
      /** ISO instant */
      at: string;
      /** local wall time, e.g. "2026-10-08 17:30" */
      local: string;
    }
  | { kind: 'hours'; hours: number }
  /**
   * Where a relative deadline counts from: a date or date-time on the case, its creation, the clock's
   * start (`ref`, e.g. "fields.workStartDate", "created", "started"; `label` names it for readers).
   */
  | { kind: 'anchor'; ref: string; label?: { zh: string; en: string }; date: string; local: string }
  /** How far and in what unit a relative deadline counts, with where the number comes from (a policy key, or a rulebook's clause). */
  | { kind: 'offset'; n: number; unit: OffsetUnit; direction: 'before' | 'after'; policy?: string; source?: string }
  /** A counted date that is not a working day: moved to the previous/next working day, or kept as the rule says. */
  | { kind: 'non_working_day'; date: string; to: string; policy: NonWorkingDayPolicy; reason: DayReason; name?: string };

/** Units a relative deadline counts in. */
export type OffsetUnit = 'workingDays' | 'calendarDays' | 'hours' | 'months' | 'years';
/** What happens to a date that lands on a non-working day. */
export type NonWorkingDayPolicy = 'keep' | 'previous' | 'next';

/** NO_OFFICIAL_DATA: a year without the official arrangement; NO_TERMS: a term rule over a year with no school term. */
export type CalendarFlag = { code: 'NO_OFFICIAL_DATA' | 'NO_TERMS'; year: number };

export interface DeadlineResult {
  deadline: Date;
  steps: ExplanationStep[];
  flags: CalendarFlag[];
}

/** Longest run of consecutive non-working days tolerated before the calendar is deemed broken. */
export const MAX_NON_WORKING_RUN = 366;
/** Largest working-day count accepted by {@link addWorkingDays} / {@link deadlineAfter}. */
export const MAX_WORKING_DAYS = 10_000;
/** Largest span (in days) accepted by {@link workingTimeBetween}. */
export const MAX_SPAN_DAYS = 366 * 100;

// ---------------------------------------------------------------------------------------------
// Civil date arithmetic (day numbers)
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Inverse of {@link daysFromCivil}: [year, month 1-12, day 1-31]. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Parses "YYYY-MM-DD" (years 0001–9999) into a day number; throws RangeError if malformed. */
function parseDate(date: string): number {
  const m = typeof date === 'string' ? DATE_RE.exec(date) : null;
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return daysFromCivil(y, mo, d);
  }
  throw new RangeError(`Invalid date ${JSON.stringify(date)} (expected YYYY-MM-DD)`);
}

/** Parses "HH:mm" into minutes after midnight; throws RangeError if malformed. */
function parseTime(time: string): number {
  const m = typeof time === 'string' ? TIME_RE.exec(time) : null;
  if (!m) throw new RangeError(`Invalid time ${JSON.stringify(time)} (expected HH:mm, 00:00–23:59)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

function formatDay(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

function yearOfDay(days: number): number {
  return civilFromDays(days)[0];
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOfDay(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** The date `n` calendar days after `date` (n may be negative). */
export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`addDays: n must be an integer, got ${n}`);
  return formatDay(parseDate(date) + n);
}

/**
 * The date `n` months after `date` (n may be negative). A day the target month lacks is clamped to
 * its last day: one month after 31 January is 28 (29) February; 24 months before 29 February 2028 is 28 February 2026.
 */
export function addMonths(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`addMonths: n must be an integer, got ${n}`);
  const [y, m, d] = civilFromDays(parseDate(date));
  const mi = y * 12 + (m - 1) + n;
  const ty = Math.floor(mi / 12);
  const tm = mi - ty * 12 + 1;
  return formatDay(daysFromCivil(ty, tm, Math.min(d, daysInMonth(ty, tm))));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return weekdayOfDay(parseDate(date));
}

/** True if `date` is a valid "YYYY-MM-DD" calendar date. */
export function isValidDate(date: string): boolean {
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Time zones (Intl only; formatters are cached per zone)
// ---------------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const HOUR_MS = 3_600_000;
/** Per zone: the offset of each UTC hour known to hold one offset throughout. */
const hourOffsets = new Map<string, Map<number, number>>();
/** Enough hours for years of deadlines; past it the cache starts again (offsets are cheap to refill). */
const MAX_CACHED_HOURS = 100_000;

/**
 * UTC offset (ms, local − UTC) of `timeZone` at instant `ms`. Second precision.
 *
 * `formatToParts` costs microseconds, and a 待办 page asks it hundreds of times (every task's due-soon
 * instant): it was a fifth of the list's CPU (issue 9, performance). So the offset of a UTC hour whose
 * first and last second share one offset is kept: no zone changes its offset twice within an hour, so
 * the whole hour has it. An hour holding a transition is computed every time.
 */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const hour = Math.floor(ms / HOUR_MS);
  let hours = hourOffsets.get(timeZone);
  const known = hours?.get(hour);
  if (known !== undefined) return known;
  const first = exactZoneOffsetMs(hour * HOUR_MS, timeZone);
  const last = exactZoneOffsetMs(hour * HOUR_MS + HOUR_MS - 1000, timeZone);
  if (first !== last) return exactZoneOffsetMs(ms, timeZone);
  if (!hours || hours.size >= MAX_CACHED_HOURS) {
    hours = new Map();
    hourOffsets.set(timeZone, hours);
  }
  hours.set(hour, first);
  return first;
}

function exactZoneOffsetMs(ms: number, timeZone: string): number {
  const base = Math.floor(ms / 1000) * 1000;
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  let bc = false;
  for (const p of formatterFor(timeZone).formatToParts(base)) {
    switch (p.type) {
      case 'year':
        y = Number(p.value);
        break;
      case 'month':
        mo = Number(p.value);
        break;
      case 'day':
        d = Number(p.value);
        break;
      case 'hour':
        h = Number(p.value) % 24;
        break;
      case 'minute':
        mi = Number(p.value);
        break;
      case 'second':
        s = Number(p.value);
        break;
      case 'era':
        bc = p.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  if (bc) y = 1 - y;
  const local = daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000;
  return local - base;
}

function instantMs(instant: Date, fn: string): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${fn}: invalid Date`);
  return ms;
}

/** Local wall time of `ms` in `timeZone`: [day number, minutes after midnight]. */
function localParts(ms: number, timeZone: string): [number, number] {
  const local = ms + zoneOffsetMs(ms, timeZone);
  const day = Math.floor(local / DAY_MS);
  return [day, Math.floor((local - day * DAY_MS) / MINUTE_MS)];
}

function localDayOf(ms: number, timeZone: string): number {
  return localParts(ms, timeZone)[0];
}

/** The local calendar date (YYYY-MM-DD) of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  return formatDay(localDayOf(instantMs(instant, 'localDate'), timeZone));
}

/** The local wall time of `instant` in `timeZone`: date "YYYY-MM-DD" and time "HH:mm". */
export function localDateTime(instant: Date, timeZone: string): { date: string; time: string } {
  const [day, minutes] = localParts(instantMs(instant, 'localDateTime'), timeZone);
  return { date: formatDay(day), time: `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}` };
}

/** Instant (ms) of local wall time `day` + `minutes` in `timeZone`. */
function instantOfLocal(day: number, minutes: number, timeZone: string): number {
  const wall = day * DAY_MS + minutes * MINUTE_MS;
  // Offsets a day before and a day after bracket any (single) transition affecting this wall time.
  const before = zoneOffsetMs(wall - DAY_MS, timeZone);
  const after = zoneOffsetMs(wall + DAY_MS, timeZone);
  let best = Number.POSITIVE_INFINITY;
  for (const off of before === after ? [before] : [before, after]) {
    const t = wall - off;
    if (zoneOffsetMs(t, timeZone) === off && t < best) best = t;
  }
  // Ambiguous (autumn fall-back): the earlier instant. Non-existent (spring gap): shifted forward by
  // the gap, i.e. read with the offset in force before the transition (Temporal's "compatible").
  return Number.isFinite(best) ? best : wall - before;
}

/**
 * The instant of local wall time `time` ("HH:mm") on `date` ("YYYY-MM-DD") in IANA `timeZone`.
 * Ambiguous times (DST fall-back) resolve to the earlier instant; non-existent times (DST gap) are
 * moved forward by the length of the gap.
 */
export function instantAt(date: string, time: string, timeZone: string): Date {
  return new Date(instantOfLocal(parseDate(date), parseTime(time), timeZone));
}

// ---------------------------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------------------------

interface ResolvedRow {
  source: DaySource;
  kind: DayKind;
  name: string;
}

interface CalendarInternals {
  /** Effective override per day number: the org row if any, else the official row. */
  rows: Map<number, ResolvedRow>;
  officialYears: Set<number>;
  startMin: number;
  endMin: number;
  /** Memo of [start, end] instants (ms) of the working window per day number. */
  windows: Map<number, [number, number]>;
}

const internals = new WeakMap<Calendar, CalendarInternals>();
const WINDOW_CACHE_LIMIT = 50_000;

function inside(cal: Calendar): CalendarInternals {
  const i = internals.get(cal);
  if (!i) throw new TypeError('Not a Calendar: build it with buildCalendar()');
  return i;
}

const KINDS: ReadonlySet<string> = new Set<DayKind>(['holiday', 'workday']);
const SOURCES: ReadonlySet<string> = new Set<DaySource>(['official', 'org']);

/**
 * Builds an immutable calendar. Validates the zone, the working hours and every row.
 * Rows with the same (date, source) are allowed; the last one wins.
 */
export function buildCalendar(data: CalendarData): Calendar {
  formatterFor(data.timeZone); // validates the zone (RangeError)
  const startMin = parseTime(data.workdayStart);
  const endMin = parseTime(data.workdayEnd);
  if (endMin <= startMin) {
    throw new RangeError(`workdayEnd (${data.workdayEnd}) must be after workdayStart (${data.workdayStart})`);
  }
  const official = new Map<number, ResolvedRow>();
  const org = new Map<number, ResolvedRow>();
  for (const row of data.days) {
    const day = parseDate(row.date);
    if (!KINDS.has(row.kind)) throw new RangeError(`Invalid day kind ${JSON.stringify(row.kind)} on ${row.date}`);
    if (!SOURCES.has(row.source)) throw new RangeError(`Invalid day source ${JSON.stringify(row.source)} on ${row.date}`);
    (row.source === 'org' ? org : official).set(day, { source: row.source, kind: row.kind, name: row.name ?? '' });
  }
  const rows = new Map(official);
  for (const [day, row] of org) rows.set(day, row);

  const years = new Set<number>();
  for (const y of data.officialYears) {
    if (!Number.isInteger(y)) throw new RangeError(`Invalid official year ${y}`);
    years.add(y);
  }
  const terms = [...(data.terms ?? [])].sort((a, b) => (a.startsOn < b.startsOn ? -1 : 1));
  const termProblem = termsProblems(terms)[0];
  if (termProblem) throw new RangeError(`Invalid school term ${termProblem.index}: ${termProblem.key}`);
  const cal: Calendar = Object.freeze({
    timeZone: data.timeZone,
    workdayStart: data.workdayStart,
    workdayEnd: data.workdayEnd,
    officialYears: Object.freeze([...years].sort((a, b) => a - b)),
    terms: Object.freeze(terms.map((t) => Object.freeze({ ...t }))),
  });
  internals.set(cal, { rows, officialYears: years, startMin, endMin, windows: new Map() });
  return cal;
}

function isWorkingDayNum(rows: Map<number, ResolvedRow>, day: number): boolean {
  const row = rows.get(day);
  if (row) return row.kind === 'workday';
  const wd = weekdayOfDay(day);
  return wd !== 0 && wd !== 6;
}

function dayInfoNum(inner: CalendarInternals, day: number): DayInfo {
  const weekday = weekdayOfDay(day);
  const officialDataMissing = !inner.officialYears.has(yearOfDay(day));
  const row = inner.rows.get(day);
  const date = formatDay(day);
  if (!row) {
    const working = weekday !== 0 && weekday !== 6;
    return { date, working, reason: working ? 'weekday' : 'weekend', weekday, officialDataMissing };
  }
  const working = row.kind === 'workday';
  const reason: DayReason = `${row.source}_${row.kind}`;
  const info: DayInfo = { date, working, reason, weekday, officialDataMissing };
  if (row.name) info.name = row.name;
  return info;
}

/** How `date` is classified by the calendar, and why. */
export function dayInfo(cal: Calendar, date: string): DayInfo {
  return dayInfoNum(inside(cal), parseDate(date));
}

export function isWorkingDay(cal: Calendar, date: string): boolean {
  return isWorkingDayNum(inside(cal).rows, parseDate(date));
}

function checkCount(n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new RangeError(`${fn}: working-day count must be an integer 0..${MAX_WORKING_DAYS}, got ${n}`);
  }
}

function noWorkingDay(from: number): RangeError {
  return new RangeError(`No working day within ${MAX_NON_WORKING_RUN} days after ${formatDay(from)}: the calendar data is broken`);
}

/**
 * The n-th working day strictly after `date` (n ≥ 1). n = 0 returns `date` itself if it is a
 * working day, otherwise the next working day. Throws RangeError when more than
 * {@link MAX_NON_WORKING_RUN} consecutive days are off.
 */
export function addWorkingDays(cal: Calendar, date: string, n: number): string {
  checkCount(n, 'addWorkingDays');
  const { rows } = inside(cal);
  let day = parseDate(date);
  const origin = day;
  let run = 0;
  if (n === 0) {
    while (!isWorkingDayNum(rows, day)) {
      if (++run > MAX_NON_WORKING_RUN) throw noWorkingDay(origin);
      day++;
    }
    return formatDay(day);
  }
  let count = 0;
  while (count < n) {
    day++;
    if (isWorkingDayNum(rows, day)) {
      count++;
      run = 0;
    } else if (++run > MAX_NON_WORKING_RUN) {
      throw noWorkingDay(origin);
    }
  }
  return formatDay(day);
}

function missingYearFlags(inner: CalendarInternals, fromDay: number, toDay: number): CalendarFlag[] {
  const flags: CalendarFlag[] = [];
  const y0 = yearOfDay(fromDay);
  const y1 = yearOfDay(toDay);
  for (let y = y0; y <= y1; y++) if (!inner.officialYears.has(y)) flags.push({ code: 'NO_OFFICIAL_DATA', year: y });
  return flags;
}

function localLabel(day: number, minutes: number): string {
  return `${formatDay(day)} ${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/**
 * Walks `n` working days from local day `from` in direction `dir` (+1 forward, −1 back): n ≥ 1 is the
 * n-th working day strictly after (before) `from`; n = 0 is `from` itself if it is a working day, else
 * the next (previous) one. Returns the day reached and the explanation steps: each run of days off
 * skipped (dates ascending) and each working day counted. Throws when more than
 * {@link MAX_NON_WORKING_RUN} consecutive days are off.
 */
function walkWorkingDays(inner: CalendarInternals, from: number, n: number, dir: 1 | -1): { day: number; steps: ExplanationStep[] } {
  const steps: ExplanationStep[] = [];
  let day = n === 0 ? from : from + dir;
  let ordinal = 0;
  // Current run of non-working days.
  let runStart = -1;
  let runLast = -1;
  let runHoliday = false;
  let runOrg = false;
  let runNames: string[] = [];

  const closeRun = (): void => {
    if (runStart < 0) return;
    const step: ExplanationStep = {
      kind: 'skip',
      from: formatDay(Math.min(runStart, runLast)),
      to: formatDay(Math.max(runStart, runLast)),
      reason: runHoliday ? 'holiday' : runOrg ? 'org_holiday' : 'weekend',
    };
    if (runNames.length > 0) step.name = runNames.join('、');
    steps.push(step);
    runStart = -1;
    runHoliday = false;
    runOrg = false;
    runNames = [];
  };

  for (;;) {
    const info = dayInfoNum(inner, day);
    if (info.working) {
      closeRun();
      ordinal = n === 0 ? 0 : ordinal + 1;
      const step: ExplanationStep = { kind: 'working_day', date: info.date, ordinal, reason: info.reason };
      if (info.name) step.name = info.name;
      if (dir === -1) step.back = true;
      steps.push(step);
      if (ordinal >= n) break;
    } else {
      if (runStart < 0) runStart = day;
      else if (Math.abs(day - runStart) >= MAX_NON_WORKING_RUN) throw noWorkingDay(from);
      runLast = day;
      if (info.reason === 'official_holiday') runHoliday = true;
      if (info.reason === 'org_holiday') runOrg = true;
      if (info.name && !runNames.includes(info.name)) runNames.push(info.name);
    }
    day += dir;
  }
  return { day, steps };
}

/** `date` if it is a working day, else the next (`dir` = 1) or previous (−1) working day. */
export function toWorkingDay(cal: Calendar, date: string, dir: 1 | -1): string {
  return formatDay(walkWorkingDays(inside(cal), parseDate(date), 0, dir).day);
}

/** n ≥ 1: the n-th working day strictly before `date`; n = 0: `date` if it is a working day, else the previous one. */
export function workingDaysBefore(cal: Calendar, date: string, n: number): string {
  checkCount(n, 'workingDaysBefore');
  return formatDay(walkWorkingDays(inside(cal), parseDate(date), n, -1).day);
}

/**
 * Deadline "within N working days of t": `workdayEnd` (e.g. 17:30) on the N-th working day strictly
 * after the local day of `t` in the calendar's zone. N = 0 means the end of the day of `t` if it is a
 * working day, else of the next working day. Returns the explanation steps and a NO_OFFICIAL_DATA
 * flag (once per year) for every year walked over that lacks official data.
 */
export function deadlineAfter(cal: Calendar, t: Date, workingDays: number): DeadlineResult {
  checkCount(workingDays, 'deadlineAfter');
  const inner = inside(cal);
  const ms = instantMs(t, 'deadlineAfter');
  const [startDay, startMinutes] = localParts(ms, cal.timeZone);
  const steps: ExplanationStep[] = [{ kind: 'start', at: new Date(ms).toISOString(), date: formatDay(startDay), local: localLabel(startDay, startMinutes) }];
  const walk = walkWorkingDays(inner, startDay, workingDays, 1);
  steps.push(...walk.steps);
  const day = walk.day;
  const deadlineMs = instantOfLocal(day, inner.endMin, cal.timeZone);
  steps.push({ kind: 'deadline', at: new Date(deadlineMs).toISOString(), local: localLabel(day, inner.endMin) });
  return { deadline: new Date(deadlineMs), steps, flags: missingYearFlags(inner, workingDays === 0 ? startDay : startDay + 1, day) };
}

/** Where a relative deadline counts from (see {@link deadlineRelative}). */
export type RelativeAnchor =
  /** A local date, with a local time when the case gave one. */
  | { date: string; time?: string }
  /** An instant: the case's creation, the clock's start, a date-time with its offset. */
  | { instant: Date };

export interface RelativeSpec {
  anchor: RelativeAnchor;
  /** What the anchor is, for the explanation: "fields.workStartDate", "created", "started". */
  ref: string;
  label?: { zh: string; en: string };
  direction: 'before' | 'after';
  /** How many units (an integer ≥ 0; hours may be fractional). */
  n: number;
  unit: OffsetUnit;
  /** Where `n` comes from: a policy key, or the rulebook clause a literal number is taken from. */
  policy?: string;
  source?: string;
  /** Local time of day ("HH:mm", the calendar's zone) of the deadline; default: the end of the working day (hours: the exact instant). */
  at?: string;
  /** What to do when the counted date is not a working day (default keep). */
  nonWorkingDay?: NonWorkingDayPolicy;
}

/**
 * An instant relative to an anchor: ± N working days, calendar days, months, years or hours, at a
 * local time of day, moved off a non-working day when the rule says so. Examples: "topics by the
 * Friday 12:00 before Monday's meeting" (1 working day before, at 12:00), "3 days before the work
 * starts" (3 calendar days before), "2 years before the design date" (2 years before), "within 24
 * hours" (24 hours after). Working days are counted as {@link deadlineAfter} does (strictly after or
 * before the anchor's day; 0 = that day if working, else the next/previous one). Months clamp a day
 * the target month lacks to its last day. Flags NO_OFFICIAL_DATA for every year from the anchor to
 * the deadline without official data: computed, not refused.
 */
export function deadlineRelative(cal: Calendar, spec: RelativeSpec): DeadlineResult {
  const inner = inside(cal);
  const n = spec.n;
  if (!Number.isFinite(n) || n < 0 || (spec.unit !== 'hours' && !Number.isInteger(n))) {
    throw new RangeError(`deadlineRelative: n must be ${spec.unit === 'hours' ? 'a number' : 'an integer'} ≥ 0, got ${n}`);
  }
  if (spec.unit === 'workingDays') checkCount(n, 'deadlineRelative');
  const atMin = spec.at === undefined ? undefined : parseTime(spec.at);
  const sign = spec.direction === 'before' ? -1 : 1;
  let anchorMs: number;
  let anchorDay: number;
  let anchorMin: number | undefined;
  if ('instant' in spec.anchor) {
    anchorMs = instantMs(spec.anchor.instant, 'deadlineRelative');
    [anchorDay, anchorMin] = localParts(anchorMs, cal.timeZone);
  } else {
    anchorDay = parseDate(spec.anchor.date);
    anchorMin = spec.anchor.time === undefined ? undefined : parseTime(spec.anchor.time);
    anchorMs = instantOfLocal(anchorDay, anchorMin ?? 0, cal.timeZone);
  }
  const steps: ExplanationStep[] = [
    {
      kind: 'anchor',
      ref: spec.ref,
      ...(spec.label && { label: spec.label }),
      date: formatDay(anchorDay),
      local: anchorMin === undefined ? formatDay(anchorDay) : localLabel(anchorDay, anchorMin),
    },
  ];
  const offset: ExplanationStep = { kind: 'offset', n, unit: spec.unit, direction: spec.direction };
  if (spec.policy) offset.policy = spec.policy;
  if (spec.source) offset.source = spec.source;
  steps.push(offset);

  let day: number;
  /** The exact instant an hours rule reaches, while no time of day or move replaces it. */
  let exactMs: number | undefined;
  let minutes = atMin ?? inner.endMin;
  switch (spec.unit) {
    case 'hours': {
      exactMs = anchorMs + sign * Math.round(n * 3_600_000);
      const [d, m] = localParts(exactMs, cal.timeZone);
      day = d;
      if (atMin === undefined) minutes = m;
      else exactMs = undefined;
      break;
    }
    case 'calendarDays':
      day = anchorDay + sign * n;
      break;
    case 'months':
    case 'years':
      day = parseDate(addMonths(formatDay(anchorDay), sign * n * (spec.unit === 'years' ? 12 : 1)));
      break;
    case 'workingDays': {
      const walk = walkWorkingDays(inner, anchorDay, n, sign);
      steps.push(...walk.steps);
      day = walk.day;
      break;
    }
  }
  const policy = spec.nonWorkingDay ?? 'keep';
  const info = dayInfoNum(inner, day);
  if (!info.working) {
    const to = policy === 'keep' ? day : walkWorkingDays(inner, day, 0, policy === 'next' ? 1 : -1).day;
    const step: ExplanationStep = { kind: 'non_working_day', date: info.date, to: formatDay(to), policy, reason: info.reason };
    if (info.name) step.name = info.name;
    steps.push(step);
    if (to !== day) exactMs = undefined;
    day = to;
  }
  const deadlineMs = exactMs ?? instantOfLocal(day, minutes, cal.timeZone);
  const [endDay, endMin] = localParts(deadlineMs, cal.timeZone);
  steps.push({ kind: 'deadline', at: new Date(deadlineMs).toISOString(), local: localLabel(endDay, endMin) });
  return { deadline: new Date(deadlineMs), steps, flags: missingYearFlags(inner, Math.min(anchorDay, endDay), Math.max(anchorDay, endDay)) };
}

/**
 * Deadline "within N hours of t", counted in natural hours (24 h = one day, nights and holidays
 * included). Flags NO_OFFICIAL_DATA when the deadline's local date is in a year without official data.
 */
export function deadlineAfterHours(cal: Calendar, t: Date, hours: number): DeadlineResult {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`deadlineAfterHours: hours must be ≥ 0, got ${hours}`);
  const inner = inside(cal);
  const ms = instantMs(t, 'deadlineAfterHours');
  const deadlineMs = ms + Math.round(hours * 3_600_000);
  const [startDay, startMinutes] = localParts(ms, cal.timeZone);
  const [endDay, endMinutes] = localParts(deadlineMs, cal.timeZone);
  const steps: ExplanationStep[] = [
    { kind: 'start', at: new Date(ms).toISOString(), date: formatDay(startDay), local: localLabel(startDay, startMinutes) },
    { kind: 'hours', hours },
    { kind: 'deadline', at: new Date(deadlineMs).toISOString(), local: localLabel(endDay, endMinutes) },
  ];
  return { deadline: new Date(deadlineMs), steps, flags: missingYearFlags(inner, endDay, endDay) };
}

function workingWindow(cal: Calendar, inner: CalendarInternals, day: number): [number, number] {
  let w = inner.windows.get(day);
  if (!w) {
    w = [instantOfLocal(day, inner.startMin, cal.timeZone), instantOfLocal(day, inner.endMin, cal.timeZone)];
    if (inner.windows.size >= WINDOW_CACHE_LIMIT) inner.windows.clear();
    inner.windows.set(day, w);
  }
  return w;
}

/**
 * Milliseconds of working time (workdayStart..workdayEnd on working days, local time) between two
 * instants; 0 if `to` ≤ `from`.
 */
export function workingTimeBetween(cal: Calendar, from: Date, to: Date): number {
  const inner = inside(cal);
  const a = instantMs(from, 'workingTimeBetween');
  const b = instantMs(to, 'workingTimeBetween');
  if (b <= a) return 0;
  const d0 = localDayOf(a, cal.timeZone);
  const d1 = localDayOf(b, cal.timeZone);
  if (d1 - d0 > MAX_SPAN_DAYS) throw new RangeError(`workingTimeBetween: span longer than ${MAX_SPAN_DAYS} days`);
  let total = 0;
  for (let day = d0; day <= d1; day++) {
    if (!isWorkingDayNum(inner.rows, day)) continue;
    const [s, e] = workingWindow(cal, inner, day);
    const overlap = Math.min(e, b) - Math.max(s, a);
    if (overlap > 0) total += overlap;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Human-readable explanations
// ---------------------------------------------------------------------------------------------

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function splitDate(date: string): [number, number, number] {
  const m = DATE_RE.exec(date);
  if (!m) return [0, 0, 0];
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function dayLabel(date: string, lang: 'zh-CN' | 'en', withYear: boolean): string {
  const [y, m, d] = splitDate(date);
  if (y === 0) return date;
  if (lang === 'zh-CN') return `${withYear ? `${y}年` : ''}${m}月${d}日`;
  return `${MONTHS_EN[m - 1]} ${d}${withYear ? `, ${y}` : ''}`;
}

function rangeLabel(from: string, to: string, lang: 'zh-CN' | 'en'): string {
  const crossYear = from.slice(0, 4) !== to.slice(0, 4);
  if (from === to) return dayLabel(from, lang, false);
  return `${dayLabel(from, lang, crossYear)}–${dayLabel(to, lang, crossYear)}`;
}

function explainZh(step: ExplanationStep): string {
  switch (step.kind) {
    case 'start':
      return step.local ? `起算 ${step.local}` : `起算 ${step.at}（当地日期 ${dayLabel(step.date, 'zh-CN', false)}）`;
    case 'skip': {
      const range = rangeLabel(step.from, step.to, 'zh-CN');
      if (step.reason === 'weekend') return `跳过 ${range} 周末`;
      if (step.reason === 'holiday') return `跳过 ${range} ${step.name ?? '法定节假日'}`;
      return `跳过 ${range} ${step.name ? `${step.name}（单位休息日）` : '单位休息日'}`;
    }
    case 'working_day': {
      const note =
        step.reason === 'official_workday' ? '（调休上班）' : step.reason === 'org_workday' ? `（单位安排上班${step.name ? `：${step.name}` : ''}）` : ' ';
      const day = dayLabel(step.date, 'zh-CN', false);
      if (step.ordinal === 0) return `${day}${note}为${step.back ? '当日或之前最近的' : '当日'}工作日`;
      return `${day}${note}为${step.back ? '往前' : ''}第${step.ordinal}个工作日`;
    }
    case 'deadline':
      return `截止 ${step.local}`;
    case 'hours':
      return `按自然时间计 ${step.hours} 小时`;
    case 'anchor':
      return `起算依据 ${step.label?.zh ?? ANCHOR_ZH[step.ref] ?? step.ref}：${step.local}`;
    case 'offset': {
      const where = step.policy ? `（制度参数 ${step.policy}）` : step.source ? `（${step.source}）` : '';
      return `${step.direction === 'before' ? '提前' : '往后'} ${step.n} ${UNIT_ZH[step.unit]}${where}`;
    }
    case 'non_working_day': {
      const head = `${dayLabel(step.date, 'zh-CN', false)} ${step.name ?? (step.reason === 'weekend' ? '周末' : '非工作日')}`;
      if (step.policy === 'keep') return `${head}（非工作日，按规则不调整）`;
      return `${head} → ${step.policy === 'next' ? '顺延至' : '提前至'} ${dayLabel(step.to, 'zh-CN', false)}`;
    }
  }
}

const UNIT_ZH: Record<OffsetUnit, string> = { workingDays: '个工作日', calendarDays: '天', hours: '小时', months: '个月', years: '年' };
const UNIT_EN: Record<OffsetUnit, string> = { workingDays: 'working day(s)', calendarDays: 'day(s)', hours: 'hour(s)', months: 'month(s)', years: 'year(s)' };
const ANCHOR_ZH: Record<string, string> = { created: '创建时间', started: '起算时间' };
const ANCHOR_EN: Record<string, string> = { created: 'created', started: 'started' };

function explainEn(step: ExplanationStep): string {
  switch (step.kind) {
    case 'start':
      return step.local ? `Start ${step.local}` : `Start ${step.at} (local date ${dayLabel(step.date, 'en', false)})`;
    case 'skip': {
      const range = rangeLabel(step.from, step.to, 'en');
      if (step.reason === 'weekend') return `Skipped ${range} (weekend)`;
      if (step.reason === 'holiday') return `Skipped ${range} (holiday${step.name ? `: ${step.name}` : ''})`;
      return `Skipped ${range} (organisation day off${step.name ? `: ${step.name}` : ''})`;
    }
    case 'working_day': {
      const note =
        step.reason === 'official_workday'
          ? ' (make-up working day)'
          : step.reason === 'org_workday'
            ? ` (organisation working day${step.name ? `: ${step.name}` : ''})`
            : '';
      const day = dayLabel(step.date, 'en', false);
      if (step.ordinal === 0) return `${day}${note} is a working day (${step.back ? 'same or previous day' : 'same day'})`;
      return `${day}${note} is working day ${step.ordinal}${step.back ? ' before' : ''}`;
    }
    case 'deadline':
      return `Deadline ${step.local}`;
    case 'hours':
      return `Counted as ${step.hours} natural hours`;
    case 'anchor':
      return `Counted from ${step.label?.en ?? ANCHOR_EN[step.ref] ?? step.ref}: ${step.local}`;
    case 'offset': {
      const where = step.policy ? ` (policy ${step.policy})` : step.source ? ` (${step.source})` : '';
      return `${step.n} ${UNIT_EN[step.unit]} ${step.direction}${where}`;
    }
    case 'non_working_day': {
      const head = `${dayLabel(step.date, 'en', false)} ${step.name ?? (step.reason === 'weekend' ? 'weekend' : 'day off')}`;
      if (step.policy === 'keep') return `${head} (not a working day; kept as the rule says)`;
      return `${head} → moved to ${dayLabel(step.to, 'en', false)} (${step.policy} working day)`;
    }
  }
}

/** One line of human text per step. */
export function explain(steps: ExplanationStep[], lang: 'zh-CN' | 'en'): string[] {
  return steps.map(lang === 'zh-CN' ? explainZh : explainEn);
}

/** One line of human text per flag. */
export function describeFlags(flags: CalendarFlag[], lang: 'zh-CN' | 'en'): string[] {
  return flags.map((f) => {
    if (f.code === 'NO_TERMS')
      return lang === 'zh-CN'
        ? `${f.year} 年尚未设置学期，按学期的规则在该年没有期次，请管理员在工作日历中设置学期`
        : `No school term is set in ${f.year}: a rule counted in terms has no occurrence there. An administrator should set the terms in the calendar.`;
    return lang === 'zh-CN'
      ? `${f.year} 年尚无官方节假日安排，仅按周末计算，请管理员录入或导入`
      : `No official holiday arrangement for ${f.year} yet: only weekends are counted. An administrator should enter or import it.`;
  });
}

/**
 * Why a list of terms cannot be kept (empty when it can): a bad date, a term ending before it starts
 * or longer than {@link MAX_TERM_DAYS}, two terms sharing a day. `index` is the term's place in the list as given.
 */
export function termsProblems(
  terms: readonly SchoolTerm[],
): { index: number; field: 'startsOn' | 'endsOn'; key: 'invalid' | 'ends_before_start' | 'too_long' | 'overlaps' }[] {
  const out: ReturnType<typeof termsProblems> = [];
  terms.forEach((t, index) => {
    if (!isValidDate(t.startsOn)) out.push({ index, field: 'startsOn', key: 'invalid' });
    else if (!isValidDate(t.endsOn)) out.push({ index, field: 'endsOn', key: 'invalid' });
    else if (t.endsOn < t.startsOn) out.push({ index, field: 'endsOn', key: 'ends_before_start' });
    else if (parseDate(t.endsOn) - parseDate(t.startsOn) + 1 > MAX_TERM_DAYS) out.push({ index, field: 'endsOn', key: 'too_long' });
  });
  if (out.length) return out;
  const order = terms.map((t, index) => ({ t, index })).sort((a, b) => (a.t.startsOn < b.t.startsOn ? -1 : 1));
  for (let i = 1; i < order.length; i++) {
    const prev = order[i - 1] as (typeof order)[number];
    const cur = order[i] as (typeof order)[number];
    if (cur.t.startsOn <= prev.t.endsOn) out.push({ index: cur.index, field: 'startsOn', key: 'overlaps' });
  }
  return out;
}
