import type { Database } from '../../platform/db/database.js';

export function systemRepository(db: Database) {
  return {
    /** Reads pages of real tables, not `select 1`: the organization and the audit chain's head. */
    async read(): Promise<void> {
      await db.kysely.selectFrom('organization').select(['id', 'name']).execute();
      const head = await db.kysely.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
      if (!head) throw new Error('audit_head row missing');
    },
    /** A committed write of one row: the database takes writes and makes them durable. */
    async write(at: string): Promise<void> {
      const r = await db.kysely.transaction().execute((tx) => tx.updateTable('health_probe').set({ at }).where('id', '=', 1).executeTakeFirst());
      if (Number(r.numUpdatedRows) !== 1) throw new Error('health_probe row missing');
    },
  };
}
