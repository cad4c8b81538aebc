import { sql } from 'kysely';
import type { Database, Queryable, Tx } from '../../../platform/db/database.js';
import type { ExistingPerson, ExistingUnit, Named } from './import.validate.js';

/**
 * Set-at-a-time SQL for import and export: prefetches into maps and multi-row inserts, chunked so
 * no statement passes the parameter limits (PostgreSQL 65,535; SQLite 32,766).
 */

const MAX_PARAMS = 30_000;
const MAX_ROWS = 1_000;
export const chunkRows = (columns: number) => Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns)));

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export interface NewUnitRow {
  parentId: number;
  typeCode: string;
  code: string;
  name: string;
  depth: number;
  sortOrder: number;
}

export interface NewPersonRow {
  employeeNo: string;
  name: string;
  gender: string | null;
  post: string | null;
  phone: string | null;
  status: string;
}

export interface ExportPersonRow {
  personId: number;
  employeeNo: string;
  name: string;
  gender: string | null;
  post: string | null;
  phone: string | null;
  status: string;
  unitCode: string;
  unitPath: string;
  roleCode: string;
  isPrimary: boolean;
  membershipId: number;
}

const inPaths = (paths: readonly string[]) =>
  sql<boolean>`(${sql.join(
    paths.map((p) => sql`unit.path like ${`${p}%`}`),
    sql` or `,
  )})`;

export function importRepository(db: Database) {
  return {
    async unitTypes(q: Queryable): Promise<Named[]> {
      const rows = await q.selectFrom('unit_type').select(['code', 'name_zh', 'name_en']).orderBy('sort_order').orderBy('code').execute();
      return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en }));
    },
    async roles(q: Queryable): Promise<Named[]> {
      const rows = await q.selectFrom('role').select(['code', 'name_zh', 'name_en']).orderBy('sort_order').orderBy('code').execute();
      return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en }));
    },
    async allUnits(q: Queryable): Promise<ExistingUnit[]> {
      const rows = await q.selectFrom('unit').select(['id', 'code', 'name', 'type_code', 'parent_id', 'sort_order', 'path', 'depth']).execute();
      return rows.map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        typeCode: r.type_code,
        parentId: r.parent_id,
        sortOrder: r.sort_order,
        path: r.path,
        depth: r.depth,
      }));
    },

    /** The people with these employee numbers, each with all their memberships. */
    async peopleByEmployeeNo(q: Queryable, numbers: readonly string[]): Promise<Map<string, ExistingPerson>> {
      const out = new Map<string, ExistingPerson>();
      const byId = new Map<number, ExistingPerson & { memberships: ExistingPerson['memberships'][number][] }>();
      for (const part of chunks(numbers, MAX_ROWS)) {
        const rows = await q
          .selectFrom('person')
          .select(['id', 'employee_no', 'name', 'gender', 'post', 'phone', 'status'])
          .where('employee_no', 'in', part)
          .execute();
        for (const r of rows) {
          const p = {
            id: r.id,
            employeeNo: r.employee_no as string,
            name: r.name,
            gender: (r.gender as ExistingPerson['gender']) ?? null,
            post: r.post,
            phone: r.phone,
            status: r.status as ExistingPerson['status'],
            memberships: [] as { unitId: number; roleCode: string; isPrimary: boolean }[],
          };
          out.set(p.employeeNo, p);
          byId.set(p.id, p);
        }
      }
      for (const part of chunks([...byId.keys()], MAX_ROWS)) {
        const rows = await q.selectFrom('membership').select(['person_id', 'unit_id', 'role_code', 'is_primary']).where('person_id', 'in', part).execute();
        for (const m of rows) byId.get(m.person_id)?.memberships.push({ unitId: m.unit_id, roleCode: m.role_code, isPrimary: m.is_primary === 1 });
      }
      return out;
    },

    /** Inserts units whose parents exist, then sets each one's materialized path in one statement per parent. */
    async insertUnits(tx: Tx, rows: readonly NewUnitRow[], parentPaths: ReadonlyMap<number, string>, now: string): Promise<Map<string, number>> {
      const ids = new Map<string, number>();
      for (const part of chunks(rows, chunkRows(10))) {
        const inserted = await tx
          .insertInto('unit')
          .values(
            part.map((u) => ({
              parent_id: u.parentId,
              type_code: u.typeCode,
              code: u.code,
              name: u.name,
              path: '',
              depth: u.depth,
              sort_order: u.sortOrder,
              active: 1,
              created_at: now,
              updated_at: now,
            })),
          )
          .returning(['id', 'code'])
          .execute();
        for (const r of inserted) ids.set(r.code, r.id);
      }
      for (const parentId of new Set(rows.map((r) => r.parentId))) {
        const prefix = parentPaths.get(parentId) as string;
        await tx
          .updateTable('unit')
          .set({ path: sql<string>`${prefix} || cast(id as text) || '/'` })
          .where('parent_id', '=', parentId)
          .where('path', '=', '')
          .execute();
      }
      return ids;
    },

    async insertPeople(tx: Tx, rows: readonly NewPersonRow[], now: string): Promise<Map<string, number>> {
      const ids = new Map<string, number>();
      for (const part of chunks(rows, chunkRows(8))) {
        const inserted = await tx
          .insertInto('person')
          .values(
            part.map((p) => ({
              name: p.name,
              gender: p.gender,
              post: p.post,
              employee_no: p.employeeNo,
              phone: p.phone,
              status: p.status,
              created_at: now,
              updated_at: now,
            })),
          )
          .returning(['id', 'employee_no'])
          .execute();
        for (const r of inserted) ids.set(r.employee_no as string, r.id);
      }
      return ids;
    },

    async updatePerson(tx: Tx, id: number, patch: Partial<NewPersonRow>, now: string) {
      await tx
        .updateTable('person')
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.gender !== undefined && { gender: patch.gender }),
          ...(patch.post !== undefined && { post: patch.post }),
          ...(patch.phone !== undefined && { phone: patch.phone }),
          ...(patch.status !== undefined && { status: patch.status }),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },

    /** Adds memberships; those marked primary first take the primary flag from the person's others. */
    async insertMemberships(tx: Tx, rows: readonly { personId: number; unitId: number; roleCode: string; isPrimary: boolean }[], now: string) {
      const demote = rows.filter((r) => r.isPrimary).map((r) => r.personId);
      for (const part of chunks(demote, MAX_ROWS)) {
        await tx.updateTable('membership').set({ is_primary: 0 }).where('person_id', 'in', part).where('is_primary', '=', 1).execute();
      }
      for (const part of chunks(rows, chunkRows(5))) {
        await tx
          .insertInto('membership')
          .values(part.map((m) => ({ person_id: m.personId, unit_id: m.unitId, role_code: m.roleCode, is_primary: m.isPrimary ? 1 : 0, created_at: now })))
          .execute();
      }
    },

    /** Memberships in the subtrees of people that have an employee number, primary ones first. */
    async exportPeople(paths: readonly string[]): Promise<ExportPersonRow[]> {
      if (paths.length === 0) return [];
      const rows = await db.kysely
        .selectFrom('membership')
        .innerJoin('unit', 'unit.id', 'membership.unit_id')
        .innerJoin('person', 'person.id', 'membership.person_id')
        .select([
          'person.id as person_id',
          'person.employee_no',
          'person.name',
          'person.gender',
          'person.post',
          'person.phone',
          'person.status',
          'unit.code as unit_code',
          'unit.path as unit_path',
          'membership.role_code',
          'membership.is_primary',
          'membership.id as membership_id',
        ])
        .where('person.employee_no', 'is not', null)
        .where(inPaths(paths))
        .orderBy('membership.is_primary', 'desc')
        .orderBy('membership.id')
        .execute();
      return rows.map((r) => ({
        personId: r.person_id,
        employeeNo: r.employee_no as string,
        name: r.name,
        gender: r.gender,
        post: r.post,
        phone: r.phone,
        status: r.status,
        unitCode: r.unit_code,
        unitPath: r.unit_path,
        roleCode: r.role_code,
        isPrimary: r.is_primary === 1,
        membershipId: r.membership_id,
      }));
    },

    /** People placed in the subtrees who have no employee number (they cannot round-trip). */
    async countWithoutEmployeeNo(paths: readonly string[]): Promise<number> {
      if (paths.length === 0) return 0;
      const r = await db.kysely
        .selectFrom('person')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('person.employee_no', 'is', null)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('membership')
              .innerJoin('unit', 'unit.id', 'membership.unit_id')
              .select('membership.id')
              .whereRef('membership.person_id', '=', 'person.id')
              .where(inPaths(paths)),
          ),
        )
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export type ImportRepository = ReturnType<typeof importRepository>;
