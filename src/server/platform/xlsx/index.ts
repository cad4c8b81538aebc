import type ExcelJS from 'exceljs';

/**
 * exceljs, loaded the first time a spreadsheet is read or written. Imported at start it cost the
 * server about 28 MB of memory for a feature most requests never touch (docs/benchmarks.md).
 */
export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
