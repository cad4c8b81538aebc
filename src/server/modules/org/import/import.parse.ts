import type ExcelJS from 'exceljs';
import { loadExcel } from '../../../platform/xlsx/index.js';
import { COLUMNS, type ColumnDef, fieldOf, kindOfHeader, kindOfSheetName, SHEET_NAMES, type SheetKind } from './import.columns.js';

/**
 * Upload → rows of trimmed text, without touching the database. An .xlsx may hold a units sheet,
 * a people sheet or both; a .csv holds one of them (told apart by its header row) and may be
 * UTF-8 (with or without BOM), GBK/GB18030 (what Excel saves on Chinese Windows) or UTF-16 with BOM.
 */

export type BadFileReason = 'not_spreadsheet' | 'xls' | 'corrupt_xlsx' | 'empty';

export const BAD_FILE_REASONS: Record<BadFileReason | 'no_file' | 'not_multipart', { 'zh-CN': string; en: string }> = {
  not_spreadsheet: { 'zh-CN': '内容不是表格', en: 'the content is not a spreadsheet' },
  xls: { 'zh-CN': '不支持旧版 .xls，请在 Excel 中另存为 .xlsx', en: 'old .xls files are not supported; save it as .xlsx in Excel' },
  corrupt_xlsx: { 'zh-CN': '.xlsx 文件已损坏或无法解析', en: 'the .xlsx file is damaged or cannot be read' },
  empty: { 'zh-CN': '文件为空', en: 'the file is empty' },
  no_file: { 'zh-CN': '请求中没有名为 file 的文件', en: 'the request has no file in the field "file"' },
  not_multipart: { 'zh-CN': '请以 multipart/form-data 上传文件', en: 'upload the file as multipart/form-data' },
};

export class ImportFileError extends Error {
  constructor(readonly reason: BadFileReason) {
    super(`bad import file: ${reason}`);
  }
}

export interface RawRow {
  /** Row number as Excel shows it (the header is usually row 1). */
  row: number;
  /** Cell text by field; only fields whose column is present. */
  values: Record<string, string>;
}

export interface RawSheet {
  kind: SheetKind;
  /** The sheet's name as the user sees it, used in error paths. */
  name: string;
  headerRow: number;
  /** The columns found: field → header text as written in the file. */
  columns: Map<string, string>;
  missing: ColumnDef[];
  rows: RawRow[];
}

/** A sheet whose kind could not be told: reported, never guessed. */
export interface UnknownSheet {
  name: string;
  headerRow: number;
}

export interface ParsedFile {
  format: 'xlsx' | 'csv';
  sheets: RawSheet[];
  unknown: UnknownSheet[];
}

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

export async function parseUpload(buf: Buffer, fileName: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<ParsedFile> {
  if (buf.length === 0) throw new ImportFileError('empty');
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return parseXlsx(buf);
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0])) throw new ImportFileError('xls');
  if (/\.xls[xm]?$/i.test(fileName)) throw new ImportFileError('not_spreadsheet');
  return parseCsv(buf, lang);
}

// ---------- xlsx ----------

type CellValue = ExcelJS.CellValue;

/** The text a cell shows, for every kind of value exceljs gives. */
export function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.replace(/\u3000/g, ' ').trim();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return cellText(v.richText.map((r) => r.text).join(''));
    if ('result' in v) return cellText(v.result as CellValue);
    if ('formula' in v || 'sharedFormula' in v) return '';
    if ('text' in v) return cellText((v as { text: CellValue }).text);
    if ('error' in v) return '';
  }
  return String(v).trim();
}

async function parseXlsx(buf: Buffer): Promise<ParsedFile> {
  const wb = new (await loadExcel()).Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch {
    throw new ImportFileError('corrupt_xlsx');
  }
  if (wb.worksheets.length === 0) throw new ImportFileError('corrupt_xlsx');
  const grids = wb.worksheets.map((ws) => {
    const rows: { row: number; cells: string[] }[] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      const count = row.cellCount;
      for (let i = 1; i <= count; i++) cells.push(cellText(row.getCell(i).value));
      if (cells.some((c) => c !== '')) rows.push({ row: row.number, cells });
    });
    return { name: ws.name, rows, named: kindOfSheetName(ws.name) };
  });
  // Named sheets decide; a workbook without them (Sheet1…) is read by its headers, like a CSV.
  const anyNamed = grids.some((g) => g.named);
  const sheets: RawSheet[] = [];
  const unknown: UnknownSheet[] = [];
  for (const g of grids) {
    if (anyNamed && !g.named) continue; // instructions, reference lists…
    const header = g.rows[0];
    if (!header) {
      if (g.named) sheets.push(toSheet(g.named, g.name, { row: 1, cells: [] }, []));
      continue;
    }
    const kind = g.named ?? kindOfHeader(header.cells);
    if (!kind) {
      if (!anyNamed && g.rows.length > 0) unknown.push({ name: g.name, headerRow: header.row });
      continue;
    }
    sheets.push(toSheet(kind, g.name, header, g.rows.slice(1)));
  }
  return { format: 'xlsx', sheets, unknown };
}

function toSheet(kind: SheetKind, name: string, header: { row: number; cells: string[] }, rows: { row: number; cells: string[] }[]): RawSheet {
  const columns = new Map<string, string>();
  const indexOf = new Map<string, number>();
  header.cells.forEach((h, i) => {
    const field = h ? fieldOf(kind, h) : undefined;
    if (field && !columns.has(field)) {
      columns.set(field, h);
      indexOf.set(field, i);
    }
  });
  const missing = COLUMNS[kind].filter((c) => c.required && !columns.has(c.field));
  return {
    kind,
    name,
    headerRow: header.row,
    columns,
    missing,
    rows: rows.map((r) => {
      const values: Record<string, string> = {};
      for (const [field, i] of indexOf) values[field] = r.cells[i] ?? '';
      return { row: r.row, values };
    }),
  };
}

// ---------- csv ----------

function decodeText(buf: Buffer): string {
  if (startsWith(buf, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (startsWith(buf, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const body = startsWith(buf, [0xef, 0xbb, 0xbf]) ? buf.subarray(3) : buf;
  // Binary content (images, archives…) is not a CSV whatever its name says.
  const head = body.subarray(0, 8192);
  if (head.includes(0)) throw new ImportFileError('not_spreadsheet');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('gb18030').decode(body);
  }
}

/** RFC 4180: quoted fields may hold the delimiter, quotes ("") and line breaks. */
export function parseCsvText(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b) return true;
  }
  return false;
}

function parseCsv(buf: Buffer, lang: 'zh-CN' | 'en'): ParsedFile {
  const text = decodeText(buf);
  // Control characters other than tab and line breaks mean this is not text.
  if (hasControlCharacters(text.slice(0, 8192))) throw new ImportFileError('not_spreadsheet');
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]?.[0] ?? ',';
  const grid = parseCsvText(text, delimiter)
    .map((cells, i) => ({ row: i + 1, cells: cells.map((c) => c.replace(/\u3000/g, ' ').trim()) }))
    .filter((r) => r.cells.some((c) => c !== ''));
  const header = grid[0];
  if (!header) throw new ImportFileError('empty');
  const kind = kindOfHeader(header.cells);
  if (!kind) return { format: 'csv', sheets: [], unknown: [{ name: 'CSV', headerRow: header.row }] };
  const name = lang === 'en' ? SHEET_NAMES[kind].en : SHEET_NAMES[kind].zh;
  return { format: 'csv', sheets: [toSheet(kind, name, header, grid.slice(1))], unknown: [] };
}

/** A sheet built from records in memory (the demo loader, tests): every column present. */
export function sheetFromRecords(
  kind: SheetKind,
  records: readonly Record<string, string | number | null | undefined>[],
  name = SHEET_NAMES[kind].zh,
): RawSheet {
  const columns = new Map(COLUMNS[kind].map((c) => [c.field as string, c.zh]));
  return {
    kind,
    name,
    headerRow: 1,
    columns,
    missing: [],
    rows: records.map((r, i) => ({
      row: i + 2,
      values: Object.fromEntries(COLUMNS[kind].map((c) => [c.field, r[c.field] == null ? '' : String(r[c.field]).trim()])),
    })),
  };
}
