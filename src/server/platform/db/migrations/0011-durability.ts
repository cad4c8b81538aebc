import { type Kysely, type Migration, sql } from 'kysely';
import type { DialectName } from '../database.js';

/**
 * Issue 8, durability (ADR 0008):
 * - `audit_head`: one row holding the audit chain's head (the last event's seq and hash), moved in
 *   the transaction that appends events. A cut tail no longer leaves a chain that verifies: the
 *   head names events that are gone. Triggers refuse deleting the row and moving it backwards.
 * - `health_probe`: one row `/api/health` writes, so that health is a real write, not `select 1`.
 * Never edit once merged.
 */
export function durability(dialect: DialectName): Migration {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not today's types
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      // An existing chain is anchored where it stands today.
      await sql`INSERT INTO audit_head (id, seq, hash)
        SELECT 1, COALESCE(MAX(seq), 0), COALESCE((SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1), ${'0'.repeat(64)}) FROM audit_event`.execute(db);
      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'UPDATE' AND NEW.seq >= OLD.seq THEN RETURN NEW; END IF;
            RAISE EXCEPTION 'audit_head only moves forward';
          END $$`.execute(db);
        await sql`CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
          FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()`.execute(db);
        await sql`CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
          FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only()`.execute(db);
      } else {
        await sql`CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq
          BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END`.execute(db);
        await sql`CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
          BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END`.execute(db);
      }

      await db.schema
        .createTable('health_probe')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await sql`INSERT INTO health_probe (id, at) VALUES (1, '')`.execute(db);
    },
  };
}
