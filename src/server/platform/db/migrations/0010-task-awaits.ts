import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The inbox says what I must do (issue 8, first use 4): each 待办 row records the relational role it
 * waits on (`receiver` 签收, `supervision` 督办 …), so that the list names the task ("待我签收"), not
 * the case's state. Rows written before this have none and are labelled by their state. Never edit
 * once merged.
 */
export function taskAwaits(_dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema.alterTable('case_task').addColumn('awaits', 'text').execute();
    },
  };
}
