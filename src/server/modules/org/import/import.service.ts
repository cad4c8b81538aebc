import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { CSV_ENCODINGS } from '../../../../contracts/limits.js';
import type { ImportResult, Unit } from '../../../../contracts/org.js';
import type { Clock } from '../../../platform/clock.js';
import type { RequestContext } from '../../../platform/context.js';
import { type Database, isUniqueViolation, type Queryable, type Tx } from '../../../platform/db/database.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Lang } from '../../../platform/http/messages.js';
import { type Ctx, can, coversTarget, heldGrants, mayGrant, scopeRoots } from '../../access/index.js';
import type { AuditService, Change } from '../../audit/index.js';
import type { OrgService } from '../org.service.js';
import { COLUMNS } from './import.columns.js';
import { BAD_FILE_REASONS, ImportFileError, type ParsedFile, parseUpload } from './import.parse.js';
import { importRepository, type NewPersonRow } from './import.repository.js';
import {
  displayName,
  type ExistingUnit,
  employeeNumbersOf,
  type ImportPlan,
  type Lookups,
  type PersonOp,
  toFieldProblems,
  type ValidationResult,
  validateImport,
} from './import.validate.js';
import { attachment, writeWorkbook, XLSX_MIME } from './import.workbook.js';

interface Deps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  org: OrgService;
  rootPath: () => Promise<string>;
}

/** Audit action names: an import's, or the demo loader's. */
export interface ImportActions {
  unitCreate: string;
  unitUpdate: string;
  personCreate: string;
  personUpdate: string;
  summary: string;
}

export const IMPORT_ACTIONS: ImportActions = {
  unitCreate: 'unit.import_create',
  unitUpdate: 'unit.import_update',
  personCreate: 'person.import_create',
  personUpdate: 'person.import_update',
  summary: 'org.import',
};

export type ImportOutcome = z.infer<typeof ImportResult>;

export interface Download {
  fileName: string;
  contentType: string;
  contentDisposition: string;
  stream: Readable;
}

const GENDER_TEXT = { male: '男', female: '女' } as const;
const STATUS_TEXT = { active: '在职', left: '离职' } as const;

export function badFile(lang: Lang, reason: keyof typeof BAD_FILE_REASONS): AppError {
  return new AppError('IMPORT_BAD_FILE', { reason: BAD_FILE_REASONS[reason][lang] });
}

export function createImportService({ db, clock, audit, org, rootPath }: Deps) {
  const repo = importRepository(db);
  const orgRepo = org.repo;
  const grantsOf = (ctx: Ctx) => ctx.actor?.grants ?? [];

  /** Importing is org-wide, so each role granted by the file must be one the importer holds at the root. */
  async function assertGrantable(ctx: Ctx, q: Queryable, p: ImportPlan) {
    const root = await rootPath();
    const granted = new Map<string, PersonOp>();
    for (const op of p.people) if (op.addMembership && !granted.has(op.roleCode)) granted.set(op.roleCode, op);
    for (const [code, op] of granted) {
      const permissions = (await orgRepo.rolePermissions(q, code)) ?? [];
      if (!mayGrant(grantsOf(ctx), permissions, root))
        throw new AppError('FORBIDDEN', {}, [{ path: `${op.sheet}:${op.row}:角色`, key: 'role_not_grantable', params: { role: code } }]);
    }
    // Changing an existing person needs the whole person covered, as on the person's page (issue 8, security 1).
    for (const op of p.people) {
      if (op.kind !== 'update' || !op.existing || (!op.changed.length && !op.addMembership)) continue;
      const held = (await heldGrants(q, op.existing.id)) ?? [];
      if (!coversTarget(grantsOf(ctx), 'people.manage', held, root))
        throw new AppError('FORBIDDEN', {}, [{ path: `${op.sheet}:${op.row}:工号`, key: 'person_not_covered', params: { value: op.employeeNo } }]);
    }
  }

  async function lookups(q: Queryable, file: ParsedFile): Promise<Lookups> {
    const [unitTypes, roles, units, people] = await Promise.all([
      repo.unitTypes(q),
      repo.roles(q),
      repo.allUnits(q),
      repo.peopleByEmployeeNo(q, employeeNumbersOf(file)),
    ]);
    return { unitTypes, roles, units, people };
  }

  /** Validates against the database as seen through `q` (the import's own transaction). */
  async function plan(q: Queryable, file: ParsedFile): Promise<ValidationResult> {
    return validateImport(file, await lookups(q, file));
  }

  const invalid = (problems: Parameters<typeof toFieldProblems>[0]) => new AppError('IMPORT_INVALID', { count: problems.length }, toFieldProblems(problems));

  const unitView = (u: ExistingUnit, active = true): Unit => ({
    id: u.id,
    parentId: u.parentId,
    typeCode: u.typeCode,
    code: u.code,
    name: u.name,
    path: u.path,
    depth: u.depth,
    sortOrder: u.sortOrder,
    active,
  });

  /**
   * Carries out a validated plan inside the caller's transaction: units level by level (parents
   * first, moves before creates), then people in batches, each change with its audit event.
   */
  async function apply(tx: Tx, ctx: RequestContext, p: ImportPlan, opts: { actions: ImportActions; source: string }) {
    const now = clock.now().toISOString();
    const { actions } = opts;
    // Events are collected in order and written in batches at the end, still inside the transaction.
    const events: Change[] = [];
    let byCode = new Map((await repo.allUnits(tx)).map((u) => [u.code, u]));
    const root = [...byCode.values()].find((u) => u.parentId === null);

    // ---- units ----
    const depths = [...new Set(p.units.filter((u) => u.kind !== 'unchanged').map((u) => u.depth))].sort((a, b) => a - b);
    for (const depth of depths) {
      const level = p.units.filter((u) => u.depth === depth && u.kind !== 'unchanged');
      let moved = false;
      for (const op of level.filter((u) => u.kind === 'update')) {
        const id = op.existing?.id as number;
        const before = (await orgRepo.unitById(tx, id)) as Unit;
        if (op.moves) {
          const parent = (await orgRepo.unitByCode(tx, op.parentCode as string)) as Unit;
          await orgRepo.moveSubtree(tx, before, parent, now);
          moved = true;
        }
        await orgRepo.updateUnit(tx, id, { name: op.name, type_code: op.typeCode, sort_order: op.sortOrder }, now);
        const after = (await orgRepo.unitById(tx, id)) as Unit;
        events.push({ action: actions.unitUpdate, entityType: 'unit', entityId: id, unitId: id, before, after });
      }
      if (moved) byCode = new Map((await repo.allUnits(tx)).map((u) => [u.code, u]));

      const creates = level.filter((u) => u.kind === 'create');
      if (creates.length === 0) continue;
      const parentPaths = new Map<number, string>();
      const rows = creates.map((op) => {
        const parent = byCode.get(op.parentCode as string) as ExistingUnit;
        parentPaths.set(parent.id, parent.path);
        return { parentId: parent.id, typeCode: op.typeCode, code: op.code, name: op.name, depth: parent.depth + 1, sortOrder: op.sortOrder };
      });
      const ids = await repo.insertUnits(tx, rows, parentPaths, now);
      for (const r of rows) {
        const id = ids.get(r.code) as number;
        const created: ExistingUnit = {
          id,
          code: r.code,
          name: r.name,
          typeCode: r.typeCode,
          parentId: r.parentId,
          sortOrder: r.sortOrder,
          depth: r.depth,
          path: `${parentPaths.get(r.parentId)}${id}/`,
        };
        byCode.set(r.code, created);
        events.push({ action: actions.unitCreate, entityType: 'unit', entityId: id, unitId: id, after: unitView(created) });
      }
    }

    // ---- people ----
    const unitId = (code: string) => (byCode.get(code) as ExistingUnit).id;
    const creates = p.people.filter((x) => x.kind === 'create');
    const newRows: NewPersonRow[] = creates.map((x) => ({ employeeNo: x.employeeNo, ...x.fields }));
    const ids = await repo.insertPeople(tx, newRows, now);
    const memberships: { personId: number; unitId: number; roleCode: string; isPrimary: boolean }[] = [];
    for (const x of creates) memberships.push({ personId: ids.get(x.employeeNo) as number, unitId: unitId(x.unitCode), roleCode: x.roleCode, isPrimary: true });
    const updates = p.people.filter((x) => x.kind === 'update');
    for (const x of updates) {
      const e = x.existing as NonNullable<PersonOp['existing']>;
      if (x.changed.length) await repo.updatePerson(tx, e.id, Object.fromEntries(x.changed.map((k) => [k, x.fields[k]])), now);
      if (x.addMembership) memberships.push({ personId: e.id, unitId: unitId(x.unitCode), roleCode: x.roleCode, isPrimary: true });
    }
    await repo.insertMemberships(tx, memberships, now);

    for (const x of creates) {
      const id = ids.get(x.employeeNo) as number;
      const uid = unitId(x.unitCode);
      events.push({
        action: actions.personCreate,
        entityType: 'person',
        entityId: id,
        unitId: uid,
        after: { id, employeeNo: x.employeeNo, ...x.fields, membership: { unitId: uid, roleCode: x.roleCode } },
      });
    }
    for (const x of updates) {
      const e = x.existing as NonNullable<PersonOp['existing']>;
      const uid = unitId(x.unitCode);
      const before = { id: e.id, employeeNo: e.employeeNo, name: e.name, gender: e.gender, post: e.post, phone: e.phone, status: e.status };
      events.push({
        action: actions.personUpdate,
        entityType: 'person',
        entityId: e.id,
        unitId: uid,
        before,
        after: { ...before, ...x.fields, ...(x.addMembership && { membership: { unitId: uid, roleCode: x.roleCode } }) },
      });
    }

    events.push({
      action: actions.summary,
      entityType: 'import',
      entityId: ctx.requestId ?? now,
      unitId: root?.id ?? null,
      after: { source: opts.source, units: p.counts.units, people: p.counts.people },
    });
    await audit.recordMany(tx, ctx, events);
    for (const x of updates)
      if (x.changed.includes('status') && x.fields.status === 'left')
        await org.onLeave(tx, ctx as Ctx, (x.existing as NonNullable<PersonOp['existing']>).id, unitId(x.unitCode));
  }

  const service = {
    plan,
    apply,

    /** Validates every row, then imports all of it in one transaction, or nothing. */
    async importFile(ctx: Ctx, upload: { data: Buffer; fileName: string }, opts: { dryRun: boolean }): Promise<ImportOutcome> {
      let file: ParsedFile;
      try {
        file = await parseUpload(upload.data, upload.fileName, ctx.lang);
      } catch (err) {
        if (err instanceof ImportFileError) throw badFile(ctx.lang, err.reason);
        throw err;
      }
      // The route needs org.manage org-wide; people rows need people.manage there as well.
      if (file.sheets.some((s) => s.kind === 'people' && s.rows.length > 0) && !can(grantsOf(ctx), 'people.manage', await rootPath())) {
        throw new AppError('FORBIDDEN');
      }
      const validated = async (q: Queryable) => {
        const v = await plan(q, file);
        if (!v.ok) throw invalid(v.problems);
        await assertGrantable(ctx, q, v.plan);
        return v.plan;
      };
      let result: ImportPlan;
      try {
        if (opts.dryRun) result = await validated(db.kysely);
        else
          result = await db.kysely.transaction().execute(async (tx) => {
            const p = await validated(tx);
            await apply(tx, ctx, p, { actions: IMPORT_ACTIONS, source: upload.fileName });
            return p;
          });
      } catch (err) {
        // Someone else created the same code or number between our check and our insert.
        if (isUniqueViolation(err)) throw new AppError('CONFLICT');
        throw err;
      }
      return { ok: true, dryRun: opts.dryRun, units: result.counts.units, people: result.counts.people };
    },

    /** The blank workbook with both sheets, one example row each, and the accepted values. */
    async template(): Promise<Download> {
      const [types, roles, root] = await Promise.all([repo.unitTypes(db.kysely), repo.roles(db.kysely), orgRepo.rootUnit()]);
      const rootCode = root?.code ?? 'ROOT';
      const stream = writeWorkbook(
        [
          { kind: 'units', rows: [['FD', '发电部', displayName(types, 'department'), rootCode, 10]] },
          { kind: 'people', rows: [['E0001', '张三', '男', '巡检', '13800000000', 'FD', displayName(roles, 'staff'), '在职']] },
        ],
        {
          unitTypes: types.map((t) => displayName(types, t.code)),
          roles: roles.map((r) => displayName(roles, r.code)),
          notes: templateNotes(rootCode),
          references: [
            ['单位类型（编码 / 名称）', types.map((t) => [t.code, t.nameZh] as const)],
            ['角色（编码 / 名称）', roles.map((r) => [r.code, r.nameZh] as const)],
          ],
        },
      );
      return download('组织人员导入模板.xlsx', 'org-import-template.xlsx', stream);
    },

    /** Units and people the actor may read, in the import layout (export → import changes nothing). */
    async exportWorkbook(ctx: Ctx): Promise<Download> {
      const paths = scopeRoots(grantsOf(ctx), 'people.read');
      const [types, roles, units, memberships, skipped, organization] = await Promise.all([
        repo.unitTypes(db.kysely),
        repo.roles(db.kysely),
        orgRepo.unitsIn(paths),
        repo.exportPeople(paths),
        repo.countWithoutEmployeeNo(paths),
        orgRepo.organization(),
      ]);
      const codeOf = new Map(units.map((u) => [u.id, u.code]));
      const outsideParents = [...new Set(units.map((u) => u.parentId).filter((id): id is number => id !== null && !codeOf.has(id)))];
      for (const u of await orgRepo.unitsByIds(db.kysely, outsideParents)) codeOf.set(u.id, u.code);
      const unitRows = units.map((u) => [
        u.code,
        u.name,
        displayName(types, u.typeCode),
        u.parentId === null ? '' : (codeOf.get(u.parentId) ?? ''),
        u.sortOrder,
      ]);

      // One row per person: the primary membership when it is visible, else the first visible one.
      const order = new Map(units.map((u, i) => [u.code, i]));
      const seen = new Set<number>();
      const people = memberships.filter((m) => !seen.has(m.personId) && seen.add(m.personId));
      people.sort(
        (a, b) => (order.get(a.unitCode) ?? 0) - (order.get(b.unitCode) ?? 0) || a.employeeNo.localeCompare(b.employeeNo, 'zh-CN', { numeric: true }),
      );
      const peopleRows = people.map((m) => [
        m.employeeNo,
        m.name,
        m.gender ? GENDER_TEXT[m.gender as keyof typeof GENDER_TEXT] : '',
        m.post ?? '',
        m.phone ?? '',
        m.unitCode,
        displayName(roles, m.roleCode),
        STATUS_TEXT[m.status as keyof typeof STATUS_TEXT] ?? m.status,
      ]);
      const notes = [`导出：${organization?.name ?? ''}，${units.length} 个单位，${people.length} 名人员。修改后可直接导入（按单位编码、工号更新）。`];
      if (skipped > 0) notes.push(`另有 ${skipped} 名人员没有工号，未导出：导入以工号识别人员，请先为他们填写工号。`);
      const stream = writeWorkbook(
        [
          { kind: 'units', rows: unitRows },
          { kind: 'people', rows: peopleRows },
        ],
        {
          unitTypes: types.map((t) => displayName(types, t.code)),
          roles: roles.map((r) => displayName(roles, r.code)),
          notes,
        },
      );
      const day = new Intl.DateTimeFormat('sv-SE', { timeZone: organization?.time_zone ?? 'Asia/Shanghai' }).format(clock.now()).replaceAll('-', '');
      return download(`组织人员导出-${day}.xlsx`, `org-export-${day}.xlsx`, stream);
    },
  };
  return service;
}

function download(fileName: string, fallback: string, stream: Readable): Download {
  return { fileName, contentType: XLSX_MIME, contentDisposition: attachment(fileName, fallback), stream };
}

function templateNotes(rootCode: string): string[] {
  const unitCols = COLUMNS.units.map((c) => `${c.zh}${c.required ? '（必填）' : ''}`).join('、');
  const peopleCols = COLUMNS.people.map((c) => `${c.zh}${c.required ? '（必填）' : ''}`).join('、');
  return [
    '组织人员导入说明',
    `“单位”表列：${unitCols}。单位编码唯一；已存在的编码会更新名称、类型、上级和排序。`,
    `上级单位编码填写已有单位或本文件中的单位；最上级单位的编码是 ${rootCode}。`,
    `“人员”表列：${peopleCols}。工号唯一；已存在的工号会更新该人员并补充任职（单位、角色）。`,
    '性别：男/女（可空）；状态：在职/离职（空为在职）；单位类型和角色可填写编码或名称（见下表）；角色为空时为普通职工。',
    `任一行有错误时整个文件都不会导入，错误会逐行列出。也可上传 .csv（编码 ${CSV_ENCODINGS['zh-CN']}），一个 .csv 只含单位或人员一种。`,
    '示例行（发电部、张三）仅为示例，导入前请删除或改为实际数据。',
  ];
}

export type ImportService = ReturnType<typeof createImportService>;
