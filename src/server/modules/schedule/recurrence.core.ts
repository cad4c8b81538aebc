/**
 * Recurrence core (周期规则): the dates a schedule falls on, moved off non-working days by the
 * organization's calendar. Pure: no IO, no clock — the rule, the calendar and the range are passed in.
 *
 * Semantics (ADR 0009):
 * - `start` is the anchor: no nominal occurrence before it; "every N weeks" counts weeks (Monday to
 *   Sunday) from the week holding `start`, "every N months" counts months from `start`'s month.
 *   Quarters and half-years are calendar ones (Jan/Apr/Jul/Oct, Jan/Jul).
 * - A day of the month a shorter month lacks (31, or 29/30 in February) is clamped to that month's
 *   last day: "day 31" is the month's last day. A yearly month+day no year has (February 30, April 31)
 *   can never occur and is refused, as is an `until` before the first occurrence.
 * - `until` and `count` bound the NOMINAL dates (before moving); `count` counts from `start`.
 * - `nonWorkingDay`: 'keep' leaves the date, 'next'/'previous' move it to the next/previous working
 *   day (the calendar knows weekends, official holidays, 调休 make-up days and organization days off),
 *   at the same local time. Two occurrences moved onto the same day are merged into one.
 * - A range [from, to] selects occurrences by their actual (moved) date.
 * - `deadline: { workingDaysBefore: N, at }`: N ≥ 1 is the N-th working day strictly before the
 *   actual date; N = 0 is the actual date itself if it is a working day, else the previous one.
 * - School terms (`termly`, a `window` per `term`) come from the calendar (`cal.terms`): a year of
 *   the range no term touches is flagged NO_TERMS, not refused, as a year without official data is.
 */
import type { RecurrenceRuleInput } from '../../../contracts/schedule.js';
import {
  type Calendar,
  type CalendarFlag,
  toWorkingDay as calendarToWorkingDay,
  workingDaysBefore as calendarWorkingDaysBefore,
  type DayInfo,
  dayInfo,
  describeFlags,
  instantAt,
  isValidDate,
  MAX_NON_WORKING_RUN,
  type SchoolTerm,
} from '../calendar/core.js';

export type RecurrenceRule = RecurrenceRuleInput;
export type Lang = 'zh-CN' | 'en';

export interface Occurrence {
  /** Local date (YYYY-MM-DD) after the non-working-day policy. */
  date: string;
  /** Local time "HH:MM". */
  time: string;
  /** UTC instant, ISO. */
  at: string;
  /** The nominal date, when the policy moved the occurrence. */
  movedFrom?: string;
  deadline?: { date: string; time: string; at: string };
  /** A `window` rule: the period's days counted (not before `start`) and how many it needs. */
  window?: { from: string; to: string; atLeast: number };
  explanation: string[];
  flags: CalendarFlag[];
}

export interface RuleProblem {
  /** Field path inside the rule, e.g. "day". */
  path: string;
  /** Message key in the error catalog. */
  key: 'never_occurs' | 'invalid';
}

/** A rule that cannot be used; `problems` name the fields. */
export class RecurrenceError extends RangeError {
  constructor(readonly problems: RuleProblem[]) {
    super(`Invalid recurrence rule: ${problems.map((p) => `${p.path} ${p.key}`).join(', ')}`);
    this.name = 'RecurrenceError';
  }
}

// ---------------------------------------------------------------------------------------------
// Civil dates as day numbers (UTC milliseconds / day; no time zone involved)
// ---------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

function dayNum(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / DAY_MS);
}
function parse(date: string): number {
  return dayNum(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}
function format(day: number): string {
  const t = new Date(day * DAY_MS);
  return `${String(t.getUTCFullYear()).padStart(4, '0')}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}
function daysInMonth(y: number, m: number): number {
  return dayNum(y, m + 1, 1) - dayNum(y, m, 1);
}
/** 0 = Sunday … 6 = Saturday. */
const weekdayOfDay = (day: number) => (((day + 4) % 7) + 7) % 7;
/** Months since year 0, January = 0. */
const monthIndex = (y: number, m: number) => y * 12 + (m - 1);

/** Largest day each month has in any year (February 29). */
const MAX_DAY = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const WEEK_ORDINAL = { first: 1, second: 2, third: 3, fourth: 4, last: -1 } as const;
const WINDOW_MONTHS = { month: 1, quarter: 3, halfYear: 6, year: 12 } as const;

/** Does the rule count in the calendar's school terms (its dates come from `cal.terms`)? */
export const countsInTerms = (rule: RecurrenceRule): rule is RecurrenceRule & ({ freq: 'termly' } | { freq: 'window'; period: 'term' }) =>
  rule.freq === 'termly' || (rule.freq === 'window' && rule.period === 'term');

/** The first day a `window` rule's period ending on `last` counts: the period's first day, not before `start`. */
function windowFrom(rule: RecurrenceRule & { freq: 'window' }, last: number, terms: readonly SchoolTerm[]): number {
  if (rule.period === 'week') return Math.max(parse(rule.start), last - 6);
  if (rule.period === 'term') {
    const term = terms.find((t) => parse(t.endsOn) === last);
    return Math.max(parse(rule.start), term ? parse(term.startsOn) : last);
  }
  const t = new Date(last * DAY_MS);
  const mi = monthIndex(t.getUTCFullYear(), t.getUTCMonth() + 1) - WINDOW_MONTHS[rule.period] + 1;
  return Math.max(parse(rule.start), dayNum(Math.floor(mi / 12), (mi % 12) + 1, 1));
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The reasons a rule cannot be used (empty when it can). A term rule's `until` is checked against the
 * terms given: without any, a term not yet entered may still come.
 */
export function ruleProblems(rule: RecurrenceRule, terms: readonly SchoolTerm[] = []): RuleProblem[] {
  const out: RuleProblem[] = [];
  if (!isValidDate(rule.start)) out.push({ path: 'start', key: 'invalid' });
  if (rule.until !== undefined && !isValidDate(rule.until)) out.push({ path: 'until', key: 'invalid' });
  if (!TIME_RE.test(rule.time)) out.push({ path: 'time', key: 'invalid' });
  if (rule.deadline && !TIME_RE.test(rule.deadline.at)) out.push({ path: 'deadline.at', key: 'invalid' });
  if (rule.freq === 'weekly' && rule.weekdays.length === 0) out.push({ path: 'weekdays', key: 'never_occurs' });
  if (rule.freq === 'yearly' && rule.day > (MAX_DAY[rule.month - 1] ?? 0)) out.push({ path: 'day', key: 'never_occurs' });
  const byTerm = countsInTerms(rule);
  if (out.length === 0 && rule.until !== undefined && (!byTerm || terms.length > 0)) {
    const first = nominalDates(rule, Number.POSITIVE_INFINITY, 1, terms)[0];
    if (first === undefined || first > parse(rule.until)) out.push({ path: 'until', key: 'never_occurs' });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Nominal dates
// ---------------------------------------------------------------------------------------------

/** The day of a month-based rule in month `mi` (months since year 0). */
function dayInMonth(rule: RecurrenceRule, mi: number): number {
  const y = Math.floor(mi / 12);
  const m = (mi % 12) + 1;
  const dim = daysInMonth(y, m);
  if (rule.freq === 'monthlyWeekday') {
    const n = WEEK_ORDINAL[rule.week];
    if (n === -1) {
      const last = dayNum(y, m, dim);
      return last - ((weekdayOfDay(last) - rule.weekday + 7) % 7);
    }
    const first = dayNum(y, m, 1);
    return first + ((rule.weekday - weekdayOfDay(first) + 7) % 7) + 7 * (n - 1);
  }
  const day = 'day' in rule ? rule.day : 1;
  return dayNum(y, m, Math.min(day, dim));
}

/**
 * Nominal dates (day numbers) from `start`, ascending, up to `hi` (inclusive) and `until`, at most
 * `limit` (and `count`) of them.
 */
function nominalDates(rule: RecurrenceRule, hi: number, limit = Number.POSITIVE_INFINITY, terms: readonly SchoolTerm[] = []): number[] {
  const start = parse(rule.start);
  const end = Math.min(hi, rule.until !== undefined ? parse(rule.until) : Number.POSITIVE_INFINITY);
  const max = Math.min(limit, rule.count ?? Number.POSITIVE_INFINITY);
  const out: number[] = [];
  if (countsInTerms(rule)) {
    // Terms are ascending and apart, and each date stays inside its term: the dates ascend too.
    for (const t of terms) {
      const [first, last] = [parse(t.startsOn), parse(t.endsOn)];
      const offset = rule.freq === 'termly' ? (rule.offsetDays ?? 0) : 0;
      const d = rule.freq === 'termly' && rule.anchor === 'start' ? Math.min(first + offset, last) : Math.max(last - offset, first);
      if (d < start) continue;
      if (d > end || out.length >= max) return out;
      out.push(d);
    }
    return out;
  }
  if (rule.freq === 'weekly') {
    const interval = rule.interval ?? 1;
    const offsets = [...new Set(rule.weekdays.map((w) => (w + 6) % 7))].sort((a, b) => a - b); // Monday = 0
    if (offsets.length === 0) return out;
    for (let monday = start - ((weekdayOfDay(start) + 6) % 7); monday <= end; monday += 7 * interval) {
      for (const o of offsets) {
        const d = monday + o;
        if (d < start) continue;
        if (d > end || out.length >= max) return out;
        out.push(d);
      }
    }
    return out;
  }
  const [sy, sm] = [Number(rule.start.slice(0, 4)), Number(rule.start.slice(5, 7))];
  let mi = monthIndex(sy, sm);
  if (rule.freq === 'window') {
    // The last day of each period, from the period holding `start`.
    if (rule.period === 'week') {
      for (let sunday = start + ((7 - weekdayOfDay(start)) % 7); sunday <= end && out.length < max; sunday += 7) out.push(sunday);
      return out;
    }
    if (rule.period === 'term') return out; // counted in terms above
    const months = WINDOW_MONTHS[rule.period];
    for (mi -= mi % months; ; mi += months) {
      const last = dayNum(Math.floor((mi + months) / 12), ((mi + months) % 12) + 1, 1) - 1;
      if (last > end || out.length >= max) return out;
      out.push(last);
    }
  }
  let step = 1;
  if (rule.freq === 'monthly' || rule.freq === 'monthlyWeekday') step = rule.interval ?? 1;
  else {
    const period = rule.freq === 'quarterly' ? 3 : rule.freq === 'halfYearly' ? 6 : 12;
    const offset = rule.freq === 'yearly' ? rule.month - 1 : rule.monthOffset;
    while (mi % period !== offset) mi++;
    step = period;
  }
  for (; ; mi += step) {
    const d = dayInMonth(rule, mi);
    if (d < start) continue;
    if (d > end || out.length >= max) return out;
    out.push(d);
  }
}

// ---------------------------------------------------------------------------------------------
// Moving and deadlines
// ---------------------------------------------------------------------------------------------

/** The working day reached by stepping `dir` (+1/−1) from `day` (the day itself if working): the calendar core's walk. */
const toWorkingDay = (cal: Calendar, day: number, dir: 1 | -1): number => parse(calendarToWorkingDay(cal, format(day), dir));

/** N ≥ 1: the N-th working day strictly before `day`; N = 0: `day` if working, else the previous one. */
const workingDaysBefore = (cal: Calendar, day: number, n: number): number => parse(calendarWorkingDaysBefore(cal, format(day), n));

// ---------------------------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------------------------

const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function label(date: string, lang: Lang): string {
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return lang === 'zh-CN' ? `${m}月${d}日` : `${MONTHS_EN[m - 1]} ${d}`;
}

/** Why a day is (not) a working day, e.g. "国庆节", "周六", "调休上班（国庆节调休）". */
function reasonText(info: DayInfo, lang: Lang): string {
  const wd = (lang === 'zh-CN' ? WEEKDAYS_ZH : WEEKDAYS_EN)[info.weekday] ?? '';
  const zh = lang === 'zh-CN';
  switch (info.reason) {
    case 'weekday':
    case 'weekend':
      return wd;
    case 'official_holiday':
      return info.name ?? (zh ? '法定节假日' : 'public holiday');
    case 'official_workday':
      return zh ? `${wd} 调休上班${info.name ? `（${info.name}）` : ''}` : `${wd}, make-up working day${info.name ? ` (${info.name})` : ''}`;
    case 'org_holiday':
      return zh ? `${info.name ? `${info.name}（单位休息日）` : '单位休息日'}` : `organisation day off${info.name ? ` (${info.name})` : ''}`;
    case 'org_workday':
      return zh ? `${wd} 单位安排上班${info.name ? `（${info.name}）` : ''}` : `${wd}, organisation working day${info.name ? ` (${info.name})` : ''}`;
  }
}

function nominalLine(cal: Calendar, nominal: string, actual: string, policy: 'keep' | 'previous' | 'next', lang: Lang): string {
  const info = dayInfo(cal, nominal);
  const head = `${label(nominal, lang)} ${reasonText(info, lang)}`;
  if (nominal !== actual) {
    if (lang === 'zh-CN') return `${head} → ${policy === 'next' ? '顺延至' : '提前至'} ${label(actual, lang)}`;
    return `${head} → moved to ${label(actual, lang)} (${policy === 'next' ? 'next' : 'previous'} working day)`;
  }
  if (info.working) return head;
  return lang === 'zh-CN' ? `${head}（非工作日，按规则不调整）` : `${head} (not a working day; kept as the rule says)`;
}

function windowLine(w: { from: string; to: string; atLeast: number }, lang: Lang): string {
  if (lang === 'zh-CN') return `周期 ${label(w.from, lang)}–${label(w.to, lang)}：至少 ${w.atLeast} 次`;
  return `Period ${label(w.from, lang)} – ${label(w.to, lang)}: at least ${w.atLeast}`;
}

function deadlineLine(date: string, time: string, n: number, lang: Lang): string {
  if (lang === 'zh-CN') return `截止 ${label(date, lang)} ${time}（${n === 0 ? '当日或之前最近的工作日' : `提前${n}个工作日`}）`;
  return `Due ${label(date, lang)} ${time} (${n === 0 ? 'same or previous working day' : `${n} working day${n === 1 ? '' : 's'} before`})`;
}

function missingYears(cal: Calendar, dates: string[]): CalendarFlag[] {
  const years = [...new Set(dates.map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
  return years.filter((y) => !cal.officialYears.includes(y)).map((year) => ({ code: 'NO_OFFICIAL_DATA' as const, year }));
}

/**
 * NO_OFFICIAL_DATA flags for every year of [from, to] the calendar has no official data for; for a
 * rule counted in school terms, NO_TERMS for every year of the range no term touches.
 */
export function rangeFlags(cal: Calendar, from: string, to: string, rule?: RecurrenceRule): CalendarFlag[] {
  const flags: CalendarFlag[] = [];
  const byTerm = rule && countsInTerms(rule);
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
    if (!cal.officialYears.includes(y)) flags.push({ code: 'NO_OFFICIAL_DATA', year: y });
    const [lo, hi] = [`${y}-01-01` < from ? from : `${y}-01-01`, `${y}-12-31` > to ? to : `${y}-12-31`];
    if (byTerm && !cal.terms.some((t) => t.startsOn <= hi && t.endsOn >= lo)) flags.push({ code: 'NO_TERMS', year: y });
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------
// Occurrences
// ---------------------------------------------------------------------------------------------

/**
 * The occurrences of `rule` whose actual (moved) local date lies in [fromDate, toDate], ascending,
 * with explanation lines in `lang` and NO_OFFICIAL_DATA flags for the years each one touches.
 * Throws {@link RecurrenceError} for a rule that cannot be used.
 */
export function occurrences(rule: RecurrenceRule, cal: Calendar, fromDate: string, toDate: string, lang: Lang = 'zh-CN'): Occurrence[] {
  const problems = ruleProblems(rule, cal.terms);
  if (!isValidDate(fromDate)) problems.push({ path: 'from', key: 'invalid' });
  if (!isValidDate(toDate)) problems.push({ path: 'to', key: 'invalid' });
  if (problems.length) throw new RecurrenceError(problems);
  const policy = rule.nonWorkingDay ?? 'keep';
  const lo = parse(fromDate);
  const hi = parse(toDate);
  if (hi < lo) return [];
  // A nominal date up to a maximal non-working run after `to` may move back into the range.
  const margin = policy === 'previous' ? MAX_NON_WORKING_RUN + 1 : 0;
  const out: Occurrence[] = [];
  let last: { day: number; occ: Occurrence; lines: number } | null = null;
  for (const n of nominalDates(rule, hi + margin, Number.POSITIVE_INFINITY, cal.terms)) {
    if (policy === 'next' && n < lo - MAX_NON_WORKING_RUN - 1) continue;
    const actual = policy === 'keep' ? n : toWorkingDay(cal, n, policy === 'next' ? 1 : -1);
    const nominalDate = format(n);
    const date = format(actual);
    if (last && last.day === actual) {
      // Two nominal dates moved onto one day: one occurrence, both reasons told.
      last.occ.explanation.splice(
        last.lines++,
        0,
        `${nominalLine(cal, nominalDate, date, policy, lang)}${lang === 'zh-CN' ? '（与同日期次合并）' : ' (merged with the same day)'}`,
      );
      continue;
    }
    if (actual < lo || actual > hi) continue;
    const occ: Occurrence = {
      date,
      time: rule.time,
      at: instantAt(date, rule.time, cal.timeZone).toISOString(),
      explanation: [nominalLine(cal, nominalDate, date, policy, lang)],
      flags: [],
    };
    if (actual !== n) occ.movedFrom = nominalDate;
    if (rule.freq === 'window') {
      occ.window = { from: format(windowFrom(rule, n, cal.terms)), to: nominalDate, atLeast: rule.atLeast };
      occ.explanation.unshift(windowLine(occ.window, lang));
    }
    const touched = [nominalDate, date];
    if (rule.deadline) {
      const d = format(workingDaysBefore(cal, actual, rule.deadline.workingDaysBefore));
      occ.deadline = { date: d, time: rule.deadline.at, at: instantAt(d, rule.deadline.at, cal.timeZone).toISOString() };
      occ.explanation.push(deadlineLine(d, rule.deadline.at, rule.deadline.workingDaysBefore, lang));
      touched.push(d);
    }
    occ.flags = missingYears(cal, touched);
    occ.explanation.push(...describeFlags(occ.flags, lang));
    out.push(occ);
    last = { day: actual, occ, lines: occ.window ? 2 : 1 };
  }
  return out;
}
