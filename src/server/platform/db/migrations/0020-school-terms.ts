import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * School terms (学期, issue 9 §6): a school's calendar names its terms ("2026 秋季学期" from 1 September
 * to 22 January), and rules count in them (家长会 at each term's start and end, 每学期检查一次). Part of
 * the organization's calendar: written by the calendar module only. `updated_at` moves the calendar's
 * fingerprint, so every process rebuilds its cached calendar. Never edit once merged.
 */
export function schoolTerms(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      const table = db.schema.createTable('calendar_term');
      await (dialect === 'postgres'
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('starts_on', 'text', (c) => c.notNull())
        .addColumn('ends_on', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('calendar_term_starts_idx').on('calendar_term').column('starts_on').unique().execute();
    },
  };
}
