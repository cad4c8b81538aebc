import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Cases that make cases (issue 9 §4). `parent_case_id`: the case whose transition or expiry created
 * this one (a meeting's resolutions, a verified report's rectification). `merged_into_case_id`: the
 * case this one was merged into (归纳整改), which it follows to its result; `merged_at` when. Both
 * are written in the transaction of the change that makes them, with its audit event. Looked up by
 * parent (the parent's children) and by target (the cases following it when it closes).
 * Never edit once merged.
 */
export function caseLinks(_dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('case_record')
        .addColumn('parent_case_id', 'integer', (c) => c.references('case_record.id'))
        .execute();
      await db.schema
        .alterTable('case_record')
        .addColumn('merged_into_case_id', 'integer', (c) => c.references('case_record.id'))
        .execute();
      await db.schema.alterTable('case_record').addColumn('merged_at', 'text').execute();
      await db.schema.createIndex('case_record_parent_idx').on('case_record').column('parent_case_id').execute();
      await db.schema.createIndex('case_record_merged_into_idx').on('case_record').column('merged_into_case_id').execute();
    },
  };
}
