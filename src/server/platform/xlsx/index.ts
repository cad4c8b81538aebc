import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded the first time a spreadsheet is read or written. Imported at start it cost the
 * server about 28 MB of memory for a feature most requests never touch (docs/benchmarks.md).
 */
export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}

/** Excel number formats for the dates we write: shown the same in Excel, WPS and LibreOffice. */
export const EXCEL_DATE = 'yyyy-mm-dd';
export const EXCEL_DATE_TIME = 'yyyy-mm-dd hh:mm';

/**
 * A local wall time (the organization's, from the calendar's `localDateTime`) as a real Excel date.
 * Excel dates have no zone; exceljs writes a Date's UTC fields, so the Date returned carries the
 * wall time in its UTC fields.
 */
export function excelDateTime(local: { date: string; time: string } | null | undefined): Date | null {
  const d = local && excelDate(local.date);
  const t = local && /^(\d{2}):(\d{2})$/.exec(local.time);
  return d && t ? new Date(d.getTime() + (Number(t[1]) * 60 + Number(t[2])) * 60_000) : null;
}

/** A calendar day "YYYY-MM-DD" as a real Excel date (no time, no zone). */
export function excelDate(day: string | null | undefined): Date | null {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}
