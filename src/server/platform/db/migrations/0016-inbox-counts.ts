import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * The 待办 total without a recount (issue 9, performance): per holder of tasks (a person `p:<id>` or a
 * unit `u:<id>`), the number of cases it holds a task on, kept in the transaction that rewrites the
 * case's tasks. A person's total is the sum over their own key and their units' keys, less the cases
 * held under two of those keys at once; `case_task_pair` lists, for each case with tasks under
 * several holders, every pair of them (rare: one case asks two of my units, or me and my unit). Both
 * are filled here from the tasks already written. Never edit once merged.
 */
export function inboxCounts(_dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('case_task_count')
        .addColumn('holder', 'text', (c) => c.primaryKey())
        .addColumn('open_cases', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('case_task_pair')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('holder_a', 'text', (c) => c.notNull())
        .addColumn('holder_b', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_task_pair_pk', ['holder_a', 'holder_b', 'case_id'])
        .execute();
      await db.schema.createIndex('case_task_pair_case_idx').on('case_task_pair').column('case_id').execute();
      await rebuildInboxCounts(db);
    },
  };
}

const HOLDERS = `(SELECT DISTINCT case_id, CASE WHEN person_id IS NOT NULL THEN 'p:' || person_id ELSE 'u:' || unit_id END AS holder FROM case_task)`;

/**
 * The counts and pairs computed from the tasks as they stand, as plain SQL for both databases: the
 * migration's fill, and the benchmark's prefill (which writes tasks directly) runs it too.
 */
export const REBUILD_INBOX_COUNTS = [
  'DELETE FROM case_task_pair',
  'DELETE FROM case_task_count',
  `INSERT INTO case_task_count (holder, open_cases) SELECT h.holder, count(*) FROM ${HOLDERS} h GROUP BY h.holder`,
  `INSERT INTO case_task_pair (case_id, holder_a, holder_b) SELECT a.case_id, a.holder, b.holder FROM ${HOLDERS} a JOIN ${HOLDERS} b ON b.case_id = a.case_id AND a.holder < b.holder`,
];

// biome-ignore lint/suspicious/noExplicitAny: runs against the migration's schema as well as today's
export async function rebuildInboxCounts(db: Kysely<any>) {
  for (const q of REBUILD_INBOX_COUNTS) await sql.raw(q).execute(db);
}
