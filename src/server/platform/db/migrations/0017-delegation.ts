import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * 委托代理 (issue 9 §2): a person hands their roles to a named deputy for a period. A delegation is
 * in force while `valid_from <= now < valid_until` and `revoked_at` is null: it ends by itself, no job
 * writes its end. Looked up by deputy (each action, each inbox read) and by principal (overlaps).
 * Never edit once merged.
 */
export function delegation(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      const table = db.schema.createTable('delegation');
      await (dialect === 'postgres'
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('principal_person_id', 'integer', (c) => c.notNull().references('person.id'))
        .addColumn('deputy_person_id', 'integer', (c) => c.notNull().references('person.id'))
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_by_person_id', 'integer', (c) => c.notNull().references('person.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_by_person_id', 'integer', (c) => c.references('person.id'))
        .execute();
      await db.schema.createIndex('delegation_deputy_idx').on('delegation').columns(['deputy_person_id', 'valid_until']).execute();
      await db.schema.createIndex('delegation_principal_idx').on('delegation').columns(['principal_person_id', 'valid_until']).execute();
    },
  };
}
