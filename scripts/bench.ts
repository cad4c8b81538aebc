/**
 * npm run bench [-- --pg] [-- --rows=10000]             the import benchmark (issue 3), below
 * npm run bench -- --cases [--pg] [--forms=N] […]       the cases benchmark (issue 4): scripts/bench-cases.ts
 * npm run bench -- --jobs [--pg] [--series=N]          the scheduler benchmark (issue 9 §6): scripts/bench-jobs.ts
 *
 * Issue 3 sets one speed target: importing 10,000 people must take well under a minute. This
 * measures it end to end over loopback HTTP (upload → parse → validate every row → one transaction
 * with an audit event per row), next to a raw reference measured in the same run: the same rows and
 * hash-chained audit events inserted directly with better-sqlite3 (or pg) in one transaction, which
 * is the floor any import could reach. It prints both, their ratio and the peak RSS.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { buildApp } from '../src/server/app.js';
import { openLiaison } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/platform/config.js';
import { systemContext } from '../src/server/platform/context.js';

const usePg = process.argv.includes('--pg');
const rows = Number(process.argv.find((a) => a.startsWith('--rows='))?.slice(7) ?? 10_000);
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-'));
const schema = `bench_${process.pid}`;

let peakRss = 0;
let sampler: NodeJS.Timeout | undefined;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';
const name = (i: number) => `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13) % GIVEN.length]}`;
const UNITS = 50;

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const units = wb.addWorksheet('单位');
  units.addRow(['单位编码', '单位名称', '单位类型', '上级单位编码', '排序']);
  for (let u = 0; u < UNITS; u++) units.addRow([`B${u}`, `班组${u}`, 'team', 'ROOT', u]);
  const people = wb.addWorksheet('人员');
  people.addRow(['工号', '姓名', '性别', '岗位', '手机', '所属单位编码', '角色', '状态']);
  for (let i = 0; i < rows; i++)
    people.addRow([`E${100000 + i}`, name(i), i % 2 ? '男' : '女', '巡检', `138${String(i).padStart(8, '0')}`, `B${i % UNITS}`, '普通职工', '在职']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function measureHttp(file: Buffer) {
  const config = { ...loadConfig({}), dataDir: dir, databaseUrl: usePg ? PG_URL : undefined, logLevel: 'warn', serveWeb: false, uploadLimit: 50 * 1024 * 1024 };
  const services = await openLiaison(config, { pgSchema: usePg ? schema : undefined });
  await services.setup.run(systemContext(), {
    organizationName: '基准测试集团',
    timeZone: 'Asia/Shanghai',
    admin: { name: '管理员', username: 'admin', password: 'Bench12345' },
  });
  const { app } = await buildApp(config, services, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const login = await fetch(`${address}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Bench12345' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), '人员导入.xlsx');
    const t0 = performance.now();
    const res = await fetch(`${address}/api/v1/org/import`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, body: form });
    const body = (await res.json()) as { people?: { created: number } };
    const ms = performance.now() - t0;
    if (res.status !== 200 || body.people?.created !== rows) throw new Error(`import failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    const verify = await services.audit.verify();
    if (!verify.ok) throw new Error('audit chain broken after import');
    return ms;
  } finally {
    await app.close();
    await services.db.close();
  }
}

/** The floor: the same rows, memberships and chained audit rows, straight into the database in one transaction. */
async function measureRaw() {
  const now = new Date().toISOString();
  const people = Array.from(
    { length: rows },
    (_, i) => [`E${100000 + i}`, name(i), i % 2 ? 'male' : 'female', '巡检', `138${String(i).padStart(8, '0')}`] as const,
  );
  let prev = '0'.repeat(64);
  const chain = (seq: number, after: string) => {
    const hash = createHash('sha256').update(prev).update('\n').update(`[${seq},"${now}","person.import_create",${after}]`).digest('hex');
    const row = [seq, now, 'person.import_create', 'person', String(seq), after, prev, hash] as const;
    prev = hash;
    return row;
  };
  const ddl = `CREATE TABLE p (id INTEGER PRIMARY KEY, employee_no TEXT UNIQUE, name TEXT, gender TEXT, post TEXT, phone TEXT);
    CREATE TABLE m (id INTEGER PRIMARY KEY, person_id INTEGER, unit_id INTEGER, role_code TEXT);
    CREATE TABLE a (seq INTEGER PRIMARY KEY, at TEXT, action TEXT, entity_type TEXT, entity_id TEXT, after_json TEXT, prev_hash TEXT, hash TEXT);`;
  if (!usePg) {
    const db = new SqliteDatabase(path.join(dir, 'raw.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(ddl);
    const insP = db.prepare('INSERT INTO p (employee_no, name, gender, post, phone) VALUES (?, ?, ?, ?, ?)');
    const insM = db.prepare('INSERT INTO m (person_id, unit_id, role_code) VALUES (?, ?, ?)');
    const insA = db.prepare('INSERT INTO a VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const t0 = performance.now();
    db.transaction(() => {
      people.forEach((p, i) => {
        const id = Number(insP.run(...p).lastInsertRowid);
        insM.run(id, i % UNITS, 'staff');
        insA.run(...chain(i + 1, JSON.stringify({ employeeNo: p[0], name: p[1] })));
      });
    })();
    const ms = performance.now() - t0;
    db.close();
    return ms;
  }
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(
    `CREATE SCHEMA ${schema}_raw; SET search_path = ${schema}_raw; ${ddl.replaceAll('INTEGER PRIMARY KEY', 'SERIAL PRIMARY KEY').replace('a (seq SERIAL', 'a (seq INTEGER')}`,
  );
  const t0 = performance.now();
  await c.query('BEGIN');
  for (let i = 0; i < people.length; i += 500) {
    const batch = people.slice(i, i + 500);
    const ids = await c.query<{ id: number }>(
      `INSERT INTO p (employee_no, name, gender, post, phone) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) RETURNING id`,
      [0, 1, 2, 3, 4].map((k) => batch.map((p) => p[k])),
    );
    await c.query('INSERT INTO m (person_id, unit_id, role_code) SELECT unnest($1::int[]), unnest($2::int[]), $3', [
      ids.rows.map((r) => r.id),
      batch.map((_, j) => (i + j) % UNITS),
      'staff',
    ]);
    const audit = batch.map((p, j) => chain(i + j + 1, JSON.stringify({ employeeNo: p[0], name: p[1] })));
    await c.query(
      'INSERT INTO a SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])',
      [0, 1, 2, 3, 4, 5, 6, 7].map((k) => audit.map((r) => r[k])),
    );
  }
  await c.query('COMMIT');
  const ms = performance.now() - t0;
  await c.query(`DROP SCHEMA ${schema}_raw CASCADE`);
  await c.end();
  return ms;
}

async function main() {
  sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  console.log(
    `Liaison import benchmark — ${rows} people on ${usePg ? 'PostgreSQL' : 'SQLite (WAL, synchronous=FULL)'}, Node ${process.version}, ${os.cpus().length} cores`,
  );
  const t0 = performance.now();
  const file = await workbook();
  console.log(`  built the .xlsx: ${(file.length / 1024).toFixed(0)} KB in ${(performance.now() - t0).toFixed(0)} ms`);
  const raw = await measureRaw();
  const http = await measureHttp(file);
  clearInterval(sampler);
  const line = (label: string, ms: number) =>
    `  ${label.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${Math.round((rows / ms) * 1000)
      .toLocaleString('en')
      .padStart(8)} rows/s`;
  console.log(line('raw reference (direct inserts, one txn)', raw));
  console.log(line('HTTP import (upload, parse, validate, audit)', http));
  console.log(`  ratio HTTP / raw: ${(http / raw).toFixed(1)}×   target: well under 60 s → ${http < 60_000 ? 'met' : 'MISSED'}`);
  console.log(`  peak RSS of the process (server + client + workbook): ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
}

if (process.argv.includes('--jobs')) {
  fs.rmSync(dir, { recursive: true, force: true });
  const jobs = await import('./bench-jobs.js');
  await jobs
    .main()
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(jobs.cleanup);
} else if (process.argv.includes('--cases')) {
  fs.rmSync(dir, { recursive: true, force: true });
  const cases = await import('./bench-cases.js');
  await cases
    .main()
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(cases.cleanup);
} else
  main()
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(async () => {
      clearInterval(sampler);
      fs.rmSync(dir, { recursive: true, force: true });
      if (usePg) {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_raw CASCADE`);
        await c.end();
      }
    });
