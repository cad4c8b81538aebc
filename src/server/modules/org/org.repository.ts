import { type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from 'kysely';
import type { Membership, Person, Unit } from '../../../contracts/org.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import type { PersonTable, UnitTable } from '../../platform/db/schema.js';
import { type ChainMember, pathIds } from './reporting-chain.js';

export const toUnit = (r: Selectable<UnitTable>): Unit => ({
  id: r.id,
  parentId: r.parent_id,
  typeCode: r.type_code,
  code: r.code,
  name: r.name,
  path: r.path,
  depth: r.depth,
  sortOrder: r.sort_order,
  active: r.active === 1,
});

export const toPerson = (r: Selectable<PersonTable>): Person => ({
  id: r.id,
  name: r.name,
  gender: (r.gender as Person['gender']) ?? null,
  post: r.post,
  employeeNo: r.employee_no,
  phone: r.phone,
  status: r.status as Person['status'],
});

/** `path LIKE prefix%` for any of the given subtree roots. */
function inSubtrees(paths: readonly string[], column: string) {
  // biome-ignore lint/suspicious/noExplicitAny: the column is checked by the callers' queries
  return (eb: ExpressionBuilder<any, any>): Expression<SqlBool> => eb.or(paths.map((p) => eb(column, 'like', `${p}%`)));
}

export interface PeopleFilter {
  paths: readonly string[];
  includeUnplaced: boolean;
  q?: string;
  status: 'active' | 'left' | 'all';
}

/**
 * Active people's memberships in the given units as chain members (ordered by person): only those
 * holding a chain role (the chain's ranks), or every one (a specialist, a safety officer).
 */
async function activeMembersOf(q: Queryable, unitIds: readonly number[], opts: { chainRolesOnly: boolean }): Promise<ChainMember[]> {
  if (unitIds.length === 0) return [];
  let query = q
    .selectFrom('membership')
    .innerJoin('role', 'role.code', 'membership.role_code')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .innerJoin('unit', 'unit.id', 'membership.unit_id')
    .select(['membership.person_id', 'person.name', 'membership.role_code', 'role.name_zh', 'role.chain_rank', 'membership.unit_id', 'unit.name as unit_name'])
    .where('membership.unit_id', 'in', unitIds)
    .where('person.status', '=', 'active');
  if (opts.chainRolesOnly) query = query.where('role.chain_rank', 'is not', null);
  const rows = await query.orderBy('membership.person_id').execute();
  return rows.map((r) => ({
    personId: r.person_id,
    name: r.name,
    roleCode: r.role_code,
    roleName: r.name_zh,
    rank: r.chain_rank,
    unitId: r.unit_id,
    unitName: r.unit_name,
  }));
}

export function orgRepository(db: Database) {
  const k = db.kysely;
  function peopleFiltered(opts: PeopleFilter) {
    let q = k.selectFrom('person');
    q = q.where((eb) => {
      const placed = eb.exists(
        eb
          .selectFrom('membership')
          .innerJoin('unit', 'unit.id', 'membership.unit_id')
          .select('membership.id')
          .whereRef('membership.person_id', '=', 'person.id')
          .where(inSubtrees(opts.paths.length ? opts.paths : ['/__none__/'], 'unit.path')),
      );
      if (!opts.includeUnplaced) return placed;
      const unplaced = eb.not(eb.exists(eb.selectFrom('membership').select('membership.id').whereRef('membership.person_id', '=', 'person.id')));
      return eb.or([placed, unplaced]);
    });
    if (opts.status !== 'all') q = q.where('status', '=', opts.status);
    if (opts.q) {
      const like = `%${opts.q}%`;
      q = q.where((eb) => eb.or([eb('name', 'like', like), eb('employee_no', 'like', like), eb('phone', 'like', like), eb('post', 'like', like)]));
    }
    return q;
  }
  return {
    /** Active members of a unit, leaders first (team leader and above): whom a unit-addressed notice reaches. */
    async unitContacts(q: Queryable, unitId: number): Promise<number[]> {
      const rows = await q
        .selectFrom('membership as m')
        .innerJoin('role as r', 'r.code', 'm.role_code')
        .innerJoin('person as p', 'p.id', 'm.person_id')
        .select(['m.person_id', 'r.chain_rank'])
        .where('m.unit_id', '=', unitId)
        .where('p.status', '=', 'active')
        .execute();
      const ranked = rows.filter((r) => (r.chain_rank ?? 0) >= 20);
      return [...new Set((ranked.length ? ranked : rows).map((r) => r.person_id))];
    },

    organization: (q: Queryable = k) => q.selectFrom('organization').selectAll().where('id', '=', 1).executeTakeFirst(),

    unitTypes: () => k.selectFrom('unit_type').selectAll().orderBy('sort_order').orderBy('code').execute(),
    unitTypeExists: async (q: Queryable, code: string) => !!(await q.selectFrom('unit_type').select('code').where('code', '=', code).executeTakeFirst()),
    insertUnitType: (tx: Tx, t: { code: string; name_zh: string; name_en: string; sort_order: number }) => tx.insertInto('unit_type').values(t).execute(),

    async unitById(q: Queryable, id: number): Promise<Unit | undefined> {
      const r = await q.selectFrom('unit').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toUnit(r);
    },
    async unitByCode(q: Queryable, code: string): Promise<Unit | undefined> {
      const r = await q.selectFrom('unit').selectAll().where('code', '=', code).executeTakeFirst();
      return r && toUnit(r);
    },
    async rootUnit(q: Queryable = k): Promise<Unit | undefined> {
      const r = await q.selectFrom('unit').selectAll().where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
      return r && toUnit(r);
    },
    /** All units inside the given subtrees, parents before children. */
    async unitsIn(paths: readonly string[], q: Queryable = k): Promise<Unit[]> {
      if (paths.length === 0) return [];
      const rows = await q.selectFrom('unit').selectAll().where(inSubtrees(paths, 'path')).orderBy('depth').orderBy('sort_order').orderBy('id').execute();
      return rows.map(toUnit);
    },
    async unitsByIds(q: Queryable, ids: readonly number[]): Promise<Unit[]> {
      if (ids.length === 0) return [];
      const rows = await q.selectFrom('unit').selectAll().where('id', 'in', ids).execute();
      return rows.map(toUnit);
    },
    async insertUnit(
      tx: Tx,
      u: { parentId: number | null; parentPath: string; depth: number; typeCode: string; code: string; name: string; sortOrder: number; now: string },
    ): Promise<Unit> {
      const { id } = await tx
        .insertInto('unit')
        .values({
          parent_id: u.parentId,
          type_code: u.typeCode,
          code: u.code,
          name: u.name,
          path: '',
          depth: u.depth,
          sort_order: u.sortOrder,
          active: 1,
          created_at: u.now,
          updated_at: u.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const path = `${u.parentPath}${id}/`;
      await tx.updateTable('unit').set({ path }).where('id', '=', id).execute();
      return (await this.unitById(tx, id)) as Unit;
    },
    async updateUnit(tx: Tx, id: number, patch: Partial<Pick<UnitTable, 'name' | 'code' | 'type_code' | 'sort_order' | 'active'>>, now: string) {
      await tx
        .updateTable('unit')
        .set({ ...patch, updated_at: now })
        .where('id', '=', id)
        .execute();
    },
    /** Moves a whole subtree: rewrites the path prefix and depth of the unit and every descendant. */
    async moveSubtree(tx: Tx, unit: Unit, parent: Unit, now: string) {
      const newPath = `${parent.path}${unit.id}/`;
      const delta = parent.depth + 1 - unit.depth;
      await tx
        .updateTable('unit')
        .set({
          path: sql<string>`${newPath} || substr(path, ${unit.path.length + 1})`,
          depth: sql<number>`depth + ${delta}`,
          updated_at: now,
        })
        .where('path', 'like', `${unit.path}%`)
        .execute();
      await tx.updateTable('unit').set({ parent_id: parent.id }).where('id', '=', unit.id).execute();
    },
    async unitHasDependents(q: Queryable, id: number): Promise<boolean> {
      const child = await q.selectFrom('unit').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
      const member = await q.selectFrom('membership').select('id').where('unit_id', '=', id).limit(1).executeTakeFirst();
      return !!(child || member);
    },
    deleteUnit: (tx: Tx, id: number) => tx.deleteFrom('unit').where('id', '=', id).execute(),

    async personById(q: Queryable, id: number): Promise<Person | undefined> {
      const r = await q.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toPerson(r);
    },
    async personByEmployeeNo(q: Queryable, no: string): Promise<Person | undefined> {
      const r = await q.selectFrom('person').selectAll().where('employee_no', '=', no).executeTakeFirst();
      return r && toPerson(r);
    },
    async insertPerson(tx: Tx, p: Omit<Person, 'id'>, now: string): Promise<Person> {
      const { id } = await tx
        .insertInto('person')
        .values({
          name: p.name,
          gender: p.gender,
          post: p.post,
          employee_no: p.employeeNo,
          phone: p.phone,
          status: p.status,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...p, id };
    },
    async updatePerson(tx: Tx, id: number, p: Partial<Omit<Person, 'id'>>, now: string) {
      await tx
        .updateTable('person')
        .set({
          ...(p.name !== undefined && { name: p.name }),
          ...(p.gender !== undefined && { gender: p.gender }),
          ...(p.post !== undefined && { post: p.post }),
          ...(p.employeeNo !== undefined && { employee_no: p.employeeNo }),
          ...(p.phone !== undefined && { phone: p.phone }),
          ...(p.status !== undefined && { status: p.status }),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
    /**
     * People with at least one membership inside the subtrees (or none at all when `includeUnplaced`),
     * one page in the database's order of a column. Names are sorted by the service (pinyin):
     * `matchingPeople` gives it every match's id and name.
     */
    async searchPeople(
      opts: PeopleFilter & { sort: 'employeeNo' | 'id'; order: 'asc' | 'desc'; page: number; pageSize: number },
    ): Promise<{ items: Person[]; total: number }> {
      const q = peopleFiltered(opts);
      const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const sortCol = opts.sort === 'employeeNo' ? 'employee_no' : opts.sort;
      const rows = await q
        .selectAll()
        .orderBy(sortCol, opts.order)
        .orderBy('id')
        .limit(opts.pageSize)
        .offset((opts.page - 1) * opts.pageSize)
        .execute();
      return { items: rows.map(toPerson), total: Number(total.n) };
    },
    /** Id and name of every person the filter matches, in no particular order. */
    matchingPeople: (opts: PeopleFilter) => peopleFiltered(opts).select(['id', 'name']).execute(),
    async peopleByIds(ids: readonly number[]): Promise<Person[]> {
      if (ids.length === 0) return [];
      return (await k.selectFrom('person').selectAll().where('id', 'in', ids).execute()).map(toPerson);
    },
    /** The units each person holds a post in (primary first), for a page of the people list. */
    async unitsOfPeople(ids: readonly number[]) {
      if (ids.length === 0) return [];
      return k
        .selectFrom('membership')
        .innerJoin('unit', 'unit.id', 'membership.unit_id')
        .innerJoin('role', 'role.code', 'membership.role_code')
        .select([
          'membership.person_id',
          'membership.unit_id',
          'unit.name as unit_name',
          'membership.role_code',
          'role.name_zh as role_name',
          'membership.is_primary',
        ])
        .where('membership.person_id', 'in', ids)
        .orderBy('membership.person_id')
        .orderBy('membership.is_primary', 'desc')
        .orderBy('membership.id')
        .execute();
    },
    async membershipsOfPerson(q: Queryable, personId: number): Promise<(Membership & { unitPath: string })[]> {
      const rows = await q
        .selectFrom('membership')
        .innerJoin('unit', 'unit.id', 'membership.unit_id')
        .innerJoin('role', 'role.code', 'membership.role_code')
        .innerJoin('person', 'person.id', 'membership.person_id')
        .select([
          'membership.id',
          'membership.person_id',
          'person.name as person_name',
          'membership.unit_id',
          'unit.name as unit_name',
          'unit.path as unit_path',
          'membership.role_code',
          'role.name_zh',
          'membership.is_primary',
        ])
        .where('membership.person_id', '=', personId)
        .orderBy('membership.is_primary', 'desc')
        .orderBy('membership.id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        personId: r.person_id,
        personName: r.person_name,
        unitId: r.unit_id,
        unitName: r.unit_name,
        unitPath: r.unit_path,
        roleCode: r.role_code,
        roleName: r.name_zh,
        isPrimary: r.is_primary === 1,
      }));
    },
    async membershipById(q: Queryable, id: number) {
      return q.selectFrom('membership').selectAll().where('id', '=', id).executeTakeFirst();
    },
    async insertMembership(tx: Tx, m: { personId: number; unitId: number; roleCode: string; isPrimary: boolean }, now: string) {
      if (m.isPrimary) await tx.updateTable('membership').set({ is_primary: 0 }).where('person_id', '=', m.personId).execute();
      const { id } = await tx
        .insertInto('membership')
        .values({ person_id: m.personId, unit_id: m.unitId, role_code: m.roleCode, is_primary: m.isPrimary ? 1 : 0, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return id;
    },
    deleteMembership: (tx: Tx, id: number) => tx.deleteFrom('membership').where('id', '=', id).execute(),

    /** Members holding a chain role in each of the given units (for the reporting chain). */
    chainMembers: (q: Queryable, unitIds: readonly number[]): Promise<ChainMember[]> => activeMembersOf(q, unitIds, { chainRolesOnly: true }),
    /**
     * A person's way up (逐级汇报, issue 9 §2): every active member of their primary unit and of each
     * unit above it, nearest first, chain role or not (a specialist, a safety officer), and the
     * person's own rank (their highest chain role). Two reads, whatever the depth.
     */
    async chainLevels(q: Queryable, personId: number): Promise<{ ownRank: number | null; levels: ChainMember[][] }> {
      const own = await q
        .selectFrom('membership as m')
        .innerJoin('unit as u', 'u.id', 'm.unit_id')
        .innerJoin('role as r', 'r.code', 'm.role_code')
        .select(['u.path', 'm.is_primary', 'r.chain_rank'])
        .where('m.person_id', '=', personId)
        .orderBy('m.is_primary', 'desc')
        .orderBy('m.id')
        .execute();
      const primary = own[0];
      if (!primary) return { ownRank: null, levels: [] };
      const ranks = own.flatMap((m) => (m.chain_rank === null ? [] : [m.chain_rank]));
      const ids = pathIds(primary.path);
      const members = await activeMembersOf(q, ids, { chainRolesOnly: false });
      return { ownRank: ranks.length ? Math.max(...ranks) : null, levels: ids.map((id) => members.filter((m) => m.unitId === id)) };
    },
    /** People holding any membership directly in the unit (not its sub-units). */
    async directMembers(unitId: number): Promise<Person[]> {
      const rows = await k
        .selectFrom('person')
        .selectAll()
        .where((eb) =>
          eb.exists(
            eb.selectFrom('membership').select('membership.id').whereRef('membership.person_id', '=', 'person.id').where('membership.unit_id', '=', unitId),
          ),
        )
        .orderBy('id')
        .execute();
      return rows.map(toPerson);
    },
    accountOf: (personId: number) => k.selectFrom('account').select(['id', 'username', 'active']).where('person_id', '=', personId).executeTakeFirst(),
    roleRank: async (q: Queryable, code: string) =>
      (await q.selectFrom('role').select('chain_rank').where('code', '=', code).executeTakeFirst())?.chain_rank ?? null,
    /** The role's permissions, or undefined when there is no such role. */
    async rolePermissions(q: Queryable, code: string): Promise<string[] | undefined> {
      const role = await q.selectFrom('role').select('code').where('code', '=', code).executeTakeFirst();
      if (!role) return undefined;
      return (await q.selectFrom('role_permission').select('permission').where('role_code', '=', code).execute()).map((r) => r.permission);
    },
  };
}

export type OrgRepository = ReturnType<typeof orgRepository>;
