import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Issue 9 §7, the ledger scores (ADR 0012):
 * - every entry is a credit or a debit (`direction`) in exact amounts: points in hundredths
 *   (`points_centi`) and money in fen (`money_fen`), integers; the old `points`/`money` REAL columns
 *   are copied over (rounded to the cent) and dropped;
 * - a subject is a unit or a person; `scope_unit_id` is the unit whose subtree the entry is filed
 *   under (who may read it), the subject unit itself or the unit the person was assessed in;
 * - `assessment_event`: one event fans out into several entries (`event_id`), with the reason of a
 *   manual entry (`reason`);
 * - `assessment_period`: a month is open or closed; reopening names a reason.
 * Never edit once merged.
 */
export function ledger(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      // biome-ignore lint/suspicious/noExplicitAny: any table under construction
      const idCol = (b: CreateTableBuilder<any, any>) =>
        dialect === 'postgres' ? b.addColumn('id', 'serial', (c) => c.primaryKey()) : b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

      await idCol(db.schema.createTable('assessment_event'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('source_type', 'text', (c) => c.notNull())
        .addColumn('source_id', 'integer')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('person.id'))
        .execute();

      await db.schema
        .createTable('assessment_period')
        .addColumn('period', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('closed_at', 'text')
        .addColumn('closed_by', 'integer')
        .addColumn('reopened_at', 'text')
        .addColumn('reopened_by', 'integer')
        .addColumn('reopen_reason', 'text')
        .execute();

      const add = (name: string, type: 'text' | 'integer', notNullDefault?: string | number) =>
        db.schema
          .alterTable('assessment')
          .addColumn(name, type, (c) => (notNullDefault === undefined ? c : c.notNull().defaultTo(notNullDefault)))
          .execute();
      await add('direction', 'text', 'debit');
      await add('points_centi', 'integer', 0);
      await add('money_fen', 'integer', 0);
      await add('scope_unit_id', 'integer');
      await add('event_id', 'integer');
      await add('reason', 'text');
      await sql`UPDATE assessment SET points_centi = CAST(ROUND(points * 100) AS INTEGER), money_fen = CAST(ROUND(money * 100) AS INTEGER),
        scope_unit_id = subject_unit_id`.execute(db);
      await db.schema.alterTable('assessment').dropColumn('points').execute();
      await db.schema.alterTable('assessment').dropColumn('money').execute();
      await db.schema.createIndex('assessment_event_idx').on('assessment').column('event_id').execute();
      await db.schema.createIndex('assessment_person_idx').on('assessment').columns(['subject_person_id', 'period']).execute();

      // The office enters and closes; existing installations get the new permission where it belongs.
      const grants: [string, string][] = [
        ['system_admin', 'assessment.manage'],
        ['office', 'assessment.manage'],
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
