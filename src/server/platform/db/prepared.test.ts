import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DialectName, openDatabase, type Queryable } from './database.js';
import { preparedQuery } from './prepared.js';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Db = Kysely<{ thing: { id: number; kind: string; size: number } }>;

describe.each<DialectName>(['sqlite', 'postgres'])('a query compiled once per shape, on %s', (dialect) => {
  let db: Database;
  let k: Db;
  const pgSchema = `prepared_test_${randomBytes(5).toString('hex')}`;
  const asQueryable = (x: unknown) => x as Queryable;

  beforeAll(async () => {
    db = dialect === 'postgres' ? await openDatabase({ url: PG_URL, pgSchema }) : await openDatabase({ sqliteFile: ':memory:' });
    k = db.kysely as unknown as Db;
    await k.schema
      .createTable('thing')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .execute();
    await k
      .insertInto('thing')
      .values([1, 2, 3, 4, 5, 6].map((id) => ({ id, kind: id % 2 ? 'odd' : 'even', size: id * 10 })))
      .execute();
  });

  afterAll(async () => {
    if (!db) return;
    if (dialect === 'postgres') await sql`DROP SCHEMA ${sql.id(pgSchema)} CASCADE`.execute(db.kysely);
    await db.close();
  });

  const things = () =>
    preparedQuery((a: { ids: number[]; kind: string; big: boolean; min: number }) => {
      const q = k.selectFrom('thing').select(['id', 'size']).where('id', 'in', a.ids).where('kind', '=', a.kind).orderBy('id');
      return a.big ? q.where('size', '>=', a.min) : q;
    });

  it("answers each call with that call's values, for lists of any length, as the query built afresh would", async () => {
    const query = things();
    const built = (ids: number[], kind: string, big: boolean, min: number) => {
      const q = k.selectFrom('thing').select(['id', 'size']).where('id', 'in', ids).where('kind', '=', kind).orderBy('id');
      return (big ? q.where('size', '>=', min) : q).execute();
    };
    const calls: [number[], string, boolean, number][] = [
      [[1, 2, 3], 'odd', false, 0],
      [[4, 5, 6], 'even', false, 0],
      [[1, 3, 5, 6], 'odd', true, 30],
      [[2, 4, 6, 1], 'even', true, 50],
      [[6], 'even', false, 0],
      [[1, 2, 3], 'even', true, 0],
    ];
    for (const [ids, kind, big, min] of calls) {
      expect(await query(asQueryable(k), { ids, kind, big, min })).toEqual(await built(ids, kind, big, min));
    }
  });

  it('runs on the transaction it is given: sees its writes, and nothing of them after a rollback', async () => {
    const query = things();
    await expect(
      k.transaction().execute(async (tx) => {
        await tx.insertInto('thing').values({ id: 7, kind: 'odd', size: 70 }).execute();
        expect(await query(asQueryable(tx), { ids: [7], kind: 'odd', big: false, min: 0 })).toEqual([{ id: 7, size: 70 }]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await query(asQueryable(k), { ids: [7], kind: 'odd', big: false, min: 0 })).toEqual([]);
  });
});
