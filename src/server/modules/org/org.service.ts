import type { z } from 'zod';
import type {
  MembershipCreate,
  PeopleQuery,
  Person,
  PersonCreate,
  PersonListItem,
  PersonUpdate,
  Unit,
  UnitCreate,
  UnitTypeInput,
  UnitUpdate,
} from '../../../contracts/org.js';
import type { Clock } from '../../platform/clock.js';
import { type Database, isUniqueViolation, type Queryable, type Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Ctx } from '../access/index.js';
import { assertCoversPerson, assertUnitAccess, can, mayGrant, scopeRoots } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { orgRepository } from './org.repository.js';
import { pathIds, reportingChain, wouldCycle } from './reporting-chain.js';

interface Deps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  /** A person marked 离职: their account is disabled, sessions end, tokens are revoked (issue 8, security 5). */
  onLeave: (tx: Tx, ctx: Ctx, personId: number, unitId: number | null) => Promise<void>;
}

const grantsOf = (ctx: Ctx) => ctx.actor?.grants ?? [];

function duplicate(ctx: Ctx, field: 'code' | 'employeeNo', value: string) {
  const label = { code: { 'zh-CN': '单位编码', en: 'Unit code' }, employeeNo: { 'zh-CN': '工号', en: 'Employee number' } }[field][ctx.lang];
  return new AppError('DUPLICATE', { field: label, value }, [{ path: field, key: 'exists', params: { value } }]);
}

const invalidRef = (path: string, value: string | number) =>
  new AppError('VALIDATION', { summary: `${path}: ${value}` }, [{ path, key: 'unknown_reference', params: { value } }]);

/** Chinese names in pinyin order (then any other script by the same collator), ties by id. */
const NAME_COLLATOR = new Intl.Collator('zh-CN', { usage: 'sort', numeric: true });
export function sortByName<T extends { id: number; name: string }>(rows: readonly T[], order: 'asc' | 'desc' = 'asc'): T[] {
  const sign = order === 'desc' ? -1 : 1;
  return [...rows].sort((a, b) => sign * (NAME_COLLATOR.compare(a.name, b.name) || a.id - b.id));
}

export function createOrgService({ db, clock, audit, onLeave }: Deps) {
  const repo = orgRepository(db);
  const now = () => clock.now().toISOString();

  /** A page of the people list with each person's units, the primary one first. */
  async function withUnits(people: readonly Person[]): Promise<PersonListItem[]> {
    const rows = await repo.unitsOfPeople(people.map((p) => p.id));
    const units = new Map<number, PersonListItem['units']>();
    for (const r of rows) {
      const list = units.get(r.person_id) ?? [];
      list.push({ unitId: r.unit_id, unitName: r.unit_name, roleCode: r.role_code, roleName: r.role_name, isPrimary: r.is_primary === 1 });
      units.set(r.person_id, list);
    }
    return people.map((p) => ({ ...p, units: units.get(p.id) ?? [] }));
  }

  async function visibleUnit(
    ctx: Ctx,
    id: number,
    permission: 'org.read' | 'org.manage' | 'people.read' | 'people.manage' = 'org.read',
    q: Queryable = db.kysely,
  ) {
    const unit = await repo.unitById(q, id);
    if (!unit) throw notFound('unit');
    assertUnitAccess(ctx, permission, unit.path);
    return unit;
  }

  async function personInScope(ctx: Ctx, id: number, permission: 'people.read' | 'people.manage', q: Queryable = db.kysely) {
    const person = await repo.personById(q, id);
    if (!person) throw notFound('person');
    const memberships = await repo.membershipsOfPerson(q, id);
    const root = await repo.rootUnit(q);
    // A person without any membership belongs to the whole organization: root scope only.
    const paths = memberships.length ? memberships.map((m) => m.unitPath) : [root?.path ?? '/'];
    const grants = grantsOf(ctx);
    // Reading needs one membership in scope; managing needs the whole person covered (issue 8, security 1).
    if (permission === 'people.manage') await assertCoversPerson(q, ctx, id, permission, root?.path ?? '/');
    else if (!paths.some((p) => can(grants, permission, p))) {
      if (paths.some((p) => can(grants, 'people.read', p))) throw new AppError('FORBIDDEN');
      throw notFound('person');
    }
    return { person, memberships, primaryUnitId: memberships[0]?.unitId ?? root?.id ?? null };
  }

  /** The role must exist, and the actor may only grant what they hold in that unit themselves. */
  async function assertGrantable(ctx: Ctx, q: Queryable, roleCode: string, unitPath: string) {
    const permissions = await repo.rolePermissions(q, roleCode);
    if (!permissions) throw invalidRef('roleCode', roleCode);
    if (!mayGrant(grantsOf(ctx), permissions, unitPath))
      throw new AppError('FORBIDDEN', {}, [{ path: 'roleCode', key: 'role_not_grantable', params: { role: roleCode } }]);
  }

  async function writeUnitChange(tx: Tx, ctx: Ctx, action: string, before: Unit | null, after: Unit) {
    await audit.record(tx, ctx, { action, entityType: 'unit', entityId: after.id, unitId: after.id, before, after });
  }

  const service = {
    repo,
    onLeave,
    visibleUnit,
    personInScope,

    unitTypes: async () => (await repo.unitTypes()).map((t) => ({ code: t.code, nameZh: t.name_zh, nameEn: t.name_en, sortOrder: t.sort_order })),
    async createUnitType(ctx: Ctx, input: z.infer<typeof UnitTypeInput>) {
      try {
        await db.kysely.transaction().execute(async (tx) => {
          await repo.insertUnitType(tx, { code: input.code, name_zh: input.nameZh, name_en: input.nameEn, sort_order: input.sortOrder });
          const root = await repo.rootUnit(tx);
          await audit.record(tx, ctx, { action: 'unit_type.create', entityType: 'unit_type', entityId: input.code, unitId: root?.id, after: input });
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError('DUPLICATE', { field: 'code', value: input.code }, [{ path: 'code', key: 'exists', params: { value: input.code } }]);
        throw err;
      }
    },

    /** Every unit the actor may read, parents first (the UI folds it into a tree). */
    tree: (ctx: Ctx) => repo.unitsIn(scopeRoots(grantsOf(ctx), 'org.read')),

    getUnit: (ctx: Ctx, id: number) => visibleUnit(ctx, id),

    async createUnit(ctx: Ctx, input: z.infer<typeof UnitCreate>) {
      try {
        return await db.kysely.transaction().execute(async (tx) => {
          const parent = await visibleUnit(ctx, input.parentId, 'org.manage', tx);
          if (!(await repo.unitTypeExists(tx, input.typeCode))) throw invalidRef('typeCode', input.typeCode);
          const unit = await repo.insertUnit(tx, {
            parentId: parent.id,
            parentPath: parent.path,
            depth: parent.depth + 1,
            typeCode: input.typeCode,
            code: input.code,
            name: input.name,
            sortOrder: input.sortOrder,
            now: now(),
          });
          await writeUnitChange(tx, ctx, 'unit.create', null, unit);
          return unit;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate(ctx, 'code', input.code);
        throw err;
      }
    },

    async updateUnit(ctx: Ctx, id: number, input: z.infer<typeof UnitUpdate>) {
      try {
        return await db.kysely.transaction().execute(async (tx) => {
          const before = await visibleUnit(ctx, id, 'org.manage', tx);
          const t = now();
          if (input.typeCode && !(await repo.unitTypeExists(tx, input.typeCode))) throw invalidRef('typeCode', input.typeCode);
          if (input.parentId !== undefined && input.parentId !== before.parentId) {
            if (before.parentId === null) throw new AppError('ROOT_UNIT');
            const parent = await visibleUnit(ctx, input.parentId, 'org.manage', tx);
            if (wouldCycle(before.path, parent.path)) throw new AppError('UNIT_CYCLE', {}, [{ path: 'parentId', key: 'cycle', params: {} }]);
            await repo.moveSubtree(tx, before, parent, t);
          }
          await repo.updateUnit(
            tx,
            id,
            {
              ...(input.name !== undefined && { name: input.name }),
              ...(input.code !== undefined && { code: input.code }),
              ...(input.typeCode !== undefined && { type_code: input.typeCode }),
              ...(input.sortOrder !== undefined && { sort_order: input.sortOrder }),
              ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
            },
            t,
          );
          const after = (await repo.unitById(tx, id)) as Unit;
          const action = after.parentId !== before.parentId ? 'unit.move' : 'unit.update';
          await writeUnitChange(tx, ctx, action, before, after);
          return after;
        });
      } catch (err) {
        if (isUniqueViolation(err) && input.code) throw duplicate(ctx, 'code', input.code);
        throw err;
      }
    },

    async deleteUnit(ctx: Ctx, id: number) {
      await db.kysely.transaction().execute(async (tx) => {
        const unit = await visibleUnit(ctx, id, 'org.manage', tx);
        if (unit.parentId === null) throw new AppError('ROOT_UNIT');
        if (await repo.unitHasDependents(tx, id)) throw new AppError('UNIT_NOT_EMPTY');
        await repo.deleteUnit(tx, id);
        await audit.record(tx, ctx, { action: 'unit.delete', entityType: 'unit', entityId: id, unitId: unit.parentId, before: unit });
      });
    },

    async searchPeople(ctx: Ctx, query: z.infer<typeof PeopleQuery>) {
      const grants = grantsOf(ctx);
      let paths = scopeRoots(grants, 'people.read');
      const root = await repo.rootUnit();
      if (query.unitId) {
        const unit = await visibleUnit(ctx, query.unitId, 'people.read');
        paths = query.subtree === '1' ? [unit.path] : [];
        if (query.subtree === '0') {
          const members = (await repo.directMembers(unit.id)).filter((p) => query.status === 'all' || p.status === query.status);
          const items = query.sort === 'name' ? sortByName(members, query.order) : members;
          return { items: await withUnits(items), total: items.length, page: 1, pageSize: Math.max(items.length, 1) };
        }
      }
      const includeUnplaced = !query.unitId && !!root && paths.includes(root.path);
      const filter = { paths, includeUnplaced, q: query.q, status: query.status };
      if (query.sort !== 'name') {
        const r = await repo.searchPeople({ ...filter, sort: query.sort, order: query.order, page: query.page, pageSize: query.pageSize });
        return { items: await withUnits(r.items), total: r.total, page: query.page, pageSize: query.pageSize };
      }
      // By name in pinyin order (zh-CN collation), the same on SQLite and PostgreSQL: SQLite has no
      // such collation and PostgreSQL's ICU ones may be missing, so every match's id and name is
      // sorted here and only the page is read in full.
      const matches = sortByName(await repo.matchingPeople(filter), query.order);
      const ids = matches.slice((query.page - 1) * query.pageSize, query.page * query.pageSize).map((m) => m.id);
      const byId = new Map((await repo.peopleByIds(ids)).map((p) => [p.id, p]));
      const items = ids.flatMap((id) => byId.get(id) ?? []);
      return { items: await withUnits(items), total: matches.length, page: query.page, pageSize: query.pageSize };
    },

    async personDetail(ctx: Ctx, id: number) {
      const { person, memberships } = await personInScope(ctx, id, 'people.read');
      const primary = memberships[0];
      let chain: ReturnType<typeof reportingChain> = [];
      if (primary) {
        const ids = pathIds(primary.unitPath);
        const members = await repo.chainMembers(db.kysely, ids);
        const levels = ids.map((uid) => members.filter((m) => m.unitId === uid));
        const ownRanks = await Promise.all(memberships.map((m) => repo.roleRank(db.kysely, m.roleCode)));
        const own = Math.max(0, ...ownRanks.map((r) => r ?? 0));
        chain = reportingChain(person.id, own, levels);
      }
      const account = await repo.accountOf(id);
      return {
        ...person,
        memberships: memberships.map(({ unitPath: _, ...m }) => m),
        reportingChain: chain.map(({ rank: _, ...c }) => c),
        account: account ? { id: account.id, username: account.username, active: account.active === 1 } : null,
      };
    },

    async createPerson(ctx: Ctx, input: z.infer<typeof PersonCreate>) {
      try {
        return await db.kysely.transaction().execute(async (tx) => {
          const unit = await visibleUnit(ctx, input.unitId, 'people.manage', tx);
          await assertGrantable(ctx, tx, input.roleCode, unit.path);
          const { unitId, roleCode, ...data } = input;
          const person = await repo.insertPerson(tx, data, now());
          await repo.insertMembership(tx, { personId: person.id, unitId, roleCode, isPrimary: true }, now());
          await audit.record(tx, ctx, {
            action: 'person.create',
            entityType: 'person',
            entityId: person.id,
            unitId: unit.id,
            after: { ...person, membership: { unitId, roleCode } },
          });
          return person;
        });
      } catch (err) {
        if (isUniqueViolation(err) && input.employeeNo) throw duplicate(ctx, 'employeeNo', input.employeeNo);
        throw err;
      }
    },

    async updatePerson(ctx: Ctx, id: number, input: z.infer<typeof PersonUpdate>) {
      try {
        return await db.kysely.transaction().execute(async (tx) => {
          const { person: before, primaryUnitId } = await personInScope(ctx, id, 'people.manage', tx);
          await repo.updatePerson(tx, id, input, now());
          const after = (await repo.personById(tx, id)) as Person;
          const action = before.status !== after.status && after.status === 'left' ? 'person.leave' : 'person.update';
          await audit.record(tx, ctx, { action, entityType: 'person', entityId: id, unitId: primaryUnitId, before, after });
          if (action === 'person.leave') await onLeave(tx, ctx, id, primaryUnitId);
          return after;
        });
      } catch (err) {
        if (isUniqueViolation(err) && input.employeeNo) throw duplicate(ctx, 'employeeNo', input.employeeNo);
        throw err;
      }
    },

    async addMembership(ctx: Ctx, input: z.infer<typeof MembershipCreate>) {
      try {
        return await db.kysely.transaction().execute(async (tx) => {
          await personInScope(ctx, input.personId, 'people.manage', tx);
          const unit = await visibleUnit(ctx, input.unitId, 'people.manage', tx);
          await assertGrantable(ctx, tx, input.roleCode, unit.path);
          const id = await repo.insertMembership(tx, input, now());
          await audit.record(tx, ctx, {
            action: 'membership.create',
            entityType: 'person',
            entityId: input.personId,
            unitId: unit.id,
            after: { membershipId: id, ...input },
          });
          return id;
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError('DUPLICATE', { field: ctx.lang === 'en' ? 'Membership' : '任职', value: input.roleCode }, [
            { path: 'roleCode', key: 'exists', params: { value: input.roleCode } },
          ]);
        throw err;
      }
    },

    async removeMembership(ctx: Ctx, id: number) {
      await db.kysely.transaction().execute(async (tx) => {
        const m = await repo.membershipById(tx, id);
        if (!m) throw notFound('membership');
        await visibleUnit(ctx, m.unit_id, 'people.manage', tx);
        await personInScope(ctx, m.person_id, 'people.manage', tx);
        await repo.deleteMembership(tx, id);
        await audit.record(tx, ctx, {
          action: 'membership.delete',
          entityType: 'person',
          entityId: m.person_id,
          unitId: m.unit_id,
          before: { membershipId: id, unitId: m.unit_id, roleCode: m.role_code },
        });
      });
    },
  };
  return service;
}

export type OrgService = ReturnType<typeof createOrgService>;
