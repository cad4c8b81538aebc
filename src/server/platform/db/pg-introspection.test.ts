import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from './database.js';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Migrations on PostgreSQL look only at their own schema. Kysely's stock introspector read every
 * schema's columns, and a table another process dropped meanwhile failed our migration with an error
 * about that other table (seen in full-suite runs: "column "id" of relation "health_probe" does not
 * exist", "relation kysely_migration does not exist").
 */
describe('PostgreSQL migrations beside other schemas that change', () => {
  const ours: string[] = [];
  const other = `churn_${randomBytes(5).toString('hex')}`;
  afterAll(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    for (const s of [...ours, other]) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await c.end();
  });

  it('migrate while another schema keeps creating and dropping tables, and list only their own tables', async () => {
    const churn = new pg.Client({ connectionString: PG_URL });
    await churn.connect();
    await churn.query(`CREATE SCHEMA "${other}"`);
    let stop = false;
    let rounds = 0;
    const churning = (async () => {
      while (!stop) {
        await churn.query(`CREATE TABLE "${other}".health_probe (id serial primary key, at text); DROP TABLE "${other}".health_probe`);
        rounds++;
      }
    })();
    try {
      for (let i = 0; i < 4; i++) {
        const schema = `mig_${randomBytes(5).toString('hex')}`;
        ours.push(schema);
        const db = await openDatabase({ url: PG_URL, pgSchema: schema });
        try {
          await migrate(db);
          const tables = await db.kysely.introspection.getTables({ withInternalKyselyTables: true });
          expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([schema]));
          expect(tables.map((t) => t.name)).toContain('kysely_migration');
        } finally {
          await db.close();
        }
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
    expect(rounds).toBeGreaterThan(10);
  }, 120_000);
});
