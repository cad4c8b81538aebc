/**
 * Official Chinese holiday arrangement (国务院办公厅 节假日安排), read from the `chinese-days` package's
 * JSON data. Used to seed the calendar table; the database, not this package, is the source of truth
 * at run time (STACK finding 8). Named ESM imports of chinese-days fail at run time (STACK pitfall 11),
 * so the JSON is loaded through `createRequire`.
 *
 * JSON shape (chinese-days 1.5.7, dist/chinese-days.json):
 *   { holidays:   { "2026-10-01": "National Day,国庆节,3", ... },   // days off
 *     workdays:   { "2026-10-10": "National Day,国庆节,3", ... },   // 调休 make-up working days
 *     inLieuDays: { "2026-10-06": "National Day,国庆节,3", ... } }  // 调休 days off (subset of holidays)
 * Each value is "English name,中文名,statutory days". Years 2004–2026; no 2027.
 */
import { createRequire } from 'node:module';
import type { CalendarDayRow } from './calendar.core.js';

export const OFFICIAL_SOURCE = 'chinese-days@1.5.7';
/** Years whose official arrangement is seeded by default. */
export const OFFICIAL_YEARS = [2025, 2026];

interface ChineseDaysJson {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}

/** The package's short names, completed to the usual full names. */
const FULL_NAMES: Readonly<Record<string, string>> = {
  清明: '清明节',
  端午: '端午节',
  中秋: '中秋节',
};

let data: ChineseDaysJson | undefined;

function load(): ChineseDaysJson {
  if (!data) {
    const json = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as Partial<ChineseDaysJson>;
    if (!json || typeof json.holidays !== 'object' || typeof json.workdays !== 'object') {
      throw new Error('chinese-days/dist/chinese-days.json: unexpected structure (expected holidays/workdays maps)');
    }
    data = { holidays: json.holidays, workdays: json.workdays, inLieuDays: json.inLieuDays ?? {} };
  }
  return data;
}

/** "National Day,国庆节,3" → "国庆节" (falls back to the English name, then to the raw value). */
function chineseName(value: string): string {
  const [en, zh] = value.split(',');
  const name = zh?.trim() || en?.trim() || value;
  return FULL_NAMES[name] ?? name;
}

/** Years for which the installed chinese-days has an official arrangement, ascending. */
export function availableOfficialYears(): number[] {
  const years = new Set<number>();
  for (const date of Object.keys(load().holidays)) years.add(Number(date.slice(0, 4)));
  return [...years].sort((a, b) => a - b);
}

/**
 * Official calendar rows for `years`, sorted by date: holidays (kind 'holiday', e.g. 国庆节, 春节) and
 * make-up working days (kind 'workday', e.g. 国庆节调休). Throws RangeError for a year the package has
 * no data for, so a missing year can never be seeded as if it were "weekends only" by accident.
 */
export function officialCalendarRows(years: readonly number[]): CalendarDayRow[] {
  const json = load();
  const available = new Set(availableOfficialYears());
  const wanted = new Set<string>();
  for (const y of years) {
    if (!available.has(y)) {
      throw new RangeError(`${OFFICIAL_SOURCE} has no official holiday arrangement for ${y}`);
    }
    wanted.add(String(y));
  }
  const rows: CalendarDayRow[] = [];
  for (const [date, value] of Object.entries(json.holidays)) {
    if (wanted.has(date.slice(0, 4))) rows.push({ date, source: 'official', kind: 'holiday', name: chineseName(value) });
  }
  for (const [date, value] of Object.entries(json.workdays)) {
    if (wanted.has(date.slice(0, 4))) {
      rows.push({ date, source: 'official', kind: 'workday', name: `${chineseName(value)}调休` });
    }
  }
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
