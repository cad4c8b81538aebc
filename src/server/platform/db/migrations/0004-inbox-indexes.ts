import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Indexes for the 待办 inbox at scale (issue 4, performance; see docs/benchmarks.md). The inbox
 * merges one index-ordered stream of tasks per key (the person, each of their units):
 * - by deadline, with the case id newest first among equal deadlines, for the page;
 * - by case id, for counting distinct cases without sorting them.
 * Both are covering, so neither reads the task rows. They replace 0002's (key, due_at) indexes,
 * which the first pair extends. Never edit once merged.
 */
export function inboxIndexes(_dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema.createIndex('case_task_person_due_idx').on('case_task').columns(['person_id', 'due_at', 'case_id desc']).execute();
      await db.schema.createIndex('case_task_unit_due_idx').on('case_task').columns(['unit_id', 'due_at', 'case_id desc']).execute();
      await db.schema.createIndex('case_task_person_case_idx').on('case_task').columns(['person_id', 'case_id']).execute();
      await db.schema.createIndex('case_task_unit_case_idx').on('case_task').columns(['unit_id', 'case_id']).execute();
      await db.schema.dropIndex('case_task_person_idx').execute();
      await db.schema.dropIndex('case_task_unit_idx').execute();
    },
  };
}
