import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { buildApp } from '../../src/server/app.js';
import { openLiaison } from '../../src/server/bootstrap.js';
import type { Clock } from '../../src/server/platform/clock.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { systemContext } from '../../src/server/platform/context.js';
import { ADMIN, type Client, createUnit, createUser, login, PG_URL, rootId, type TestApp } from './harness.js';

/**
 * A Liaison database that outlives one process: a SQLite file in a temp directory, or a throwaway
 * PostgreSQL schema. Tests open it in-process (to set up data with a ManualClock), then hand it to
 * child processes (sweep workers, the real server) through `storeEnv`.
 */
export interface Store {
  kind: 'sqlite' | 'postgres';
  dataDir: string;
  /** Set for PostgreSQL. */
  pgSchema?: string;
}

export function newStore(kind: 'sqlite' | 'postgres'): Store {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-store-'));
  return kind === 'postgres' ? { kind, dataDir, pgSchema: `t_${randomBytes(6).toString('hex')}` } : { kind, dataDir };
}

/** The environment that points main.ts, scripts/audit-verify.ts and the sweep worker at the store. */
export function storeEnv(s: Store): Record<string, string> {
  return {
    LIAISON_DATA_DIR: s.dataDir,
    DATABASE_URL: s.kind === 'postgres' ? PG_URL : '',
    LIAISON_PG_SCHEMA: s.pgSchema ?? '',
  };
}

export const sqliteFileOf = (s: Store) => path.join(s.dataDir, 'liaison.db');

export async function disposeStore(s: Store): Promise<void> {
  fs.rmSync(s.dataDir, { recursive: true, force: true });
  if (s.pgSchema) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(`DROP SCHEMA IF EXISTS "${s.pgSchema}" CASCADE`);
    } finally {
      await c.end();
    }
  }
}

/** Read-only SQL against the store from the test process (the server may be writing meanwhile). */
export async function queryStore<T = Record<string, unknown>>(s: Store, text: string, params: unknown[] = []): Promise<T[]> {
  if (s.kind === 'postgres') {
    const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${s.pgSchema}` });
    await c.connect();
    try {
      // Same placeholders on both sides: `?` in the test's SQL, `$n` for PostgreSQL.
      let i = 0;
      const r = await c.query(
        text.replace(/\?/g, () => `$${++i}`),
        params,
      );
      return r.rows as T[];
    } finally {
      await c.end();
    }
  }
  const db = new Sqlite(sqliteFileOf(s), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(text).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Opens the store in this process with the given clock, with the HTTP app for `inject`. */
export async function openStore(s: Store, clock: Clock): Promise<TestApp> {
  const config = { ...loadConfig({ LIAISON_DATA_DIR: s.dataDir }), serveWeb: false, logLevel: 'silent' };
  if (s.kind === 'postgres') config.databaseUrl = PG_URL;
  const services = await openLiaison(config, { clock, pgSchema: s.pgSchema, sqliteFile: sqliteFileOf(s) });
  const { app, routes } = await buildApp(config, services, { logger: false });
  await app.ready();
  return {
    app,
    routes,
    services,
    async close() {
      await app.close();
      await services.db.close();
    },
  };
}

/** 发电部 sends forms to 检修部 (主办) and 安监部 (协办); the office sits at the root. */
export interface SmallOrg {
  admin: Client;
  units: { root: number; ops: number; maint: number; safety: number };
  people: Record<'drafter' | 'leader' | 'receiver' | 'safetyHead' | 'office', { personId: number; client: Client }>;
}

export async function smallOrg(t: TestApp): Promise<SmallOrg> {
  await t.services.setup.run(systemContext(), { organizationName: '测试集团', timeZone: 'Asia/Shanghai', admin: ADMIN });
  // The ManualClock may be moved; sessions must outlive it.
  await t.services.db.kysely.transaction().execute((tx) => t.services.policy.set(tx, systemContext(), 'auth.sessionIdleMinutes', 60 * 24 * 30, null));
  const admin = await login(t);
  const root = await rootId(t);
  const ops = await createUnit(admin, root, 'OPS', '发电部');
  const maint = await createUnit(admin, root, 'MAINT', '检修部');
  const safety = await createUnit(admin, root, 'SAFE', '安监部');
  const make = async (username: string, name: string, unitId: number, role: string) => {
    const u = await createUser(t, admin, { unitId, role, username, name });
    return { personId: u.personId, client: await login(t, username, u.password) };
  };
  return {
    admin,
    units: { root, ops, maint, safety },
    people: {
      drafter: await make('drafter', '张起草', ops, 'staff'),
      leader: await make('leader', '李签发', ops, 'unit_head'),
      receiver: await make('receiver', '王检修', maint, 'unit_head'),
      safetyHead: await make('safety', '钱安监', safety, 'unit_head'),
      office: await make('office', '孙办公室', root, 'office'),
    },
  };
}

export function smallOrgFields(o: SmallOrg, i: number) {
  return {
    title: `检修皮带机台账核对 ${i}`,
    body: '请检修部于完成日期前核对皮带机检修台账，并回复核对结果。',
    dueDate: '2026-10-20',
    receivers: [
      { unitId: o.units.maint, role: 'main' },
      { unitId: o.units.safety, role: 'assist' },
    ],
    signingLeaderPersonId: o.people.leader.personId,
  };
}

/** Creates, submits and issues `n` forms over HTTP (a few at a time); returns their ids. */
export async function issueForms(o: SmallOrg, n: number, dueDate = '2026-10-20', concurrency = 4): Promise<number[]> {
  const ids: number[] = [];
  const post = async (c: Client, url: string, body: unknown, expected: number) => {
    const r = await c.post(url, body);
    if (r.statusCode !== expected) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const { id } = await post(
        o.people.drafter.client,
        '/api/v1/cases',
        {
          type: 'contact_form',
          initiatorUnitId: o.units.ops,
          fields: { ...smallOrgFields(o, i), dueDate },
        },
        201,
      );
      await post(o.people.drafter.client, `/api/v1/cases/${id}/actions`, { action: 'submit' }, 200);
      await post(o.people.leader.client, `/api/v1/cases/${id}/actions`, { action: 'issue' }, 200);
      ids.push(id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids.sort((a, b) => a - b);
}
