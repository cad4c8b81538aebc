import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Issue 9 §6, the scheduler's durable half (ADR 0010), owned by `modules/schedule`:
 * - `schedule_series`: a recurring series (a rule from contracts/schedule.ts) of a module's job kind;
 *   only its next occurrence exists, as one `job` row.
 * - `job`: one unit of due work for a kind's handler. `key` is unique per kind (enqueueing twice is a
 *   no-op); `state` pending → running (claimed by a process until `claimed_until`, its lease) → done,
 *   or back to pending after a failure, or failed after too many. The sweep reads only due rows
 *   through (state, due_at). Not tied to an organization.
 * Never edit once merged.
 */
export function jobs(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      // biome-ignore lint/suspicious/noExplicitAny: any table under construction
      const idCol = (b: CreateTableBuilder<any, any>) =>
        dialect === 'postgres' ? b.addColumn('id', 'serial', (c) => c.primaryKey()) : b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await idCol(db.schema.createTable('schedule_series'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('rule_json', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .addUniqueConstraint('schedule_series_kind_key', ['kind', 'key'])
        .execute();
      await idCol(db.schema.createTable('job'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('series_id', 'integer', (c) => c.references('schedule_series.id'))
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state IN ('pending', 'running', 'done', 'failed')`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('done_at', 'text')
        .addUniqueConstraint('job_kind_key', ['kind', 'key'])
        .execute();
      // The sweep: pending rows by due time, and the few running rows whose lease may have run out.
      await db.schema.createIndex('job_state_due_idx').on('job').columns(['state', 'due_at']).execute();
      await db.schema.createIndex('job_series_idx').on('job').column('series_id').execute();
    },
  };
}
