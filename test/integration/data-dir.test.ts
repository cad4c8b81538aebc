import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, startTestApp, TEST_DB, type TestApp } from '../support/harness.js';
import { spawnTsx, startServer, stopChild } from '../support/server-process.js';
import { disposeStore, newStore, type Store, storeEnv } from '../support/stored-org.js';

/**
 * Issue 8, security 8: a damaged database is never a fresh install. A 0-byte liaison.db used to
 * open the unauthenticated setup page, a corrupt one reported healthy: now the server refuses to
 * start with one line naming the path, and /api/health reads and writes for real.
 */

/** Starts src/server/main.ts on `dataDir`; resolves with its exit code and output, or 'listening' if it served. */
async function startOn(env: Record<string, string>): Promise<{ code: number | string; out: string }> {
  const child = spawnTsx('src/server/main.ts', [], { HOST: '127.0.0.1', PORT: '0', LIAISON_SERVE_WEB: '0', LIAISON_SWEEP_INTERVAL_MS: '0', ...env });
  const listening = child.waitFor(/Server listening at/, 60_000).then(
    () => 'listening' as const,
    () => 'exited' as const,
  );
  const how = await Promise.race([listening, child.exited.then(() => 'exited' as const)]);
  if (how === 'listening') await stopChild(child, 'SIGKILL');
  await child.exited;
  return { code: how === 'listening' ? 'listening' : await child.exited, out: child.output().trim() };
}

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-datadir-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const sqliteEnv = (dir: string) => ({ LIAISON_DATA_DIR: dir, DATABASE_URL: '' });

// SQLite's own file: these do not arise on PostgreSQL, whose files the database server keeps.
if (TEST_DB === 'sqlite')
  describe('a damaged SQLite data directory stops the server with one line naming the path', () => {
    const cases: { name: string; prepare: (dir: string) => void; says: RegExp }[] = [
      { name: 'a 0-byte liaison.db', prepare: (d) => fs.writeFileSync(path.join(d, 'liaison.db'), ''), says: /0 字节/ },
      {
        name: 'a file that is not a database',
        prepare: (d) => fs.writeFileSync(path.join(d, 'liaison.db'), '这不是数据库 not a database\n'.repeat(200)),
        says: /is not a database/,
      },
      {
        name: 'a database whose pages are overwritten',
        prepare: (d) => {
          const f = path.join(d, 'liaison.db');
          const db = new Sqlite(f);
          db.exec('create table kysely_migration (name text primary key, timestamp text); create table t (x); insert into t values (1)');
          db.close();
          // Keep SQLite's header, destroy the schema page after it.
          const bytes = fs.readFileSync(f);
          bytes.fill(0xa5, 100);
          fs.writeFileSync(f, bytes);
        },
        says: /damaged/,
      },
      {
        name: "another program's SQLite database",
        prepare: (d) => {
          const db = new Sqlite(path.join(d, 'liaison.db'));
          db.exec('create table contacts (name text)');
          db.close();
        },
        says: /not a Liaison database/,
      },
      {
        name: 'no liaison.db, but the anchor of an audit chain that was there',
        prepare: (d) => fs.writeFileSync(path.join(d, 'audit-anchor.json'), JSON.stringify({ audit: { seq: 12, hash: 'a'.repeat(64), at: '' } })),
        says: /is missing/,
      },
    ];

    it.each(cases)(
      '$name',
      async ({ prepare, says }) => {
        const dir = tempDir();
        prepare(dir);
        const before = fs.readdirSync(dir).sort();
        const { code, out } = await startOn(sqliteEnv(dir));
        expect(code, out).toBe(1);
        expect(out.split('\n'), out).toHaveLength(1);
        expect(out).toContain(dir);
        expect(out).toMatch(says);
        // Nothing was created or repaired on the way out.
        expect(fs.readdirSync(dir).sort()).toEqual(before);
      },
      90_000,
    );
  });

describe(`a data directory on ${TEST_DB} the server cannot write`, () => {
  it('stops the server with one line naming it (the attachments live there on either database)', async () => {
    // Read-only even for root (file permission bits are not, which is why the server writes a probe).
    const env = TEST_DB === 'postgres' ? { ...storeEnv(newStore('postgres')), LIAISON_DATA_DIR: '/sys' } : sqliteEnv('/sys');
    const { code, out } = await startOn(env);
    expect(code, out).toBe(1);
    expect(out.split('\n'), out).toHaveLength(1);
    expect(out).toMatch(/not writable: \/sys /);
  }, 90_000);
});

describe(`an emptied or replaced database on ${TEST_DB} is not a fresh install`, () => {
  let store: Store;
  beforeAll(() => {
    store = newStore(TEST_DB);
  });
  afterAll(() => disposeStore(store));

  it('refuses to start when the data directory remembers an audit chain the database does not hold', async () => {
    // A database the server created itself (Liaison's tables, nothing in them), or a fresh PostgreSQL schema…
    if (TEST_DB === 'sqlite') await stopChild(await startServer(storeEnv(store)));
    // …in a data directory whose anchor remembers 40 audit events.
    fs.writeFileSync(path.join(store.dataDir, 'audit-anchor.json'), JSON.stringify({ audit: { seq: 40, hash: 'b'.repeat(64), at: '' } }));
    const { code, out } = await startOn(storeEnv(store));
    expect(code, out).toBe(1);
    expect(out.split('\n'), out).toHaveLength(1);
    expect(out).toContain(path.join(store.dataDir, 'audit-anchor.json'));
    expect(out).toMatch(/holds no audit events/);
  }, 120_000);
});

describe(`health on ${TEST_DB} reads and writes the database for real`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  const health = async () => {
    // Writes are probed at most once a second.
    await new Promise((r) => setTimeout(r, 1100));
    return anonymous(t).get('/api/health');
  };

  it('reports ok while it can', async () => {
    const res = await health();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: expect.any(String), database: { dialect: TEST_DB, reachable: true, writable: true } });
  });

  it('reports degraded (503) when the database refuses writes', async () => {
    const k = t.services.db.kysely;
    if (TEST_DB === 'postgres') {
      await sql`create function refuse_writes() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(k);
      await sql`create trigger refuse_writes before update on health_probe for each row execute function refuse_writes()`.execute(k);
    } else await sql`create trigger refuse_writes before update on health_probe begin select raise(abort, 'disk full'); end`.execute(k);
    try {
      const res = await health();
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', database: { reachable: true, writable: false } });
    } finally {
      await sql`drop trigger refuse_writes${sql.raw(TEST_DB === 'postgres' ? ' on health_probe' : '')}`.execute(k);
    }
    expect((await health()).statusCode).toBe(200);
  });

  it('reports degraded (503) when the tables cannot be read', async () => {
    const k = t.services.db.kysely;
    await sql`alter table organization rename to organization_gone`.execute(k);
    try {
      const res = await health();
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', database: { reachable: false } });
    } finally {
      await sql`alter table organization_gone rename to organization`.execute(k);
    }
    expect((await health()).statusCode).toBe(200);
  });
});
