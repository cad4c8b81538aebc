import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.js';

/** Case engine (issue 4): cases and their parts, clocks, timeline, inbox tasks, notifications, assessment ledger. */
export function cases(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      // biome-ignore lint/suspicious/noExplicitAny: any table under construction
      const idCol = (b: CreateTableBuilder<any, any>) =>
        dialect === 'postgres' ? b.addColumn('id', 'serial', (c) => c.primaryKey()) : b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

      await db.schema
        .createTable('case_counter')
        .addColumn('type_code', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_counter_pk', ['type_code', 'year'])
        .execute();

      await idCol(db.schema.createTable('case_record'))
        .addColumn('type_code', 'text', (c) => c.notNull())
        .addColumn('type_version', 'integer', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('fields_json', 'text', (c) => c.notNull())
        .addColumn('initiator_unit_id', 'integer', (c) => c.notNull().references('unit.id'))
        .addColumn('drafter_person_id', 'integer', (c) => c.notNull().references('person.id'))
        .addColumn('signing_leader_person_id', 'integer', (c) => c.references('person.id'))
        .addColumn('due_date', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .execute();
      await db.schema.createIndex('case_type_state_idx').on('case_record').columns(['type_code', 'state']).execute();
      await db.schema.createIndex('case_initiator_idx').on('case_record').columns(['initiator_unit_id', 'created_at']).execute();
      await db.schema.createIndex('case_drafter_idx').on('case_record').columns(['drafter_person_id', 'created_at']).execute();

      await idCol(db.schema.createTable('case_part'))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('handler_person_id', 'integer', (c) => c.references('person.id'))
        .addColumn('due_date', 'text')
        .addColumn('requested_due_date', 'text')
        .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('supervised', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_part_case_idx').on('case_part').column('case_id').execute();
      await db.schema.createIndex('case_part_unit_idx').on('case_part').columns(['unit_id', 'case_id']).execute();

      await idCol(db.schema.createTable('case_clock'))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('part_id', 'integer', (c) => c.references('case_part.id'))
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('remind_at', 'text')
        .addColumn('reminded_at', 'text')
        .addColumn('stopped_at', 'text')
        .addColumn('fired_at', 'text')
        .addColumn('outcome', 'text')
        .addColumn('explanation_json', 'text', (c) => c.notNull())
        .addColumn('flags_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_clock_case_idx').on('case_clock').column('case_id').execute();
      // The sweep reads only what is due: its cost follows the due items, not all open cases (issue 4).
      await sql`CREATE INDEX case_clock_due_idx ON case_clock (due_at) WHERE fired_at IS NULL AND stopped_at IS NULL`.execute(db);
      await sql`CREATE INDEX case_clock_remind_idx ON case_clock (remind_at)
        WHERE remind_at IS NOT NULL AND reminded_at IS NULL AND fired_at IS NULL AND stopped_at IS NULL`.execute(db);

      // 待办: who must act on which case now, kept in step with every transition.
      await idCol(db.schema.createTable('case_task'))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('part_id', 'integer')
        .addColumn('person_id', 'integer')
        .addColumn('unit_id', 'integer')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_task_person_idx').on('case_task').columns(['person_id', 'due_at']).execute();
      await db.schema.createIndex('case_task_unit_idx').on('case_task').columns(['unit_id', 'due_at']).execute();
      await db.schema.createIndex('case_task_case_idx').on('case_task').column('case_id').execute();

      await idCol(db.schema.createTable('case_event'))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('part_id', 'integer')
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_person_id', 'integer')
        .addColumn('actor_name', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text')
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('data_json', 'text')
        .execute();
      await db.schema.createIndex('case_event_case_idx').on('case_event').columns(['case_id', 'id']).execute();

      // People who follow a case without a role in it (抄送/关注); anyone who acted follows it too.
      await db.schema
        .createTable('case_watch')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_watch_pk', ['case_id', 'person_id'])
        .execute();
      await db.schema.createIndex('case_watch_person_idx').on('case_watch').columns(['person_id', 'case_id']).execute();

      await db.schema
        .createTable('case_link')
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('other_case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addPrimaryKeyConstraint('case_link_pk', ['case_id', 'other_case_id'])
        .execute();

      await idCol(db.schema.createTable('case_attachment'))
        .addColumn('case_id', 'integer', (c) => c.notNull().references('case_record.id'))
        .addColumn('part_id', 'integer')
        .addColumn('event_id', 'integer')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('uploaded_by', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_attachment_case_idx').on('case_attachment').column('case_id').execute();

      await idCol(db.schema.createTable('notification'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
        .addColumn('case_id', 'integer')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('params_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .execute();
      await db.schema.createIndex('notification_person_idx').on('notification').columns(['person_id', 'id']).execute();

      // Later channels (e-mail, 企业微信/钉钉/飞书) consume this table; rows are written in the same transaction.
      await idCol(db.schema.createTable('outbox'))
        .addColumn('notification_id', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`CREATE INDEX outbox_pending_idx ON outbox (id) WHERE delivered_at IS NULL`.execute(db);

      // The assessment ledger (台账) every module feeds (DOMAIN.md §9).
      await idCol(db.schema.createTable('assessment'))
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('source_type', 'text', (c) => c.notNull())
        .addColumn('source_id', 'integer', (c) => c.notNull())
        .addColumn('source_part_id', 'integer')
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('subject_unit_id', 'integer', (c) => c.references('unit.id'))
        .addColumn('subject_person_id', 'integer', (c) => c.references('person.id'))
        // Who proposes, who rules: copied from the source at proposal so the ledger stands on its own.
        .addColumn('proposer_unit_id', 'integer', (c) => c.references('unit.id'))
        .addColumn('proposer_person_id', 'integer', (c) => c.references('person.id'))
        .addColumn('judge_person_id', 'integer', (c) => c.references('person.id'))
        .addColumn('points', 'real', (c) => c.notNull())
        .addColumn('money', 'real', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('proposed_at', 'text', (c) => c.notNull())
        .addColumn('confirmed_at', 'text')
        .addColumn('confirmed_by', 'integer')
        .addColumn('appeal_due_at', 'text')
        .addColumn('appeal_reason', 'text')
        .addColumn('appealed_at', 'text')
        .addColumn('ruling', 'text')
        .addColumn('ruling_reason', 'text')
        .addColumn('ruled_by', 'integer')
        .addColumn('ruled_at', 'text')
        .addColumn('final_at', 'text')
        .execute();
      await db.schema.createIndex('assessment_period_idx').on('assessment').columns(['period', 'state']).execute();
      await db.schema.createIndex('assessment_source_idx').on('assessment').columns(['source_type', 'source_id']).execute();
      await db.schema.createIndex('assessment_subject_idx').on('assessment').columns(['subject_unit_id', 'period']).execute();

      // New permissions for roles that exist already (installations set up before this migration).
      const grants: [string, string][] = [
        ['system_admin', 'case.read'],
        ['system_admin', 'assessment.read'],
        ['office', 'case.read'],
        ['office', 'assessment.read'],
        ['leader', 'case.read'],
        ['leader', 'assessment.read'],
        ['supervision', 'case.read'],
        ['hr', 'assessment.read'],
        ['system_admin', 'policy.manage'],
        ['office', 'policy.manage'],
      ];
      const roles = new Set((await db.selectFrom('role').select('code').execute()).map((r: { code: string }) => r.code));
      const rows = grants.filter(([role]) => roles.has(role)).map(([role_code, permission]) => ({ role_code, permission }));
      if (rows.length)
        await db
          .insertInto('role_permission')
          .values(rows)
          .onConflict((oc) => oc.doNothing())
          .execute();
    },
  };
}
