import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiaison } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { systemContext } from '../../src/server/platform/context.js';
import { ADMIN, type Client, createUnit, login, PG_URL, rootId, startTestApp, TEST_DB, type TestApp } from '../support/harness.js';

const run = promisify(execFile);

describe('audit: every change on record, hash-chained, append-only', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await login(t);
  });
  afterAll(() => t.close());

  it('records actor, action, before/after, request id and IP with each change', async () => {
    const id = await createUnit(admin, await rootId(t), 'AU1', '审计部');
    await admin.patch(`/api/v1/units/${id}`, { name: '审计一部' });
    const res = (await admin.get(`/api/v1/audit?entityType=unit&entityId=${id}`)).json();
    expect(res.items.map((e: { action: string }) => e.action)).toEqual(['unit.update', 'unit.create']);
    const [update] = res.items;
    expect(update).toMatchObject({ actorName: ADMIN.name, before: { name: '审计部' }, after: { name: '审计一部' }, ip: '127.0.0.1' });
    expect(update.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes nothing when the change fails', async () => {
    const before = (await admin.get('/api/v1/audit?pageSize=1')).json().total;
    await admin.post('/api/v1/units', { parentId: 999_999, code: 'NOPE', name: '不存在的上级', typeCode: 'team' });
    await admin.post('/api/v1/units', { parentId: await rootId(t), code: 'AU1', name: '重复编码', typeCode: 'team' });
    expect((await admin.get('/api/v1/audit?pageSize=1')).json().total).toBe(before);
  });

  it('rolls the change back when its audit event cannot be written (one transaction)', async () => {
    const root = await rootId(t);
    const units = async () => (await t.services.db.kysely.selectFrom('unit').select('id').execute()).length;
    const before = await units();
    await expect(
      t.services.db.kysely.transaction().execute(async (tx) => {
        await t.services.org.repo.insertUnit(tx, {
          parentId: root,
          parentPath: `/${root}/`,
          depth: 1,
          typeCode: 'team',
          code: 'TXN',
          name: '事务',
          sortOrder: 0,
          now: new Date().toISOString(),
        });
        await t.services.audit.record(tx, systemContext(), { action: 'x', entityType: 'unit', entityId: 1, after: { bad: 1n } });
      }),
    ).rejects.toThrow();
    expect(await units()).toBe(before);
  });

  it('chains each event to its predecessor; the chain verifies', async () => {
    const all = await t.services.audit.search({ page: 1, pageSize: 500, order: 'asc' });
    expect(all.items[0]?.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < all.items.length; i++) expect(all.items[i]?.prevHash).toBe(all.items[i - 1]?.hash);
    const v = (await admin.get('/api/v1/audit/verify')).json();
    expect(v).toMatchObject({ ok: true, checked: all.total, problems: [] });
  });

  it('refuses UPDATE and DELETE on the audit table in the database itself', async () => {
    await expect(sql`update audit_event set action = 'forged' where seq = 1`.execute(t.services.db.kysely)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_event where seq = 1`.execute(t.services.db.kysely)).rejects.toThrow(/append-only/);
  });

  it('finds events by text and filters by action prefix and time', async () => {
    const found = (await admin.get(`/api/v1/audit?q=${encodeURIComponent('审计一部')}`)).json();
    expect(found.total).toBeGreaterThanOrEqual(1);
    const logins = (await admin.get('/api/v1/audit?action=auth.')).json();
    expect(logins.items.every((e: { action: string }) => e.action.startsWith('auth.'))).toBe(true);
    const future = (await admin.get(`/api/v1/audit?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`)).json();
    expect(future.total).toBe(0);
  });
});

/**
 * An installation of its own (SQLite file or PostgreSQL schema), set up, with `count` units created
 * by the administrator: an audit chain of known length to verify and then tamper with.
 */
async function chainOfUnits(where: { dir: string; file: string; pgSchema: string }, organizationName: string, count: number, code: string, name: string) {
  const config = { ...loadConfig({}), dataDir: where.dir, databaseUrl: TEST_DB === 'postgres' ? PG_URL : undefined };
  const s = await openLiaison(config, { sqliteFile: where.file, pgSchema: TEST_DB === 'postgres' ? where.pgSchema : undefined });
  await s.setup.run(systemContext(), { organizationName, timeZone: 'Asia/Shanghai', admin: ADMIN });
  const root = (await s.org.repo.rootUnit()) as { id: number; path: string };
  const ctx = {
    ...systemContext(),
    actor: {
      accountId: 1,
      name: ADMIN.name,
      personId: 1,
      username: ADMIN.username,
      grants: [{ role: 'system_admin', unitId: root.id, unitPath: root.path, permissions: ['org.manage', 'org.read'] }],
      mustChangePassword: false,
      via: 'session' as const,
      csrfToken: null,
    },
  };
  for (let i = 0; i < count; i++) await s.org.createUnit(ctx, { parentId: root.id, typeCode: 'team', code: `${code}${i}`, name: `${name}${i}`, sortOrder: 0 });
  return s;
}

describe('npm run audit:verify', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-audit-'));
  const file = path.join(dir, 'liaison.db');
  const pgSchema = `verify_${randomBytes(5).toString('hex')}`;
  const env = TEST_DB === 'postgres' ? { DATABASE_URL: PG_URL, LIAISON_PG_SCHEMA: pgSchema } : { DATABASE_URL: '', LIAISON_DATA_DIR: dir };
  const verify = () =>
    run('npx', ['tsx', 'scripts/audit-verify.ts'], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (TEST_DB === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      await c.end();
    }
  });

  /** What an attacker with direct database access does: get past the trigger, edit event #3. */
  async function tamper() {
    if (TEST_DB === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${pgSchema}` });
      await c.connect();
      await c.query('ALTER TABLE audit_event DISABLE TRIGGER USER');
      await c.query("UPDATE audit_event SET after_json = replace(after_json, '校验1', '篡改') WHERE seq = 3");
      await c.end();
    } else {
      const Database = (await import('better-sqlite3')).default;
      const raw = new Database(file);
      raw.exec('DROP TRIGGER audit_event_no_update');
      raw.prepare("UPDATE audit_event SET after_json = replace(after_json, '校验1', '篡改') WHERE seq = 3").run();
      raw.close();
    }
  }

  it('passes on an intact chain and names the first edited event after tampering', async () => {
    const s = await chainOfUnits({ dir, file, pgSchema }, '校验单位', 5, 'V', '校验');
    await s.db.close();

    const ok = await verify();
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('6 events checked');

    await tamper();
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('event #3');
    expect(broken.out).toContain('hash mismatch');
  }, 60_000);
});

/**
 * Issue 8, security 7: deleting the last events, or dropping the triggers that protect the table,
 * used to leave a chain that verified. The head is anchored (the head row, the data directory's
 * audit-anchor.json, a backup's manifest) and the protections are checked.
 */
describe('npm run audit:verify: a cut tail and missing protections are caught', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-audit-tail-'));
  const file = path.join(dir, 'liaison.db');
  const pgSchema = `tail_${randomBytes(5).toString('hex')}`;
  const env =
    TEST_DB === 'postgres' ? { DATABASE_URL: PG_URL, LIAISON_PG_SCHEMA: pgSchema, LIAISON_DATA_DIR: dir } : { DATABASE_URL: '', LIAISON_DATA_DIR: dir };
  const verify = (...args: string[]) =>
    run('npx', ['tsx', 'scripts/audit-verify.ts', ...args], { env: { ...process.env, ...env } }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
  /** Direct database access, as an attacker (or a careless operator) has it: one statement per dialect. */
  async function raw(statements: { sqlite: string[]; postgres: string[] }) {
    if (TEST_DB === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${pgSchema}` });
      await c.connect();
      for (const s of statements.postgres) await c.query(s);
      await c.end();
    } else {
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(file);
      for (const s of statements.sqlite) db.exec(s);
      db.close();
    }
  }
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (TEST_DB === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      await c.end();
    }
  });

  it('names a dropped trigger, a cut tail, a head moved back and a chain shorter than a kept anchor', async () => {
    const s = await chainOfUnits({ dir, file, pgSchema }, '截断单位', 7, 'T', '截断');
    // What the running server does as the chain grows: the head, outside the database.
    expect(await s.audit.writeAnchor(dir)).toEqual({ written: true });
    const kept = path.join(dir, 'kept-elsewhere.json');
    fs.copyFileSync(path.join(dir, 'audit-anchor.json'), kept);
    const event6 = (await s.audit.search({ page: 6, pageSize: 1, order: 'asc' })).items[0];
    await s.db.close();

    const ok = await verify();
    expect(ok.out).toContain('8 events checked');
    expect(ok.code).toBe(0);

    // 1. The trigger that refuses DELETE is dropped (PostgreSQL: disabled): caught by itself.
    await raw({
      sqlite: ['DROP TRIGGER audit_event_no_delete'],
      postgres: ['ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update'],
    });
    let r = await verify();
    expect(r.code).toBe(1);
    expect(r.out).toContain(`protection missing: trigger ${TEST_DB === 'postgres' ? 'audit_event_no_update' : 'audit_event_no_delete'}`);

    // 2. …and the last two events are deleted: the head row still names #8.
    await raw({ sqlite: ['DELETE FROM audit_event WHERE seq > 6'], postgres: ['DELETE FROM audit_event WHERE seq > 6'] });
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.out).toContain('audit chain TRUNCATED: audit_head records 8 events, the chain ends at #6');

    // 3. …and the head row is moved back to #6 (its triggers dropped too): the anchor file remembers #8.
    const setHead = `UPDATE audit_head SET seq = 6, hash = '${event6?.hash}'`;
    await raw({
      sqlite: ['DROP TRIGGER audit_head_forward', setHead],
      postgres: ['ALTER TABLE audit_head DISABLE TRIGGER audit_head_forward', setHead],
    });
    expect(event6?.seq).toBe(6);
    r = await verify();
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('audit_head records');
    expect(r.out).toContain(`${path.join(dir, 'audit-anchor.json')} records 8 events, the chain ends at #6`);

    // 4. …and the triggers are put back exactly and the anchor file deleted: an anchor kept elsewhere
    // (a backup's manifest, a copy off the machine) still shows the cut.
    await raw({
      sqlite: [
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
        "CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
      ],
      postgres: ['ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update', 'ALTER TABLE audit_head ENABLE TRIGGER audit_head_forward'],
    });
    fs.rmSync(path.join(dir, 'audit-anchor.json'));
    expect((await verify()).code).toBe(0);
    r = await verify('--anchor', kept);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${kept} records 8 events, the chain ends at #6`);
  }, 90_000);

  it('refuses to move the head row backwards or delete it, in the database itself', async () => {
    const t = await startTestApp();
    try {
      const k = t.services.db.kysely;
      await expect(sql`update audit_head set seq = 0`.execute(k)).rejects.toThrow(/only moves forward/);
      await expect(sql`delete from audit_head`.execute(k)).rejects.toThrow(/only moves forward/);
      const head = await t.services.audit.head();
      const last = (await t.services.audit.search({ page: 1, pageSize: 1, order: 'desc' })).items[0];
      expect(head).toEqual({ seq: last?.seq, hash: last?.hash });
    } finally {
      await t.close();
    }
  });
});
