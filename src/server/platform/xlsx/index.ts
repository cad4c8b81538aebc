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

const wallClock = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as Excel should show it: the wall-clock date and time in `timeZone` (the
 * organization's), as a real Excel date. Excel dates have no zone; exceljs writes a Date's UTC
 * fields, so the Date returned carries the local wall time in its UTC fields. Seconds are dropped.
 */
export function excelDateTime(iso: string | null | undefined, timeZone: string): Date | null {
  if (!iso) return null;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return null;
  let fmt = wallClock.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wallClock.set(timeZone, fmt);
  }
  const p = Object.fromEntries(fmt.formatToParts(instant).map((x) => [x.type, x.value]));
  return new Date(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)));
}

/** A calendar day "YYYY-MM-DD" as a real Excel date (no time, no zone). */
export function excelDate(day: string | null | undefined): Date | null {
  const m = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}
