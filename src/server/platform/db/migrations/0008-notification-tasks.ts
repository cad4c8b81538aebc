import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The bell clears itself (issue 8, first use 1). A notification may ask its reader to do something:
 * it then names the task it asked for (the part, and `awaits:state` — the role the case waits on and
 * the state it waits in), and becomes read for everyone it went to once that task is done. A
 * notification about an assessment names it, so it opens the ledger entry. Never edit once merged.
 */
export function notificationTasks(_dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema.alterTable('notification').addColumn('part_id', 'integer').execute();
      await db.schema.alterTable('notification').addColumn('task', 'text').execute();
      await db.schema.alterTable('notification').addColumn('assessment_id', 'integer').execute();
      await db.schema.createIndex('notification_case_idx').on('notification').columns(['case_id', 'read_at']).execute();
      await db.schema.createIndex('notification_assessment_idx').on('notification').columns(['assessment_id', 'read_at']).execute();
    },
  };
}
