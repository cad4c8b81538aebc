import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/server/app.js';
import { openLiaison } from '../../src/server/bootstrap.js';
import { type Clock, systemClock } from '../../src/server/platform/clock.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { systemContext } from '../../src/server/platform/context.js';

/**
 * Every integration test runs against a real database: SQLite in memory by default, PostgreSQL
 * when LIAISON_TEST_DB=postgres (each test app in its own schema, dropped afterwards).
 */
export const TEST_DB = process.env.LIAISON_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const ADMIN = { name: '系统管理员', username: 'admin', password: 'Admin12345' };

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>['app'];
  routes: Awaited<ReturnType<typeof buildApp>>['routes'];
  services: Awaited<ReturnType<typeof openLiaison>>;
  close(): Promise<void>;
}

export async function startTestApp(
  opts: { clock?: Clock; setup?: boolean; env?: Record<string, string> /** serve this directory as the web UI */; webDist?: string } = {},
): Promise<TestApp> {
  const dataDir = opts.env?.LIAISON_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-test-'));
  const config = { ...loadConfig({ LIAISON_DATA_DIR: dataDir, ...opts.env }), serveWeb: opts.webDist !== undefined, logLevel: 'silent' };
  let pgSchema: string | undefined;
  if (TEST_DB === 'postgres') {
    config.databaseUrl = PG_URL;
    pgSchema = `t_${randomBytes(6).toString('hex')}`;
  }
  const services = await openLiaison(config, { clock: opts.clock ?? systemClock, pgSchema, sqliteFile: ':memory:' });
  const { app, routes } = await buildApp(config, services, { logger: false, webDist: opts.webDist });
  await app.ready();
  if (opts.setup !== false) {
    await services.setup.run(systemContext(), { organizationName: '测试集团', timeZone: 'Asia/Shanghai', admin: ADMIN });
  }
  return {
    app,
    routes,
    services,
    async close() {
      await app.close();
      await services.db.close();
      if (!opts.env?.LIAISON_DATA_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
      if (pgSchema) {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA "${pgSchema}" CASCADE`);
        await c.end();
      }
    },
  };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A logged-in browser: keeps the session cookie and sends the CSRF header like the web UI does. */
export interface Client {
  csrf: string | null;
  cookie: string | null;
  request(method: Method, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

export function anonymous(t: TestApp): Client {
  const c: Client = {
    csrf: null,
    cookie: null,
    async request(method, url, body, headers = {}) {
      const res = await t.app.inject({
        method,
        url,
        ...(body !== undefined && { payload: body as object }),
        headers: {
          ...(c.cookie && { cookie: c.cookie }),
          ...(c.csrf && method !== 'GET' && { 'x-csrf-token': c.csrf }),
          ...headers,
        },
      });
      const set = res.cookies.find((k) => k.name === 'liaison_session');
      if (set) c.cookie = set.value ? `liaison_session=${set.value}` : null;
      if (url === '/api/v1/auth/login' || url === '/api/v1/setup') {
        if (res.statusCode === 200) c.csrf = res.json().csrfToken;
      }
      return res;
    },
    get: (url, headers) => c.request('GET', url, undefined, headers),
    post: (url, body) => c.request('POST', url, body ?? {}),
    put: (url, body) => c.request('PUT', url, body ?? {}),
    patch: (url, body) => c.request('PATCH', url, body ?? {}),
    delete: (url) => c.request('DELETE', url),
  };
  return c;
}

export async function login(t: TestApp, username = ADMIN.username, password = ADMIN.password): Promise<Client> {
  const c = anonymous(t);
  const res = await c.post('/api/v1/auth/login', { username, password });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  return c;
}

/** Creates a unit under `parentId` as the given client and returns its id. */
export async function createUnit(c: Client, parentId: number, code: string, name: string, typeCode = 'department'): Promise<number> {
  const res = await c.post('/api/v1/units', { parentId, code, name, typeCode });
  if (res.statusCode !== 200) throw new Error(`create unit ${code}: ${res.statusCode} ${res.body}`);
  return res.json().id;
}

/** Creates a person with a role in a unit, and an account whose first-login password change is already done. */
export async function createUser(
  t: TestApp,
  admin: Client,
  opts: { unitId: number; role: string; username: string; name?: string; employeeNo?: string },
): Promise<{ personId: number; accountId: number; password: string }> {
  const p = await admin.post('/api/v1/people', {
    name: opts.name ?? opts.username,
    unitId: opts.unitId,
    roleCode: opts.role,
    employeeNo: opts.employeeNo ?? null,
  });
  if (p.statusCode !== 200) throw new Error(`create person: ${p.body}`);
  const personId = p.json().id;
  const temp = 'Temp12345x';
  const a = await admin.post('/api/v1/accounts', { personId, username: opts.username, password: temp });
  if (a.statusCode !== 200) throw new Error(`create account: ${a.body}`);
  const password = 'Real12345x';
  const u = await login(t, opts.username, temp);
  const ch = await u.post('/api/v1/auth/password', { currentPassword: temp, newPassword: password });
  if (ch.statusCode !== 200) throw new Error(`change password: ${ch.body}`);
  return { personId, accountId: a.json().id, password };
}

export const rootId = async (t: TestApp) => (await t.services.org.repo.rootUnit())?.id as number;
