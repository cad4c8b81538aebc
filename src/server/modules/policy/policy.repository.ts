import type { Database, Queryable, Tx } from '../../platform/db/database.js';

export function policyRepository(db: Database) {
  return {
    value: async (key: string, q: Queryable = db.kysely) => (await q.selectFrom('policy').select('value').where('key', '=', key).executeTakeFirst())?.value,
    async upsert(tx: Tx, key: string, value: string, now: string, by: number | null) {
      const updated = await tx.updateTable('policy').set({ value, updated_at: now, updated_by: by }).where('key', '=', key).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('policy').values({ key, value, updated_at: now, updated_by: by }).execute();
    },
  };
}
