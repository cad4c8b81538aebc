import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.js';

/** Foundation schema: organization, org tree, people, access, calendar, audit. Never edit once merged. */
export function foundation(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      // biome-ignore lint/suspicious/noExplicitAny: any table under construction
      const idCol = (b: CreateTableBuilder<any, any>) =>
        dialect === 'postgres' ? b.addColumn('id', 'serial', (c) => c.primaryKey()) : b.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

      await db.schema
        .createTable('organization')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('policy')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'integer')
        .execute();

      await db.schema
        .createTable('unit_type')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await idCol(db.schema.createTable('unit'))
        .addColumn('parent_id', 'integer', (c) => c.references('unit.id'))
        .addColumn('type_code', 'text', (c) => c.notNull().references('unit_type.code'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('depth', 'integer', (c) => c.notNull())
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('unit_parent_idx').on('unit').column('parent_id').execute();
      await db.schema.createIndex('unit_path_idx').on('unit').column('path').execute();

      await idCol(db.schema.createTable('person'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('gender', 'text')
        .addColumn('post', 'text')
        .addColumn('employee_no', 'text', (c) => c.unique())
        .addColumn('phone', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('person_name_idx').on('person').column('name').execute();

      await db.schema
        .createTable('role')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('chain_rank', 'integer')
        .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable('role_permission')
        .addColumn('role_code', 'text', (c) => c.notNull().references('role.code'))
        .addColumn('permission', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('role_permission_pk', ['role_code', 'permission'])
        .execute();

      await idCol(db.schema.createTable('membership'))
        .addColumn('person_id', 'integer', (c) => c.notNull().references('person.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('unit.id'))
        .addColumn('role_code', 'text', (c) => c.notNull().references('role.code'))
        .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('membership_unique', ['person_id', 'unit_id', 'role_code'])
        .execute();
      await db.schema.createIndex('membership_unit_idx').on('membership').column('unit_id').execute();

      await idCol(db.schema.createTable('account'))
        .addColumn('person_id', 'integer', (c) => c.notNull().unique().references('person.id'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('last_login_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('session')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute();
      await db.schema.createIndex('session_account_idx').on('session').column('account_id').execute();

      await idCol(db.schema.createTable('api_token'))
        .addColumn('account_id', 'integer', (c) => c.notNull().references('account.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('calendar_day')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('calendar_day_pk', ['date', 'source'])
        .execute();

      await db.schema
        .createTable('calendar_year')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('loaded_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_event')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_account_id', 'integer')
        .addColumn('actor_name', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'integer')
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .addColumn('request_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_entity_idx').on('audit_event').columns(['entity_type', 'entity_id']).execute();
      await db.schema.createIndex('audit_at_idx').on('audit_event').column('at').execute();

      // The audit log is append-only in the database itself, not just by convention (ADR 0003).
      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$`.execute(db);
        await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
          FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`.execute(db);
        await sql`CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
          FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()`.execute(db);
      } else {
        await sql`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
          BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
          BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`.execute(db);
      }
    },
  };
}
