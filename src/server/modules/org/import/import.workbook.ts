import { PassThrough, type Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcel } from '../../../platform/xlsx/index.js';
import { COLUMNS, SHEET_NAMES, type SheetKind } from './import.columns.js';

/**
 * Writes the organization workbook (template and export) with exceljs' streaming writer: rows go
 * out as they are written, so a large export never holds the whole file in memory.
 */

export interface SheetData {
  kind: SheetKind;
  /** Cell texts in the order of COLUMNS[kind]; numbers stay numbers. */
  rows: readonly (readonly (string | number | null)[])[];
}

export interface WorkbookHints {
  /** Names offered in the 单位类型 and 角色 drop-downs (codes are accepted too). */
  unitTypes: readonly string[];
  roles: readonly string[];
  /** Lines for a 说明 (instructions) sheet; omitted when empty. */
  notes?: readonly string[];
  /** Reference lists shown on the 说明 sheet: [title, [code, name][]]. */
  references?: readonly [string, readonly (readonly [string, string])[]][];
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export { XLSX_MIME };

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 5987 / RFC 6266). */
export function attachment(fileName: string, fallback: string): string {
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const col = (i: number) => String.fromCharCode(65 + i); // A… (fewer than 26 columns)

/** An inline list for a drop-down, if it fits Excel's 255-character limit. */
function listFormula(values: readonly string[]): string | undefined {
  const clean = values.filter((v) => v && !/[",]/.test(v));
  const f = `"${clean.join(',')}"`;
  return clean.length > 0 && f.length <= 255 ? f : undefined;
}

export function writeWorkbook(sheets: readonly SheetData[], hints: WorkbookHints): Readable {
  const out = new PassThrough();
  const build = async () => {
    const excel = await loadExcel();
    const wb = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'Liaison';
    for (const sheet of sheets) {
      const columns = COLUMNS[sheet.kind];
      const ws = wb.addWorksheet(SHEET_NAMES[sheet.kind].zh, { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = columns.map((c) => ({ key: c.field, width: c.width }));
      const header = ws.addRow(columns.map((c) => c.zh));
      header.font = { bold: true };
      header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
      header.commit();
      for (const values of sheet.rows) ws.addRow([...values]).commit();

      // Drop-down hints; codes stay allowed, so a value outside the list only warns.
      const last = Math.max(sheet.rows.length + 1, 1000);
      const hint = (field: string, values: readonly string[], title: string) => {
        const i = columns.findIndex((c) => c.field === field);
        const formula = listFormula(values);
        if (i < 0 || !formula) return;
        // Present at run time on the streaming worksheet; missing from exceljs' type declarations.
        (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${col(i)}2:${col(i)}${last}`, {
          type: 'list',
          allowBlank: true,
          formulae: [formula],
          showErrorMessage: true,
          errorStyle: 'warning',
          errorTitle: title,
          error: `${title}：请从列表中选择，或填写编码`,
        });
      };
      if (sheet.kind === 'units') hint('type', hints.unitTypes, '单位类型');
      if (sheet.kind === 'people') {
        hint('gender', ['男', '女'], '性别');
        hint('status', ['在职', '离职'], '状态');
        hint('role', hints.roles, '角色');
      }
      await ws.commit();
    }
    if (hints.notes?.length || hints.references?.length) {
      const ws = wb.addWorksheet('说明');
      ws.columns = [{ width: 24 }, { width: 60 }];
      for (const line of hints.notes ?? []) ws.addRow([line]).commit();
      for (const [title, entries] of hints.references ?? []) {
        ws.addRow([]).commit();
        const h = ws.addRow([title, '']);
        h.font = { bold: true };
        h.commit();
        for (const [code, name] of entries) ws.addRow([code, name]).commit();
      }
      await ws.commit();
    }
    await wb.commit();
  };
  build().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

/** Collects a stream into one buffer (tests, and callers that need the bytes). */
export async function toBuffer(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts);
}
