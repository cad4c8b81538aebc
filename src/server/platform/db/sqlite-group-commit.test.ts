import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.js';

/** Group commit on SQLite (ADR 0007): many transactions, one fsync, and nobody told "done" too early. */
describe('SQLite group commit', () => {
  let dir: string;
  let db: Database;
  afterEach(async () => {
    await db?.close().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-group-'));
    const file = path.join(dir, 'g.db');
    db = await openDatabase({ sqliteFile: file });
    await sql`create table t (id integer primary key, v text not null)`.execute(db.kysely);
    // A second connection, as another process would see the file: only committed rows.
    const outside = new SqliteDatabase(file, { readonly: true });
    const committed = () => (outside.prepare('select v from t order by id').all() as { v: string }[]).map((r) => r.v);
    return { committed, closeOutside: () => outside.close() };
  }

  const insert = (v: string) => db.kysely.transaction().execute((tx) => sql`insert into t (v) values (${v})`.execute(tx));

  it('commits transactions that arrive together once, and answers none of them before that commit', async () => {
    const { committed, closeOutside } = await open();
    const before = { ...db.groupCommit };
    const seenAtAnswer: string[][] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        insert(`row ${i}`).then(() => {
          seenAtAnswer.push(committed());
        }),
      ),
    );
    expect((db.groupCommit?.transactions ?? 0) - (before.transactions ?? 0)).toBe(20);
    expect((db.groupCommit?.commits ?? 0) - (before.commits ?? 0)).toBe(1);
    // Every transaction's promise settled after all 20 rows were on disk, visible to another connection.
    for (const rows of seenAtAnswer) expect(rows).toHaveLength(20);
    closeOutside();
  });

  it('waits its turn while another process holds the write lock longer than busy_timeout, instead of failing with "database is locked"', async () => {
    const { committed, closeOutside } = await open();
    // busy_timeout is 5 s in production; here 20 ms, so that the other process holds the lock far longer.
    await sql`pragma busy_timeout = 20`.execute(db.kysely);
    const other = new SqliteDatabase(path.join(dir, 'g.db'));
    other.pragma('busy_timeout = 0');
    other.prepare('begin immediate').run();
    other.prepare("insert into t (v) values ('other process')").run();
    const started = Date.now();
    setTimeout(() => other.prepare('commit').run(), 400);
    await insert('ours');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(committed()).toEqual(['other process', 'ours']);
    other.close();
    closeOutside();
  });

  it('rolls back a failing transaction alone; the others of its group are committed', async () => {
    const { committed, closeOutside } = await open();
    const results = await Promise.allSettled([
      insert('first'),
      db.kysely.transaction().execute(async (tx) => {
        await sql`insert into t (v) values ('second')`.execute(tx);
        throw new Error('refused');
      }),
      insert('third'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committed()).toEqual(['first', 'third']);
    closeOutside();
  });

  it('fails every transaction of a group that SQLite rolled back, keeps none of its rows, and goes on with the next group', async () => {
    const { committed, closeOutside } = await open();
    const results = await Promise.allSettled([
      insert('first'),
      db.kysely.transaction().execute(async (tx) => {
        await sql`insert into t (v) values ('second')`.execute(tx);
        // What a full disk or an I/O error does: SQLite ends the whole transaction, earlier savepoints included.
        await sql`rollback`.execute(tx);
        throw new Error('disk full');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(committed()).toEqual([]);
    await insert('after');
    expect(committed()).toEqual(['after']);
    closeOutside();
  });

  it('commits an open group when the database is closed', async () => {
    await open();
    const file = path.join(dir, 'g.db');
    const pending = insert('last');
    await db.close();
    await pending;
    const again = new SqliteDatabase(file, { readonly: true });
    expect(again.prepare('select v from t').all()).toEqual([{ v: 'last' }]);
    again.close();
  });

  it('answers a write outside a transaction that ran inside an open group only after that group commits', async () => {
    const { committed, closeOutside } = await open();
    let seen: string[] = [];
    await Promise.all([
      insert('in a transaction'),
      sql`insert into t (v) values ('on its own')`.execute(db.kysely).then(() => {
        seen = committed();
      }),
    ]);
    expect(seen).toEqual(['in a transaction', 'on its own']);
    closeOutside();
  });

  it('lets a query outside a transaction run while a group waits for its commit', async () => {
    const { closeOutside } = await open();
    const write = insert('x');
    // Queued behind the write, ahead of the commit: it sees the group's row.
    const read = sql<{ n: number }>`select count(*) as n from t`.execute(db.kysely);
    const [, r] = await Promise.all([write, read]);
    expect(r.rows[0]?.n).toBe(1);
    closeOutside();
  });
});
