import type { Database, Queryable, Tx } from '../../platform/db/database.js';

export function setupRepository(db: Database) {
  return {
    organization: (q: Queryable = db.kysely) => q.selectFrom('organization').select(['name', 'time_zone']).executeTakeFirst(),
    /** Events on record (or the head row gone): this database has been used, whatever the organization table says. */
    async hasHistory(q: Queryable = db.kysely) {
      const head = await q.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirst();
      return !head || head.seq > 0;
    },
    insertOrganization: (tx: Tx, name: string, timeZone: string, now: string) =>
      tx.insertInto('organization').values({ id: 1, name, time_zone: timeZone, created_at: now }).execute(),
    async insertRootUnit(tx: Tx, name: string, now: string) {
      const { id } = await tx
        .insertInto('unit')
        .values({ parent_id: null, type_code: 'company', code: 'ROOT', name, path: '', depth: 0, sort_order: 0, active: 1, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('unit')
        .set({ path: `/${id}/` })
        .where('id', '=', id)
        .execute();
      return id;
    },
    async insertAdministrator(tx: Tx, a: { name: string; username: string; passwordHash: string; rootId: number; now: string }) {
      const { id: personId } = await tx
        .insertInto('person')
        .values({ name: a.name, gender: null, post: null, employee_no: null, phone: null, status: 'active', created_at: a.now, updated_at: a.now })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('membership')
        .values({ person_id: personId, unit_id: a.rootId, role_code: 'system_admin', is_primary: 1, created_at: a.now })
        .execute();
      const { id: accountId } = await tx
        .insertInto('account')
        .values({
          person_id: personId,
          username: a.username,
          password_hash: a.passwordHash,
          must_change_password: 0,
          active: 1,
          last_login_at: null,
          created_at: a.now,
          updated_at: a.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { personId, accountId };
    },
  };
}
