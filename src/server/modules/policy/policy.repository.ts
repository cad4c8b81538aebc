import type { Database, Queryable, Tx } from '../../platform/db/database.js';

export function policyRepository(db: Database) {
  return {
    value: async (key: string, q: Queryable = db.kysely) => (await q.selectFrom('policy').select('value').where('key', '=', key).executeTakeFirst())?.value,
    /** Several stored values in one read. */
    async values(keys: readonly string[], q: Queryable = db.kysely): Promise<Map<string, string>> {
      if (!keys.length) return new Map();
      const rows = await q.selectFrom('policy').select(['key', 'value']).where('key', 'in', keys).execute();
      return new Map(rows.map((r) => [r.key, r.value]));
    },
    async upsert(tx: Tx, key: string, value: string, now: string, by: number | null) {
      const updated = await tx.updateTable('policy').set({ value, updated_at: now, updated_by: by }).where('key', '=', key).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('policy').values({ key, value, updated_at: now, updated_by: by }).execute();
    },
  };
}
