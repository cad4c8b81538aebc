import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Policies per unit (issue 9 §8, ADR 0011): a unit may override a policy for itself and everything
 * below it. One row per unit and key; the organization's value stays in `policy`. The rows go with
 * their unit (only an empty unit can be deleted). Never edit once merged.
 */
export function unitPolicies(_dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('policy_unit')
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer')
        .addPrimaryKeyConstraint('policy_unit_pk', ['unit_id', 'key'])
        .execute();
      await db.schema.createIndex('policy_unit_key_idx').on('policy_unit').column('key').execute();
    },
  };
}
