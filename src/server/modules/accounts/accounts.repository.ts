import type { Selectable } from 'kysely';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { preparedQuery } from '../../platform/db/prepared.js';
import type { AccountTable } from '../../platform/db/schema.js';
import type { Grant } from '../access/index.js';
import type { ThrottleState } from './throttle.js';

export type AccountRow = Selectable<AccountTable>;

export function accountsRepository(db: Database) {
  const k = db.kysely;
  // Read on every authenticated request: compiled once (ADR 0016).
  const accountWithName = preparedQuery((a: { id: number }) =>
    k
      .selectFrom('account')
      .innerJoin('person', 'person.id', 'account.person_id')
      .selectAll('account')
      .select('person.name as person_name')
      .where('account.id', '=', a.id),
  );
  const tokenByHash = preparedQuery((a: { tokenHash: string }) => k.selectFrom('api_token').selectAll().where('token_hash', '=', a.tokenHash));
  const grantRows = preparedQuery((a: { personId: number }) =>
    k
      .selectFrom('membership')
      .innerJoin('unit', 'unit.id', 'membership.unit_id')
      .innerJoin('role', 'role.code', 'membership.role_code')
      .leftJoin('role_permission', 'role_permission.role_code', 'membership.role_code')
      .select(['membership.role_code', 'role.name_zh', 'membership.unit_id', 'unit.path', 'unit.name', 'role_permission.permission'])
      .where('membership.person_id', '=', a.personId)
      .where('unit.active', '=', 1),
  );
  return {
    accountByUsername: (q: Queryable, username: string) =>
      q.selectFrom('account').selectAll().where('username', '=', username).executeTakeFirst() as Promise<AccountRow | undefined>,
    accountById: (q: Queryable, id: number) => q.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst() as Promise<AccountRow | undefined>,
    /** The account with its person's name: what every authenticated request needs, in one read. */
    accountWithName: async (q: Queryable, id: number) => (await accountWithName(q, { id }))[0],
    accountByPerson: (q: Queryable, personId: number) =>
      q.selectFrom('account').selectAll().where('person_id', '=', personId).executeTakeFirst() as Promise<AccountRow | undefined>,
    async insertAccount(tx: Tx, a: { personId: number; username: string; passwordHash: string; mustChange: boolean; now: string }) {
      const { id } = await tx
        .insertInto('account')
        .values({
          person_id: a.personId,
          username: a.username,
          password_hash: a.passwordHash,
          must_change_password: a.mustChange ? 1 : 0,
          active: 1,
          last_login_at: null,
          created_at: a.now,
          updated_at: a.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return id;
    },
    updateAccount: (tx: Tx, id: number, patch: Partial<Omit<AccountTable, 'id' | 'person_id' | 'created_at'>>) =>
      tx.updateTable('account').set(patch).where('id', '=', id).execute(),

    async listAccounts(paths: readonly string[] | 'all') {
      let q = k.selectFrom('account').innerJoin('person', 'person.id', 'account.person_id').selectAll('account').select('person.name as person_name');
      if (paths !== 'all') {
        if (paths.length === 0) return [];
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('membership')
              .innerJoin('unit', 'unit.id', 'membership.unit_id')
              .select('membership.id')
              .whereRef('membership.person_id', '=', 'account.person_id')
              .where((e2) => e2.or(paths.map((p) => e2('unit.path', 'like', `${p}%`)))),
          ),
        );
      }
      return q.orderBy('account.id').execute();
    },

    /** Active people without an account, with their primary unit, inside the subtrees (or everyone). */
    async peopleWithoutAccount(q: Queryable, paths: readonly string[] | 'all', onlyIds?: readonly number[]) {
      if (paths !== 'all' && paths.length === 0) return [];
      let sel = q
        .selectFrom('person')
        .leftJoin('account', 'account.person_id', 'person.id')
        .select(['person.id', 'person.name', 'person.employee_no', 'person.status', 'account.id as account_id'])
        .select((eb) =>
          eb
            .selectFrom('membership')
            .innerJoin('unit', 'unit.id', 'membership.unit_id')
            .select('unit.name')
            .whereRef('membership.person_id', '=', 'person.id')
            .orderBy('membership.is_primary', 'desc')
            .orderBy('membership.id')
            .limit(1)
            .as('unit_name'),
        );
      if (onlyIds) sel = sel.where('person.id', 'in', onlyIds.length ? onlyIds : [0]);
      else sel = sel.where('account.id', 'is', null).where('person.status', '=', 'active');
      if (paths !== 'all')
        sel = sel.where((eb) =>
          eb.exists(
            eb
              .selectFrom('membership')
              .innerJoin('unit', 'unit.id', 'membership.unit_id')
              .select('membership.id')
              .whereRef('membership.person_id', '=', 'person.id')
              .where((e2) => e2.or(paths.map((p) => e2('unit.path', 'like', `${p}%`)))),
          ),
        );
      return sel.orderBy('person.id').execute();
    },
    usernamesTaken: async (q: Queryable, names: readonly string[]) =>
      names.length
        ? new Set((await q.selectFrom('account').select('username').where('username', 'in', names).execute()).map((r) => r.username))
        : new Set<string>(),

    insertSession: (tx: Queryable, s: { tokenHash: string; accountId: number; csrf: string; now: string; expires: string; ip: string | null }) =>
      tx
        .insertInto('session')
        .values({
          token_hash: s.tokenHash,
          account_id: s.accountId,
          csrf_token: s.csrf,
          created_at: s.now,
          last_seen_at: s.now,
          expires_at: s.expires,
          ip: s.ip,
        })
        .execute(),
    sessionByHash: (tokenHash: string) => k.selectFrom('session').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),
    touchSession: (tokenHash: string, now: string, expires: string) =>
      k.updateTable('session').set({ last_seen_at: now, expires_at: expires }).where('token_hash', '=', tokenHash).execute(),
    deleteSession: (q: Queryable, tokenHash: string) => q.deleteFrom('session').where('token_hash', '=', tokenHash).execute(),
    deleteSessionsOf: (q: Queryable, accountId: number, exceptHash?: string) => {
      let d = q.deleteFrom('session').where('account_id', '=', accountId);
      if (exceptHash) d = d.where('token_hash', '!=', exceptHash);
      return d.execute();
    },
    deleteExpiredSessions: (now: string) => k.deleteFrom('session').where('expires_at', '<', now).execute(),

    tokenByHash: async (tokenHash: string) => (await tokenByHash(k, { tokenHash }))[0],
    tokensOf: (accountId: number) => k.selectFrom('api_token').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').execute(),
    tokenById: (q: Queryable, id: number) => q.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst(),
    async insertToken(tx: Tx, t: { accountId: number; name: string; tokenHash: string; prefix: string; now: string }) {
      const { id } = await tx
        .insertInto('api_token')
        .values({ account_id: t.accountId, name: t.name, token_hash: t.tokenHash, prefix: t.prefix, created_at: t.now, last_used_at: null, revoked_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      return id;
    },
    revokeToken: (tx: Tx, id: number, now: string) => tx.updateTable('api_token').set({ revoked_at: now }).where('id', '=', id).execute(),
    /** Revokes every live token of the account; returns how many. */
    async revokeTokensOf(tx: Tx, accountId: number, now: string): Promise<number> {
      const r = await tx
        .updateTable('api_token')
        .set({ revoked_at: now })
        .where('account_id', '=', accountId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    touchToken: (id: number, now: string) => k.updateTable('api_token').set({ last_used_at: now }).where('id', '=', id).execute(),

    personStatus: async (q: Queryable, personId: number) =>
      (await q.selectFrom('person').select('status').where('id', '=', personId).executeTakeFirst())?.status,
    personName: async (q: Queryable, personId: number) => (await q.selectFrom('person').select('name').where('id', '=', personId).executeTakeFirst())?.name,
    throttleOf: async (q: Queryable, username: string, ip: string): Promise<ThrottleState | undefined> => {
      const r = await q.selectFrom('login_throttle').selectAll().where('username', '=', username).where('ip', '=', ip).executeTakeFirst();
      return r && { failures: r.failures, lastFailedAt: r.last_failed_at, blockedUntil: r.blocked_until };
    },
    setThrottle: (tx: Tx, username: string, ip: string, st: ThrottleState) => {
      const row = { failures: st.failures, last_failed_at: st.lastFailedAt, blocked_until: st.blockedUntil };
      return tx
        .insertInto('login_throttle')
        .values({ username, ip, ...row })
        .onConflict((oc) => oc.columns(['username', 'ip']).doUpdateSet(row))
        .execute();
    },
    clearThrottle: (q: Queryable, username: string, ip: string) =>
      q.deleteFrom('login_throttle').where('username', '=', username).where('ip', '=', ip).execute(),
    forgetThrottles: (q: Queryable, before: string) => q.deleteFrom('login_throttle').where('last_failed_at', '<', before).execute(),

    roleExists: async (q: Queryable, code: string) => !!(await q.selectFrom('role').select('code').where('code', '=', code).executeTakeFirst()),

    /** The person's roles in units, each with the role's permissions and the unit's path. */
    async grantsOf(q: Queryable, personId: number): Promise<(Grant & { unitName: string; roleName: string })[]> {
      const rows = await grantRows(q, { personId });
      const byKey = new Map<string, Grant & { unitName: string; roleName: string; permissions: string[] }>();
      for (const r of rows) {
        const key = `${r.role_code}@${r.unit_id}`;
        let g = byKey.get(key);
        if (!g) {
          g = { role: r.role_code, roleName: r.name_zh, unitId: r.unit_id, unitPath: r.path, unitName: r.name, permissions: [] };
          byKey.set(key, g);
        }
        if (r.permission) g.permissions.push(r.permission);
      }
      return [...byKey.values()];
    },

    async roles() {
      const roles = await k.selectFrom('role').selectAll().orderBy('sort_order').execute();
      const perms = await k.selectFrom('role_permission').selectAll().execute();
      return roles.map((r) => ({
        code: r.code,
        nameZh: r.name_zh,
        nameEn: r.name_en,
        chainRank: r.chain_rank,
        permissions: perms
          .filter((p) => p.role_code === r.code)
          .map((p) => p.permission)
          .sort(),
      }));
    },
    async setRolePermissions(tx: Tx, code: string, permissions: readonly string[]) {
      await tx.deleteFrom('role_permission').where('role_code', '=', code).execute();
      if (permissions.length)
        await tx
          .insertInto('role_permission')
          .values(permissions.map((p) => ({ role_code: code, permission: p })))
          .execute();
    },
    rolePermissions: async (q: Queryable, code: string) =>
      (await q.selectFrom('role_permission').select('permission').where('role_code', '=', code).execute()).map((r) => r.permission).sort(),
  };
}

export type AccountsRepository = ReturnType<typeof accountsRepository>;
