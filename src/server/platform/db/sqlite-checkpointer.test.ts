import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.js';

let dir: string;
let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('copies the WAL into the database file from its own thread, while the server connection never checkpoints below its safety threshold', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-ckpt-'));
  const file = path.join(dir, 'c.db');
  db = await openDatabase({ sqliteFile: file });
  const threshold = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db.kysely);
  expect(threshold.rows[0]?.wal_autocheckpoint).toBe(20_000);
  await sql`create table t (id integer primary key, v blob not null)`.execute(db.kysely);
  const before = fs.statSync(file).size;
  // About 3,000 pages: far below the server connection's threshold, so only a checkpoint from
  // elsewhere writes them into the database file (SQLite writes that file only when checkpointing).
  for (let i = 0; i < 300; i++) {
    await db.kysely.transaction().execute(async (tx) => {
      for (let j = 0; j < 10; j++) await sql`insert into t (v) values (${Buffer.alloc(3000, i)})`.execute(tx);
    });
  }
  const deadline = Date.now() + 5000;
  while (fs.statSync(file).size < before + 8_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(fs.statSync(file).size).toBeGreaterThan(before + 8_000_000);
});
