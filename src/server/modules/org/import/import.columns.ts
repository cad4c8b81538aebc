/**
 * The two sheets of the organization spreadsheet (template, import and export share them).
 * Headers are matched after normalising (spaces, a trailing "*", notes in brackets removed), and
 * the English names are accepted as well so a file exported by another system can be mapped easily.
 */

export type SheetKind = 'units' | 'people';

export interface ColumnDef<F extends string = string> {
  field: F;
  zh: string;
  en: string;
  /** A file without this column is refused; optional columns that are absent leave existing values alone. */
  required: boolean;
  width: number;
}

export type UnitField = 'code' | 'name' | 'type' | 'parentCode' | 'sortOrder';
export type PersonField = 'employeeNo' | 'name' | 'gender' | 'post' | 'phone' | 'unitCode' | 'role' | 'status';

export const UNIT_COLUMNS: readonly ColumnDef<UnitField>[] = [
  { field: 'code', zh: '单位编码', en: 'code', required: true, width: 16 },
  { field: 'name', zh: '单位名称', en: 'name', required: true, width: 24 },
  { field: 'type', zh: '单位类型', en: 'type', required: true, width: 12 },
  { field: 'parentCode', zh: '上级单位编码', en: 'parent_code', required: true, width: 16 },
  { field: 'sortOrder', zh: '排序', en: 'sort_order', required: false, width: 8 },
];

export const PEOPLE_COLUMNS: readonly ColumnDef<PersonField>[] = [
  { field: 'employeeNo', zh: '工号', en: 'employee_no', required: true, width: 12 },
  { field: 'name', zh: '姓名', en: 'name', required: true, width: 12 },
  { field: 'gender', zh: '性别', en: 'gender', required: false, width: 8 },
  { field: 'post', zh: '岗位', en: 'post', required: false, width: 14 },
  { field: 'phone', zh: '手机', en: 'phone', required: false, width: 16 },
  { field: 'unitCode', zh: '所属单位编码', en: 'unit_code', required: true, width: 16 },
  { field: 'role', zh: '角色', en: 'role', required: false, width: 16 },
  { field: 'status', zh: '状态', en: 'status', required: false, width: 8 },
];

export const COLUMNS = { units: UNIT_COLUMNS, people: PEOPLE_COLUMNS } as const;

export const SHEET_NAMES: Record<SheetKind, { zh: string; en: string }> = {
  units: { zh: '单位', en: 'units' },
  people: { zh: '人员', en: 'people' },
};

/** "工号*", " 性别（男/女）", "Employee No" → "工号", "性别", "employeeno". */
export function normalizeHeader(h: string): string {
  return h
    .replace(/[（(［[【].*?[）)］\]】]/g, '')
    .replace(/[\s*＊_-]/g, '')
    .toLowerCase();
}

const lookup = new Map<string, { kind: SheetKind; field: string }>();
for (const kind of ['units', 'people'] as const) {
  for (const c of COLUMNS[kind]) {
    lookup.set(`${kind}:${normalizeHeader(c.zh)}`, { kind, field: c.field });
    lookup.set(`${kind}:${normalizeHeader(c.en)}`, { kind, field: c.field });
  }
}

/** The field a header names in a sheet of the given kind, if any. */
export function fieldOf(kind: SheetKind, header: string): string | undefined {
  return lookup.get(`${kind}:${normalizeHeader(header)}`)?.field;
}

/** Sheet names that say which kind they hold (the template's, and English ones). */
export function kindOfSheetName(name: string): SheetKind | undefined {
  const n = normalizeHeader(name);
  if (['单位', 'units', 'unit', '组织', '组织机构'].includes(n)) return 'units';
  if (['人员', 'people', 'persons', 'person', '员工', '职工'].includes(n)) return 'people';
  return undefined;
}

/** A CSV holds one kind: tell which from its header row (工号 only appears on people sheets). */
export function kindOfHeader(headers: readonly string[]): SheetKind | undefined {
  const has = (kind: SheetKind, field: string) => headers.some((h) => fieldOf(kind, h) === field);
  if (has('people', 'employeeNo') || has('people', 'unitCode')) return 'people';
  if (has('units', 'code') || has('units', 'parentCode')) return 'units';
  return undefined;
}
