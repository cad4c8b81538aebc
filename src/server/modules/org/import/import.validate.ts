import { TEXT_LIMITS } from '../../../../contracts/limits.js';
import { Phone } from '../../../../contracts/org.js';
import type { FieldProblem } from '../../../platform/http/messages.js';
import { COLUMNS, type SheetKind } from './import.columns.js';
import type { ParsedFile, RawRow, RawSheet } from './import.parse.js';

/**
 * Pure validation and planning of an import: parsed rows + what the database already holds
 * (prefetched by the service) → every problem in the file, or a plan of what to create, update and
 * leave alone. No IO here, so every rule is tested in milliseconds (import.validate.test.ts).
 */

export interface Named {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface ExistingUnit {
  id: number;
  code: string;
  name: string;
  typeCode: string;
  parentId: number | null;
  sortOrder: number;
  path: string;
  depth: number;
}

export interface ExistingPerson {
  id: number;
  employeeNo: string;
  name: string;
  gender: 'male' | 'female' | null;
  post: string | null;
  phone: string | null;
  status: 'active' | 'left';
  memberships: readonly { unitId: number; roleCode: string; isPrimary: boolean }[];
}

export interface Lookups {
  unitTypes: readonly Named[];
  roles: readonly Named[];
  units: readonly ExistingUnit[];
  /** Existing people by employee number (at least every number that appears in the file). */
  people: ReadonlyMap<string, ExistingPerson>;
}

export interface ImportProblem {
  sheet: string;
  row: number;
  column: string;
  key: string;
  params: Record<string, string | number>;
}

export type OpKind = 'create' | 'update' | 'unchanged';

export interface UnitOp {
  kind: OpKind;
  sheet: string;
  row: number;
  code: string;
  name: string;
  typeCode: string;
  /** null only for the root unit. */
  parentCode: string | null;
  sortOrder: number;
  existing?: ExistingUnit;
  /** The unit moves to another parent (existing units only). */
  moves: boolean;
  /** Distance from the root in the tree after the import: ops run parents first. */
  depth: number;
}

export interface PersonFields {
  name: string;
  gender: 'male' | 'female' | null;
  post: string | null;
  phone: string | null;
  status: 'active' | 'left';
}

export interface PersonOp {
  kind: OpKind;
  sheet: string;
  row: number;
  employeeNo: string;
  fields: PersonFields;
  existing?: ExistingPerson;
  /** Fields that differ from the database (updates only). */
  changed: (keyof PersonFields)[];
  unitCode: string;
  roleCode: string;
  /** A membership (unit, role) to add; it becomes the person's primary one. */
  addMembership: boolean;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportPlan {
  units: UnitOp[];
  people: PersonOp[];
  counts: { units: Counts; people: Counts };
}

export type ValidationResult = { ok: true; plan: ImportPlan } | { ok: false; problems: ImportProblem[] };

const LIMITS = TEXT_LIMITS;

export const GENDERS: Record<string, 'male' | 'female' | null> = { '': null, 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female' };
export const STATUSES: Record<string, 'active' | 'left'> = {
  '': 'active',
  在职: 'active',
  在岗: 'active',
  active: 'active',
  离职: 'left',
  已离职: 'left',
  left: 'left',
};

/** Matches a code, or a Chinese or English name when it names exactly one entry. */
export function resolveNamed(list: readonly Named[], text: string): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const byCode = list.find((x) => x.code === t) ?? list.find((x) => x.code.toLowerCase() === t.toLowerCase());
  if (byCode) return byCode.code;
  const zh = list.filter((x) => x.nameZh === t);
  if (zh.length === 1) return zh[0]?.code;
  const en = list.filter((x) => x.nameEn.toLowerCase() === t.toLowerCase());
  if (en.length === 1) return en[0]?.code;
  return undefined;
}

/** What a cell may say, for an error: each entry as "name（code）", or the code alone when it has no unambiguous name. */
export function choicesOf(list: readonly Named[]): string {
  return list.map((x) => (displayName(list, x.code) === x.code ? x.code : `${x.nameZh}（${x.code}）`)).join(' / ');
}

/** The text a user reads for a code: the Chinese name when it is unambiguous, else the code. */
export function displayName(list: readonly Named[], code: string): string {
  const entry = list.find((x) => x.code === code);
  if (!entry) return code;
  return list.filter((x) => x.nameZh === entry.nameZh).length === 1 && entry.nameZh !== '' ? entry.nameZh : code;
}

/** Turns problems into the error body's details: path "<sheet>:<row>:<column>". */
export function toFieldProblems(problems: readonly ImportProblem[], cap = 200): FieldProblem[] {
  const out: FieldProblem[] = problems.slice(0, cap).map((p) => ({ path: `${p.sheet}:${p.row}:${p.column}`, key: p.key, params: p.params }));
  if (problems.length > cap) out.push({ path: '…', key: 'more_errors', params: { count: problems.length - cap } });
  return out;
}

/** Employee numbers in the file, so the service can prefetch exactly those people. */
export function employeeNumbersOf(file: ParsedFile): string[] {
  const out = new Set<string>();
  for (const s of file.sheets) if (s.kind === 'people') for (const r of s.rows) if (r.values.employeeNo) out.add(r.values.employeeNo);
  return [...out];
}

export function validateImport(file: ParsedFile, db: Lookups): ValidationResult {
  const problems: ImportProblem[] = [];
  const add = (sheet: RawSheet, row: number, field: string, key: string, params: Record<string, string | number> = {}) =>
    problems.push({ sheet: sheet.name, row, column: sheet.columns.get(field) ?? headerOf(sheet.kind, field), key, params });

  const unknownKey = file.format === 'csv' ? 'unknown_csv_header' : 'unknown_sheet';
  for (const u of file.unknown) problems.push({ sheet: u.name, row: u.headerRow, column: '', key: unknownKey, params: {} });
  for (const s of file.sheets) {
    for (const c of s.missing) problems.push({ sheet: s.name, row: s.headerRow, column: c.zh, key: 'missing_column', params: { column: c.zh } });
  }
  // Without its required columns a sheet cannot be read row by row.
  const usable = file.sheets.filter((s) => s.missing.length === 0);
  if (file.sheets.length > 0 && file.sheets.every((s) => s.rows.length === 0)) {
    for (const s of file.sheets) add(s, s.headerRow + 1, COLUMNS[s.kind][0]?.field ?? '', 'no_rows');
  }
  if (file.sheets.length === 0 && file.unknown.length === 0) problems.push({ sheet: '', row: 1, column: '', key: 'unknown_sheet', params: {} });

  const unitSheets = usable.filter((s) => s.kind === 'units');
  const peopleSheets = usable.filter((s) => s.kind === 'people');

  // ---------- units ----------
  const unitByCode = new Map(db.units.map((u) => [u.code, u]));
  const unitById = new Map(db.units.map((u) => [u.id, u]));
  interface UnitDraft {
    sheet: RawSheet;
    r: RawRow;
    code: string;
    name: string;
    typeCode: string;
    parentCode: string | null;
    sortOrder: number;
    existing?: ExistingUnit;
    ok: boolean;
  }
  const unitDrafts: UnitDraft[] = [];
  const firstUnitRow = new Map<string, number>();
  // Every code the file names, even on rows with other errors, so people rows do not cascade.
  const fileUnitCodes = new Set<string>();
  for (const s of unitSheets) for (const r of s.rows) if (r.values.code) fileUnitCodes.add(r.values.code);

  for (const s of unitSheets) {
    for (const r of s.rows) {
      const v = r.values;
      const before = problems.length;
      const code = v.code ?? '';
      if (!code) add(s, r.row, 'code', 'required');
      else if (code.length > LIMITS.unitCode) add(s, r.row, 'code', 'too_big_string', { maximum: LIMITS.unitCode });
      else if (firstUnitRow.has(code)) add(s, r.row, 'code', 'duplicate_in_file', { row: firstUnitRow.get(code) as number });
      else firstUnitRow.set(code, r.row);
      const existing = code ? unitByCode.get(code) : undefined;

      const name = v.name ?? '';
      if (!name) add(s, r.row, 'name', 'required');
      else if (name.length > LIMITS.unitName) add(s, r.row, 'name', 'too_big_string', { maximum: LIMITS.unitName });

      const typeText = v.type ?? '';
      const typeCode = resolveNamed(db.unitTypes, typeText);
      if (!typeText) add(s, r.row, 'type', 'required');
      else if (!typeCode) add(s, r.row, 'type', 'unknown_choice', { value: typeText, values: choicesOf(db.unitTypes) });

      let parentCode: string | null = v.parentCode ? v.parentCode : null;
      if (existing && existing.parentId === null) {
        if (parentCode) add(s, r.row, 'parentCode', 'ROOT_UNIT');
      } else if (!parentCode) {
        // An existing unit keeps its parent when the cell is blank; a new unit must name one.
        if (existing) parentCode = unitById.get(existing.parentId as number)?.code ?? null;
        else add(s, r.row, 'parentCode', 'required');
      } else if (parentCode === code) add(s, r.row, 'parentCode', 'cycle');
      else if (!fileUnitCodes.has(parentCode) && !unitByCode.has(parentCode)) add(s, r.row, 'parentCode', 'unknown_reference', { value: parentCode });

      let sortOrder = existing?.sortOrder ?? 0;
      const sortText = v.sortOrder ?? '';
      if (sortText) {
        if (/^-?\d{1,9}$/.test(sortText)) sortOrder = Number(sortText);
        else add(s, r.row, 'sortOrder', 'invalid_type', { expected: 'int' });
      }
      unitDrafts.push({ sheet: s, r, code, name, typeCode: typeCode ?? '', parentCode, sortOrder, existing, ok: problems.length === before });
    }
  }

  // The tree after the import: the database's parent links, overridden by the file's.
  const finalParent = new Map<string, string | null>();
  for (const u of db.units) finalParent.set(u.code, u.parentId === null ? null : (unitById.get(u.parentId)?.code ?? null));
  const drafted = new Map<string, UnitDraft>();
  for (const d of unitDrafts) {
    if (!d.code || drafted.has(d.code)) continue;
    drafted.set(d.code, d);
    if (d.ok) finalParent.set(d.code, d.parentCode);
  }
  const depthOf = new Map<string, number>();
  const inCycle = new Set<string>();
  const depth = (code: string): number => {
    const path: string[] = [];
    let c: string | null | undefined = code;
    while (c != null && !depthOf.has(c)) {
      if (path.includes(c)) {
        // Walked back onto our own path: everything from there on is a loop.
        for (const x of path.slice(path.indexOf(c))) inCycle.add(x);
        for (const x of path) depthOf.set(x, -1);
        return -1;
      }
      path.push(c);
      c = finalParent.get(c);
    }
    // c is null past the root, or a unit whose depth is known (-1: it hangs below a loop).
    const base = c == null ? -1 : (depthOf.get(c) as number);
    path.reverse();
    for (const [i, x] of path.entries()) depthOf.set(x, base < 0 && c != null ? -1 : base + 1 + i);
    return depthOf.get(code) as number;
  };
  for (const d of unitDrafts) if (d.ok && d.code) depth(d.code);
  for (const d of unitDrafts) if (d.ok && inCycle.has(d.code)) add(d.sheet, d.r.row, 'parentCode', 'cycle');

  // ---------- people ----------
  const rolesByCode = new Set(db.roles.map((r) => r.code));
  const firstPersonRow = new Map<string, number>();
  interface PersonDraft {
    sheet: RawSheet;
    r: RawRow;
    employeeNo: string;
    name: string;
    gender?: 'male' | 'female' | null;
    post?: string | null;
    phone?: string | null;
    status?: 'active' | 'left';
    unitCode: string;
    roleCode: string | null;
  }
  const personDrafts: PersonDraft[] = [];
  for (const s of peopleSheets) {
    for (const r of s.rows) {
      const v = r.values;
      const before = problems.length;
      const employeeNo = v.employeeNo ?? '';
      if (!employeeNo) add(s, r.row, 'employeeNo', 'required');
      else if (employeeNo.length > LIMITS.employeeNo) add(s, r.row, 'employeeNo', 'too_big_string', { maximum: LIMITS.employeeNo });
      else if (firstPersonRow.has(employeeNo)) add(s, r.row, 'employeeNo', 'duplicate_in_file', { row: firstPersonRow.get(employeeNo) as number });
      else firstPersonRow.set(employeeNo, r.row);

      const name = v.name ?? '';
      if (!name) add(s, r.row, 'name', 'required');
      else if (name.length > LIMITS.personName) add(s, r.row, 'name', 'too_big_string', { maximum: LIMITS.personName });

      const d: PersonDraft = { sheet: s, r, employeeNo, name, unitCode: v.unitCode ?? '', roleCode: null };
      if (s.columns.has('gender')) {
        const g = GENDERS[(v.gender ?? '').toLowerCase()];
        if (g === undefined) add(s, r.row, 'gender', 'invalid_value', { values: '男 / 女 / male / female' });
        else d.gender = g;
      }
      if (s.columns.has('post')) {
        const post = v.post ?? '';
        if (post.length > LIMITS.post) add(s, r.row, 'post', 'too_big_string', { maximum: LIMITS.post });
        d.post = post || null;
      }
      if (s.columns.has('phone')) {
        const phone = v.phone ?? '';
        if (phone && !Phone.safeParse(phone).success) add(s, r.row, 'phone', 'invalid_phone', { value: phone });
        d.phone = phone || null;
      }
      if (s.columns.has('status')) {
        const st = STATUSES[(v.status ?? '').toLowerCase()];
        if (st === undefined) add(s, r.row, 'status', 'invalid_value', { values: '在职 / 离职 / active / left' });
        else d.status = st;
      }
      if (!d.unitCode) add(s, r.row, 'unitCode', 'required');
      else if (!fileUnitCodes.has(d.unitCode) && !unitByCode.has(d.unitCode)) add(s, r.row, 'unitCode', 'unknown_reference', { value: d.unitCode });
      if (s.columns.has('role')) {
        const text = v.role ?? '';
        const role = text ? resolveNamed(db.roles, text) : 'staff';
        if (!role || !rolesByCode.has(role)) add(s, r.row, 'role', 'unknown_choice', { value: text, values: choicesOf(db.roles) });
        else d.roleCode = role;
      }
      if (problems.length === before) personDrafts.push(d);
    }
  }

  if (problems.length > 0) return { ok: false, problems: sortProblems(problems, file) };

  // ---------- plan ----------
  const counts = { units: { created: 0, updated: 0, unchanged: 0 }, people: { created: 0, updated: 0, unchanged: 0 } };
  const units: UnitOp[] = unitDrafts.map((d) => {
    const e = d.existing;
    const currentParent = e && e.parentId !== null ? (unitById.get(e.parentId)?.code ?? null) : null;
    const moves = !!e && e.parentId !== null && d.parentCode !== currentParent;
    const same = !!e && !moves && e.name === d.name && e.typeCode === d.typeCode && e.sortOrder === d.sortOrder;
    const kind: OpKind = !e ? 'create' : same ? 'unchanged' : 'update';
    counts.units[kind === 'create' ? 'created' : kind === 'update' ? 'updated' : 'unchanged']++;
    return {
      kind,
      sheet: d.sheet.name,
      row: d.r.row,
      code: d.code,
      name: d.name,
      typeCode: d.typeCode,
      parentCode: d.parentCode,
      sortOrder: d.sortOrder,
      ...(e && { existing: e }),
      moves,
      depth: depthOf.get(d.code) ?? 0,
    };
  });
  // Parents before children, in the tree as it will be (moves included); file order within a level.
  units.sort((a, b) => a.depth - b.depth);

  const people: PersonOp[] = personDrafts.map((d) => {
    const e = db.people.get(d.employeeNo);
    const fields: PersonFields = {
      name: d.name,
      gender: d.gender !== undefined ? d.gender : (e?.gender ?? null),
      post: d.post !== undefined ? d.post : (e?.post ?? null),
      phone: d.phone !== undefined ? d.phone : (e?.phone ?? null),
      status: d.status ?? e?.status ?? 'active',
    };
    const unit = unitByCode.get(d.unitCode);
    let addMembership = true;
    let roleCode = d.roleCode ?? 'staff';
    if (e && unit) {
      const inUnit = e.memberships.filter((m) => m.unitId === unit.id);
      // Without a role column, any role in that unit will do.
      const match = d.roleCode === null ? inUnit[0] : inUnit.find((m) => m.roleCode === d.roleCode);
      if (match) {
        addMembership = false;
        roleCode = match.roleCode;
      }
    }
    const changed = e ? (Object.keys(fields) as (keyof PersonFields)[]).filter((k) => fields[k] !== e[k]) : [];
    const kind: OpKind = !e ? 'create' : changed.length === 0 && !addMembership ? 'unchanged' : 'update';
    counts.people[kind === 'create' ? 'created' : kind === 'update' ? 'updated' : 'unchanged']++;
    return {
      kind,
      sheet: d.sheet.name,
      row: d.r.row,
      employeeNo: d.employeeNo,
      fields,
      ...(e && { existing: e }),
      changed,
      unitCode: d.unitCode,
      roleCode,
      addMembership,
    };
  });

  return { ok: true, plan: { units, people, counts } };
}

function headerOf(kind: SheetKind, field: string): string {
  return COLUMNS[kind].find((c) => c.field === field)?.zh ?? field;
}

/** Sheet order of the file, then row, then column order of the template. */
function sortProblems(problems: ImportProblem[], file: ParsedFile): ImportProblem[] {
  const sheetOrder = new Map(file.sheets.map((s, i) => [s.name, i]));
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (sheetOrder.get(a.p.sheet) ?? -1) - (sheetOrder.get(b.p.sheet) ?? -1) || a.p.row - b.p.row || a.i - b.i)
    .map((x) => x.p);
}
