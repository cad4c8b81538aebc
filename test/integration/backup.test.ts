import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, PG_URL, TEST_DB } from '../support/harness.js';
import { HttpClient, httpUser, spawnTsx, startServer, stopChild } from '../support/server-process.js';
import { disposeStore, newStore, queryStore, type Store, storeEnv } from '../support/stored-org.js';

/**
 * Issue 8, security 9: there was no backup. `npm run backup` copies a running installation under
 * write load, `npm run restore` fills an empty data directory from it and verifies it, and every
 * write acknowledged before the backup began is in the restored copy, with its attachment's bytes,
 * and the audit chain verifies against the backup's manifest.
 */

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function runScript(script: string, args: string[], env: Record<string, string>) {
  const c = spawnTsx(script, args, env);
  const code = await c.exited;
  return { code, out: c.output().trim() };
}

/** An empty store to restore into: a new data directory, and on PostgreSQL a new database with the backup's schema name. */
async function emptyTarget(source: Store): Promise<{ env: Record<string, string>; store: Store; url: string }> {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-restore-')), 'data');
  cleanup.push(async () => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));
  if (source.kind === 'sqlite')
    return { env: { LIAISON_DATA_DIR: dataDir, DATABASE_URL: '', LIAISON_PG_SCHEMA: '' }, store: { kind: 'sqlite', dataDir }, url: '' };
  const dbName = `restore_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = PG_URL.replace(/\/[^/]*$/, `/${dbName}`);
  cleanup.push(async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  });
  return { env: { LIAISON_DATA_DIR: dataDir, DATABASE_URL: url, LIAISON_PG_SCHEMA: source.pgSchema as string }, store: { kind: 'postgres', dataDir }, url };
}

async function upload(c: HttpClient, caseId: number, name: string, text: string) {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  const res = await fetch(`${c.base}/api/v1/cases/${caseId}/attachments`, {
    method: 'POST',
    headers: { cookie: c.cookie ?? '', 'x-csrf-token': c.csrf ?? '' },
    body: form,
  });
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: number; sha256: string };
}

describe(`backup and restore on ${TEST_DB}`, () => {
  it('backs up a running server under write load; the restore holds every acknowledged write and verifies', async () => {
    const store = newStore(TEST_DB);
    cleanup.push(() => disposeStore(store));
    // The server writes its audit anchor every half second, like every minute in production.
    const env = { ...storeEnv(store), LIAISON_MAINTENANCE_INTERVAL_MS: '500' };
    const server = await startServer(env);
    cleanup.push(() => stopChild(server, 'SIGKILL'));
    const admin = new HttpClient(server.url);
    await admin.must('/api/v1/setup', { organizationName: '备份集团', timeZone: 'Asia/Shanghai', admin: ADMIN });
    const root = ((await admin.get('/api/v1/units')).json() as { id: number; parentId: number | null }[]).find((u) => u.parentId === null)?.id as number;
    const ops = (await admin.must('/api/v1/units', { parentId: root, code: 'OPS', name: '发电部', typeCode: 'department' })).id as number;
    const maint = (await admin.must('/api/v1/units', { parentId: root, code: 'MAINT', name: '检修部', typeCode: 'department' })).id as number;
    const leader = await httpUser(admin, { unitId: ops, role: 'unit_head', username: 'leader', name: '李签发' });
    const drafter = (await httpUser(admin, { unitId: ops, role: 'staff', username: 'drafter', name: '张起草' })).client;
    const created = await drafter.post('/api/v1/cases', {
      type: 'contact_form',
      initiatorUnitId: ops,
      fields: {
        title: '备份期间的附件',
        body: '上传附件以检验备份。',
        dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
        receivers: [{ unitId: maint, role: 'main' }],
        signingLeaderPersonId: leader.personId,
      },
    });
    expect(created.status, created.body).toBe(201);
    const caseId = created.json().id as number;

    // ---- write load: units and attachments, each remembered once answered ----
    const units: { code: string; at: number }[] = [];
    const files: { sha256: string; text: string; id: number; at: number }[] = [];
    let stop = false;
    const failures: string[] = [];
    const unitLane = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const code = `L${lane}U${i}`;
        const r = await admin.post('/api/v1/units', { parentId: maint, code, name: `班组${lane}-${i}`, typeCode: 'team' });
        if (r.status !== 200) failures.push(`${code}: ${r.status} ${r.body}`);
        else units.push({ code, at: Date.now() });
      }
    };
    const fileLane = async () => {
      for (let i = 0; !stop; i++) {
        const text = `附件 ${i} ${randomBytes(16).toString('hex')}\n`.repeat(50);
        const a = await upload(drafter, caseId, `记录${i}.txt`, text).catch((e: Error) => {
          failures.push(e.message);
          return undefined;
        });
        if (a) files.push({ sha256: a.sha256, text, id: a.id, at: Date.now() });
      }
    };
    const lanes = Promise.all([unitLane(0), unitLane(1), unitLane(2), fileLane()]);
    while (units.length < 60 || files.length < 10) await new Promise((r) => setTimeout(r, 50));

    const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-backups-'));
    cleanup.push(async () => fs.rmSync(backups, { recursive: true, force: true }));
    const backupStart = Date.now();
    const backup = await runScript('scripts/backup.ts', [backups], storeEnv(store));
    const acked = { units: units.filter((u) => u.at < backupStart), files: files.filter((f) => f.at < backupStart) };
    const writtenDuring = units.length - acked.units.length;
    stop = true;
    await lanes;
    expect(failures).toEqual([]);
    expect(backup.code, backup.out).toBe(0);
    // The load went on while the backup ran.
    expect(writtenDuring).toBeGreaterThan(0);
    const [made] = fs.readdirSync(backups);
    const dir = path.join(backups, made as string);
    expect(backup.out).toContain(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'liaison-backup/1',
      dialect: TEST_DB,
      audit: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(manifest.files.length).toBeGreaterThanOrEqual(acked.files.length);
    await stopChild(server);

    // ---- restore: refused over a non-empty data directory, then into an empty one ----
    const target = await emptyTarget(store);
    fs.mkdirSync(target.env.LIAISON_DATA_DIR as string, { recursive: true });
    fs.writeFileSync(path.join(target.env.LIAISON_DATA_DIR as string, 'keep.txt'), 'someone else\n');
    const refused = await runScript('scripts/restore.ts', [dir], target.env);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toMatch(/not empty, refusing/);
    expect(fs.readdirSync(target.env.LIAISON_DATA_DIR as string)).toEqual(['keep.txt']);
    fs.rmSync(path.join(target.env.LIAISON_DATA_DIR as string, 'keep.txt'));

    const restored = await runScript('scripts/restore.ts', [dir], target.env);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain(`audit chain intact to #${manifest.audit.seq}`);

    // Every write acknowledged before the backup began is there…
    const restoredStore: Store = target.store.kind === 'postgres' ? { ...target.store, pgSchema: store.pgSchema } : target.store;
    const codes = new Set(
      (target.url
        ? await queryPg<{ code: string }>(target.url, store.pgSchema as string, 'select code from unit')
        : await queryStore<{ code: string }>(restoredStore, 'select code from unit')
      ).map((r) => r.code),
    );
    expect(acked.units.filter((u) => !codes.has(u.code))).toEqual([]);
    // …with the attachments' bytes, served by a server started on the restored data.
    const again = await startServer({ ...target.env, LIAISON_MAINTENANCE_INTERVAL_MS: '0' });
    cleanup.push(() => stopChild(again, 'SIGKILL'));
    for (const f of acked.files) {
      const res = await fetch(`${again.url}/api/v1/cases/${caseId}/attachments/${f.id}`, { headers: { cookie: drafter.cookie ?? '' } });
      expect(res.status, `attachment ${f.id}`).toBe(200);
      expect(await res.text()).toBe(f.text);
    }
    await stopChild(again);

    // The restored chain verifies, against its own anchor and the backup's manifest.
    const verify = await runScript('scripts/audit-verify.ts', ['--anchor', path.join(dir, 'manifest.json')], target.env);
    expect(verify.code, verify.out).toBe(0);
    expect(verify.out).toContain('2 anchor(s)');

    // A restore whose attachment was damaged in the backup does not verify and leaves nothing behind.
    const other = await emptyTarget(store);
    const victim = manifest.files[0].path as string;
    fs.appendFileSync(path.join(dir, 'files', victim), 'x');
    const bad = await runScript('scripts/restore.ts', [dir], other.env);
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toContain('does not match the manifest');
    expect(fs.existsSync(other.env.LIAISON_DATA_DIR as string)).toBe(false);
    console.info(
      `[${TEST_DB}] backup under load: ${acked.units.length} units and ${acked.files.length} attachments acknowledged before it, ${writtenDuring} units during it; audit head #${manifest.audit.seq}`,
    );
  }, 180_000);
});

async function queryPg<T>(url: string, schema: string, text: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    return (await c.query(text)).rows as T[];
  } finally {
    await c.end();
  }
}
