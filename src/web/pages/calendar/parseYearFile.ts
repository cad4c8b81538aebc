/**
 * Reads a year's official arrangement from a JSON or CSV file in the browser, for
 * POST /calendar/years {year, source, days:[{date, kind, name}]}.
 *
 * JSON: `{"year":2027,"source":"…","days":[{"date":"2027-01-01","kind":"holiday","name":"元旦"}]}` or just the array.
 * CSV: a header `date,kind,name`, then one row per day. `kind` may also be 休/放假/off (holiday) or 班/上班/work (workday).
 */

import { TEXT_LIMITS } from '../../lib/limits.js';

export interface YearDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export type RowProblem = 'date' | 'kind' | 'name' | 'nameTooLong';

export interface ParsedYearFile {
  year?: number;
  source?: string;
  days: YearDay[];
  problems: { row: number; problem: RowProblem }[];
}

const KIND: Record<string, 'holiday' | 'workday'> = {
  holiday: 'holiday',
  off: 'holiday',
  rest: 'holiday',
  休: 'holiday',
  放假: 'holiday',
  假: 'holiday',
  workday: 'workday',
  work: 'workday',
  working: 'workday',
  班: 'workday',
  上班: 'workday',
  调休上班: 'workday',
};

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** "2027/1/1" → "2027-01-01" (spreadsheets love slashes). */
function normalizeDate(s: string): string {
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : s.trim();
}

function checkRows(rows: { date?: unknown; kind?: unknown; name?: unknown }[], firstRow: number): Pick<ParsedYearFile, 'days' | 'problems'> {
  const days: YearDay[] = [];
  const problems: ParsedYearFile['problems'] = [];
  rows.forEach((r, i) => {
    const row = firstRow + i;
    const date = normalizeDate(String(r.date ?? ''));
    const kind =
      KIND[
        String(r.kind ?? '')
          .trim()
          .toLowerCase()
      ];
    const name = String(r.name ?? '').trim();
    if (!validDate(date)) problems.push({ row, problem: 'date' });
    else if (!kind) problems.push({ row, problem: 'kind' });
    else if (!name) problems.push({ row, problem: 'name' });
    // Too long a name is a problem of the file, not something to cut off without a word.
    else if (name.length > TEXT_LIMITS.calendarDayName) problems.push({ row, problem: 'nameTooLong' });
    else days.push({ date, kind, name });
  });
  return { days, problems };
}

/** Minimal CSV: quoted fields with "" escapes, commas, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

export class YearFileError extends Error {}

export function parseYearFile(text: string, fileName: string): ParsedYearFile {
  const clean = text.replace(/^\uFEFF/, '');
  const isJson = fileName.toLowerCase().endsWith('.json') || /^\s*[[{]/.test(clean);
  if (isJson) {
    let data: unknown;
    try {
      data = JSON.parse(clean);
    } catch (e) {
      throw new YearFileError((e as Error).message);
    }
    const obj = Array.isArray(data) ? { days: data } : (data as { year?: unknown; source?: unknown; days?: unknown });
    if (!obj || !Array.isArray(obj.days)) throw new YearFileError('days');
    const checked = checkRows(obj.days as { date?: unknown }[], 1);
    return {
      ...checked,
      year: typeof obj.year === 'number' ? obj.year : undefined,
      source: typeof obj.source === 'string' ? obj.source : undefined,
    };
  }
  const rows = parseCsv(clean);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (names: string[]) => header.findIndex((h) => names.includes(h));
  let iDate = col(['date', '日期']);
  let iKind = col(['kind', '类型', '安排']);
  let iName = col(['name', '名称', '节日', '说明']);
  let body = rows.slice(1);
  let first = 2;
  if (iDate < 0) {
    // No header: assume date,kind,name.
    [iDate, iKind, iName] = [0, 1, 2];
    body = rows;
    first = 1;
  }
  return checkRows(
    body.map((r) => ({ date: r[iDate], kind: iKind >= 0 ? r[iKind] : undefined, name: iName >= 0 ? r[iName] : undefined })),
    first,
  );
}
