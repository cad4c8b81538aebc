import { describe, expect, it } from 'vitest';
import { COLUMNS, type SheetKind } from './import.columns.js';
import { type ParsedFile, type RawSheet, sheetFromRecords } from './import.parse.js';
import { type ExistingPerson, type ImportProblem, type Lookups, resolveNamed, toFieldProblems, validateImport } from './import.validate.js';

type Rec = Record<string, string | number | null>;

const LOOKUPS: Lookups = {
  unitTypes: [
    { code: 'company', nameZh: '公司', nameEn: 'Company' },
    { code: 'department', nameZh: '部门', nameEn: 'Department' },
    { code: 'team', nameZh: '队/班组', nameEn: 'Team' },
    { code: 'shift', nameZh: '值', nameEn: 'Shift' },
  ],
  roles: [
    { code: 'staff', nameZh: '普通职工', nameEn: 'Staff' },
    { code: 'team_leader', nameZh: '班组长', nameEn: 'Team leader' },
    { code: 'unit_head', nameZh: '单位负责人', nameEn: 'Unit head' },
  ],
  units: [
    { id: 1, code: 'ROOT', name: '集团', typeCode: 'company', parentId: null, sortOrder: 0, path: '/1/', depth: 0 },
    { id: 2, code: 'FD', name: '发电部', typeCode: 'department', parentId: 1, sortOrder: 10, path: '/1/2/', depth: 1 },
    { id: 3, code: 'QJ', name: '汽机运行', typeCode: 'team', parentId: 2, sortOrder: 0, path: '/1/2/3/', depth: 2 },
  ],
  people: new Map<string, ExistingPerson>([
    [
      'E001',
      {
        id: 7,
        employeeNo: 'E001',
        name: '王强',
        gender: 'male',
        post: '巡检',
        phone: '13800000001',
        status: 'active',
        memberships: [{ unitId: 3, roleCode: 'staff', isPrimary: true }],
      },
    ],
  ]),
};

const file = (...sheets: RawSheet[]): ParsedFile => ({ format: 'xlsx', sheets, unknown: [] });
const units = (...rows: Rec[]) => sheetFromRecords('units', rows);
const people = (...rows: Rec[]) => sheetFromRecords('people', rows);
/** A sheet whose header lacks some columns. */
const without = (kind: SheetKind, sheet: RawSheet, ...fields: string[]): RawSheet => {
  const columns = new Map([...sheet.columns].filter(([f]) => !fields.includes(f)));
  const missing = COLUMNS[kind].filter((c) => c.required && !columns.has(c.field));
  return {
    ...sheet,
    kind,
    columns,
    missing,
    rows: sheet.rows.map((r) => ({ ...r, values: Object.fromEntries(Object.entries(r.values).filter(([f]) => !fields.includes(f))) })),
  };
};

const unit = (o: Rec = {}): Rec => ({ code: 'NEW', name: '新单位', type: 'team', parentCode: 'FD', sortOrder: '', ...o });
const person = (o: Rec = {}): Rec => ({
  employeeNo: 'E100',
  name: '李娜',
  gender: '女',
  post: '主值',
  phone: '13800000100',
  unitCode: 'QJ',
  role: '普通职工',
  status: '在职',
  ...o,
});

const problemsOf = (f: ParsedFile, lookups = LOOKUPS): ImportProblem[] => {
  const r = validateImport(f, lookups);
  return r.ok ? [] : r.problems;
};
const brief = (ps: ImportProblem[]) => ps.map((p) => `${p.sheet}:${p.row}:${p.column} ${p.key}`);

describe('import validation: every row is checked and every problem is named by sheet, row and column', () => {
  const cases: { name: string; file: ParsedFile; expected: string[]; params?: Record<string, string | number> }[] = [
    { name: 'a unit row without a name', file: file(units(unit({ name: '' }))), expected: ['单位:2:单位名称 required'] },
    {
      name: 'a unit of an unknown type',
      file: file(units(unit({ type: '车间' }))),
      expected: ['单位:2:单位类型 unknown_choice'],
      params: { value: '车间', values: '公司（company） / 部门（department） / 队/班组（team） / 值（shift）' },
    },
    { name: 'a new unit without a parent', file: file(units(unit({ parentCode: '' }))), expected: ['单位:2:上级单位编码 required'] },
    { name: 'a parent that exists nowhere', file: file(units(unit({ parentCode: 'NOPE' }))), expected: ['单位:2:上级单位编码 unknown_reference'] },
    { name: 'a unit that is its own parent', file: file(units(unit({ code: 'X', parentCode: 'X' }))), expected: ['单位:2:上级单位编码 cycle'] },
    {
      name: 'two new units that are each other’s parent',
      file: file(units(unit({ code: 'A', parentCode: 'B' }), unit({ code: 'B', parentCode: 'A' }))),
      expected: ['单位:2:上级单位编码 cycle', '单位:3:上级单位编码 cycle'],
    },
    {
      name: 'moving an existing unit under its own descendant',
      file: file(units(unit({ code: 'FD', name: '发电部', type: 'department', parentCode: 'QJ' }))),
      expected: ['单位:2:上级单位编码 cycle'],
    },
    {
      name: 'giving the root unit a parent',
      file: file(units(unit({ code: 'ROOT', name: '集团', type: 'company', parentCode: 'FD' }))),
      expected: ['单位:2:上级单位编码 ROOT_UNIT'],
    },
    { name: 'a duplicate unit code in the file', file: file(units(unit(), unit())), expected: ['单位:3:单位编码 duplicate_in_file'], params: { row: 2 } },
    { name: 'a sort order that is not a whole number', file: file(units(unit({ sortOrder: '1.5' }))), expected: ['单位:2:排序 invalid_type'] },
    {
      name: 'a duplicate 工号 in the file',
      file: file(people(person(), person({ name: '张伟' }))),
      expected: ['人员:3:工号 duplicate_in_file'],
      params: { row: 2 },
    },
    { name: 'a person without 工号', file: file(people(person({ employeeNo: '' }))), expected: ['人员:2:工号 required'] },
    {
      name: 'an unknown unit',
      file: file(people(person({ unitCode: 'NOPE' }))),
      expected: ['人员:2:所属单位编码 unknown_reference'],
      params: { value: 'NOPE' },
    },
    { name: 'an unknown role', file: file(people(person({ role: '厂长' }))), expected: ['人员:2:角色 unknown_choice'] },
    { name: 'a bad phone number', file: file(people(person({ phone: '138-abc' }))), expected: ['人员:2:手机 invalid_phone'] },
    { name: 'a bad gender', file: file(people(person({ gender: '未知' }))), expected: ['人员:2:性别 invalid_value'] },
    { name: 'a bad status', file: file(people(person({ status: '退休' }))), expected: ['人员:2:状态 invalid_value'] },
    { name: 'a too long name', file: file(people(person({ name: '名'.repeat(51) }))), expected: ['人员:2:姓名 too_big_string'] },
    { name: 'a units sheet without 单位类型', file: file(without('units', units(unit()), 'type')), expected: ['单位:1:单位类型 missing_column'] },
    { name: 'a people sheet without 工号', file: file(without('people', people(person()), 'employeeNo')), expected: ['人员:1:工号 missing_column'] },
    { name: 'sheets with headers but no rows', file: file(units(), people()), expected: ['单位:2:单位编码 no_rows', '人员:2:工号 no_rows'] },
    {
      name: 'a sheet of unknown kind',
      file: { format: 'xlsx', sheets: [], unknown: [{ name: 'Sheet1', headerRow: 1 }] },
      expected: ['Sheet1:1: unknown_sheet'],
    },
    {
      name: 'a CSV whose header names no known column (often the wrong encoding)',
      file: { format: 'csv', sheets: [], unknown: [{ name: 'CSV', headerRow: 1 }] },
      expected: ['CSV:1: unknown_csv_header'],
    },
    {
      name: 'several problems in one row, all of them',
      file: file(people(person({ gender: 'x', phone: 'y', unitCode: 'NOPE' }))),
      expected: ['人员:2:性别 invalid_value', '人员:2:手机 invalid_phone', '人员:2:所属单位编码 unknown_reference'],
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      const ps = problemsOf(c.file);
      expect(brief(ps)).toEqual(c.expected);
      if (c.params) expect(ps[0]?.params).toMatchObject(c.params);
    });
  }

  it('accepts a person whose unit is created by the same file, even when the unit row comes later', () => {
    const r = validateImport(
      file(units(unit({ code: 'B', parentCode: 'A' }), unit({ code: 'A', parentCode: 'FD' })), people(person({ unitCode: 'B' }))),
      LOOKUPS,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Parents first, whatever the order in the file.
    expect(r.plan.units.map((u) => u.code)).toEqual(['A', 'B']);
    expect(r.plan.counts).toEqual({ units: { created: 2, updated: 0, unchanged: 0 }, people: { created: 1, updated: 0, unchanged: 0 } });
  });

  it('treats a 工号 already in the database as an update, and an identical row as unchanged', () => {
    const same = person({ employeeNo: 'E001', name: '王强', gender: '男', post: '巡检', phone: '13800000001', unitCode: 'QJ', role: 'staff' });
    const r1 = validateImport(file(people(same)), LOOKUPS);
    expect(r1.ok && r1.plan.counts.people).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const r2 = validateImport(file(people({ ...same, post: '主值', status: '离职' })), LOOKUPS);
    expect(r2.ok && r2.plan.people[0]).toMatchObject({ kind: 'update', changed: ['post', 'status'], addMembership: false });
    const r3 = validateImport(file(people({ ...same, unitCode: 'FD', role: '班组长' })), LOOKUPS);
    expect(r3.ok && r3.plan.people[0]).toMatchObject({ kind: 'update', changed: [], addMembership: true, roleCode: 'team_leader' });
  });

  it('leaves fields alone whose column is absent, and fills defaults for new people', () => {
    const sheet = without(
      'people',
      people(person({ employeeNo: 'E001', name: '王强', unitCode: 'QJ' }), person({ employeeNo: 'E200' })),
      'gender',
      'post',
      'phone',
      'role',
      'status',
    );
    const r = validateImport(file(sheet), LOOKUPS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.people[0]).toMatchObject({ kind: 'unchanged', fields: { gender: 'male', post: '巡检', phone: '13800000001', status: 'active' } });
    expect(r.plan.people[1]).toMatchObject({ kind: 'create', roleCode: 'staff', fields: { gender: null, post: null, phone: null, status: 'active' } });
  });

  it('updates an existing unit: rename, retype and move, keeping the parent when the cell is blank', () => {
    const r = validateImport(
      file(
        units(
          unit({ code: 'QJ', name: '汽机运行', type: 'team', parentCode: 'ROOT', sortOrder: 0 }),
          unit({ code: 'FD', name: '发电运行部', type: '部门', parentCode: '', sortOrder: 10 }),
        ),
      ),
      LOOKUPS,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const byCode = Object.fromEntries(r.plan.units.map((u) => [u.code, u]));
    expect(byCode.QJ).toMatchObject({ kind: 'update', moves: true, parentCode: 'ROOT', depth: 1 });
    expect(byCode.FD).toMatchObject({ kind: 'update', moves: false, parentCode: 'ROOT', name: '发电运行部' });
  });

  it('allows a move that untangles two units in one file (child becomes parent)', () => {
    const r = validateImport(
      file(
        units(
          unit({ code: 'FD', name: '发电部', type: 'department', parentCode: 'QJ' }),
          unit({ code: 'QJ', name: '汽机运行', type: 'team', parentCode: 'ROOT' }),
        ),
      ),
      LOOKUPS,
    );
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.plan.units.map((u) => [u.code, u.depth])).toEqual([
        ['QJ', 1],
        ['FD', 2],
      ]);
  });

  it('accepts genders, statuses, types and roles by code or Chinese or English name', () => {
    const r = validateImport(
      file(
        units(unit({ type: '队/班组' }), unit({ code: 'N2', type: 'Department' })),
        people(person({ gender: 'female', status: 'left', role: 'unit_head' }), person({ employeeNo: 'E101', gender: '', status: '', role: '' })),
      ),
      LOOKUPS,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.units.map((u) => u.typeCode)).toEqual(['team', 'department']);
    expect(r.plan.people.map((p) => [p.fields.gender, p.fields.status, p.roleCode])).toEqual([
      ['female', 'left', 'unit_head'],
      [null, 'active', 'staff'],
    ]);
  });

  it('does not repeat errors on people rows when their unit row is the broken one', () => {
    expect(brief(problemsOf(file(units(unit({ name: '' })), people(person({ unitCode: 'NEW' })))))).toEqual(['单位:2:单位名称 required']);
  });

  it('caps the error details at 200 with a final "N more" entry', () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ sheet: '人员', row: i + 2, column: '工号', key: 'required', params: {} }));
    const details = toFieldProblems(many);
    expect(details).toHaveLength(201);
    expect(details[200]).toEqual({ path: '…', key: 'more_errors', params: { count: 50 } });
    expect(details[0]?.path).toBe('人员:2:工号');
  });

  it('resolves names only when they are unambiguous', () => {
    const list = [
      { code: 'a', nameZh: '班', nameEn: 'Team' },
      { code: 'b', nameZh: '班', nameEn: 'Crew' },
    ];
    expect(resolveNamed(list, '班')).toBeUndefined();
    expect(resolveNamed(list, 'crew')).toBe('b');
    expect(resolveNamed(list, 'A')).toBe('a');
  });
});
