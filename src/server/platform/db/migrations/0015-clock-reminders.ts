import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * A clock can have several reminders (issue 9 §3). The earliest stays on the clock row
 * (`case_clock.remind_at`, as before); each later one is a row here, sent once: the sweep claims it
 * with `UPDATE … WHERE reminded_at IS NULL` under the case's row lock. Rows of a clock that stops or
 * runs out before they are due are deleted with it, so the sweep reads only what is due.
 * Never edit once merged.
 */
export function clockReminders(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      const table = db.schema.createTable('case_clock_reminder');
      await (dialect === 'postgres'
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('clock_id', 'integer', (c) => c.notNull().references('case_clock.id'))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('remind_at', 'text', (c) => c.notNull())
        .addColumn('reminded_at', 'text')
        .execute();
      await db.schema.createIndex('case_clock_reminder_clock_idx').on('case_clock_reminder').column('clock_id').execute();
      await sql`CREATE INDEX case_clock_reminder_due_idx ON case_clock_reminder (remind_at) WHERE reminded_at IS NULL`.execute(db);
    },
  };
}
