import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as config from '../../src/server/platform/config.js';
import { ADMIN, anonymous, type Client, createUnit, createUser, login, rootId, startTestApp, type TestApp } from '../support/harness.js';

/** Issue 8, security 5 and 6, and first use 8 (accounts in bulk). Each test here failed before its fix. */

const bearer = (t: TestApp, token: string, url = '/api/v1/auth/me') => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

function importCsv(t: TestApp, c: Client, csv: string) {
  const b = 'hardening-boundary';
  const payload = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${b}--\r\n`;
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/org/import',
    payload,
    headers: { cookie: c.cookie as string, 'x-csrf-token': c.csrf as string, 'content-type': `multipart/form-data; boundary=${b}` },
  });
}

describe('leaving ends access; administrators see and revoke anyone’s API tokens (security 5)', () => {
  let t: TestApp;
  let admin: Client;
  let unit: number;
  beforeAll(async () => {
    t = await startTestApp({ env: { LIAISON_LOGIN_RATE_LIMIT: '100000' } });
    admin = await login(t);
    unit = await createUnit(admin, await rootId(t), 'LV', '离职测试部');
  });
  afterAll(() => t.close());

  async function userWithToken(username: string) {
    const u = await createUser(t, admin, { unitId: unit, role: 'staff', username, employeeNo: `E-${username}` });
    const c = await login(t, username, u.password);
    const token = (await c.post('/api/v1/me/tokens', { name: '脚本' })).json().token as string;
    expect((await bearer(t, token)).statusCode).toBe(200);
    return { ...u, c, token };
  }

  it('disables the account of a person marked 离职 at once: sessions end, tokens are revoked, the password no longer works', async () => {
    const u = await userWithToken('leaver1');
    expect((await admin.patch(`/api/v1/people/${u.personId}`, { status: 'left' })).statusCode).toBe(200);
    expect((await u.c.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await bearer(t, u.token)).statusCode).toBe(401);
    const again = await anonymous(t).post('/api/v1/auth/login', { username: 'leaver1', password: u.password });
    expect(again.statusCode).toBe(401);
    const account = await t.services.db.kysely.selectFrom('account').selectAll().where('id', '=', u.accountId).executeTakeFirstOrThrow();
    expect(account.active).toBe(0);
    const tokens = await t.services.db.kysely.selectFrom('api_token').select('revoked_at').where('account_id', '=', u.accountId).execute();
    expect(tokens.every((x) => x.revoked_at !== null)).toBe(true);
    const history = (await admin.get(`/api/v1/people/${u.personId}/history`)).json() as { action: string; after: { reason?: string } }[];
    expect(history.find((e) => e.action === 'account.deactivate')?.after.reason).toBe('person.leave');
    // Someone who has left cannot be given their account back by mistake.
    const reactivate = await admin.patch(`/api/v1/accounts/${u.accountId}`, { active: true });
    expect(reactivate.statusCode).toBe(409);
    expect(reactivate.json().error.code).toBe('PERSON_LEFT');
  });

  it('ends access when the spreadsheet import marks someone 离职', async () => {
    const u = await userWithToken('leaver2');
    const res = await importCsv(t, admin, `工号,姓名,所属单位编码,角色,状态\r\nE-leaver2,leaver2,LV,staff,离职\r\n`);
    expect(res.statusCode, res.body).toBe(200);
    expect((await u.c.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await bearer(t, u.token)).statusCode).toBe(401);
  });

  it('lets an administrator list anyone’s API tokens, without their secrets, and revoke one', async () => {
    const u = await userWithToken('tokenuser');
    const list = await admin.get(`/api/v1/accounts/${u.accountId}/tokens`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toHaveLength(1);
    expect(list.body).not.toContain(u.token);
    const id = list.json()[0].id;
    expect((await admin.delete(`/api/v1/accounts/${u.accountId}/tokens/${id}`)).statusCode).toBe(200);
    expect((await bearer(t, u.token)).statusCode).toBe(401);
    expect((await admin.get(`/api/v1/accounts/${u.accountId}/tokens`)).json()[0].revokedAt).not.toBeNull();
    // The token must belong to the account named in the path.
    const other = await userWithToken('tokenuser2');
    const otherId = (await admin.get(`/api/v1/accounts/${other.accountId}/tokens`)).json()[0].id;
    expect((await admin.delete(`/api/v1/accounts/${u.accountId}/tokens/${otherId}`)).statusCode).toBe(404);
    expect((await bearer(t, other.token)).statusCode).toBe(200);
  });

  it('revokes sessions and API tokens when an administrator resets the password', async () => {
    const u = await userWithToken('resetme');
    expect((await admin.patch(`/api/v1/accounts/${u.accountId}`, { password: 'Reset12345' })).statusCode).toBe(200);
    expect((await u.c.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await bearer(t, u.token)).statusCode).toBe(401);
  });
});

describe('login defences that hold (security 6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LIAISON_LOGIN_RATE_LIMIT: '100000' } });
  });
  afterAll(() => t.close());

  it('answers a disabled account exactly like a wrong password, even with the right password', async () => {
    const admin = await login(t);
    const u = await createUser(t, admin, { unitId: await rootId(t), role: 'staff', username: 'disabled1' });
    await admin.patch(`/api/v1/accounts/${u.accountId}`, { active: false });
    const disabled = await anonymous(t).post('/api/v1/auth/login', { username: 'disabled1', password: u.password });
    const wrong = await anonymous(t).post('/api/v1/auth/login', { username: ADMIN.username, password: 'Wrong12345' });
    const unknown = await anonymous(t).post('/api/v1/auth/login', { username: 'nobody-here', password: 'Wrong12345' });
    expect(disabled.statusCode).toBe(401);
    expect(disabled.body).toBe(wrong.body);
    expect(unknown.body).toBe(wrong.body);
  });

  it('marks every API answer Cache-Control: no-store, errors included', async () => {
    const admin = await login(t);
    for (const res of [
      await admin.get('/api/v1/units'),
      await admin.get('/api/v1/auth/me'),
      await anonymous(t).get('/api/v1/units'),
      await anonymous(t).get('/api/health'),
      await admin.get('/api/v1/nothing-here'),
      await admin.get('/api/v1/units/%E0%A4%A'),
    ])
      expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers a malformed URL with the documented error envelope', async () => {
    for (const url of ['/api/v1/units/%E0%A4%A', '/api/v1/units/%zz']) {
      const res = await anonymous(t).get(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'MALFORMED_URL', details: [] });
      expect(res.json().error.message).toContain('请求地址无效');
    }
  });

  it('answers unencoded query strings over a real socket with the envelope too', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(address).port);
    const raw = (line: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => s.end(Buffer.concat([line, Buffer.from('\r\nHost: x\r\nConnection: close\r\n\r\n')])));
        let out = '';
        s.on('data', (d) => {
          out += d.toString('utf8');
        });
        s.on('end', () => resolve(out));
        s.on('error', reject);
      });
    const spaced = await raw(Buffer.from('GET /api/v1/people?q=张 三 HTTP/1.1'));
    expect(spaced).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(spaced.slice(spaced.indexOf('\r\n\r\n') + 4)).error.code).toBe('MALFORMED_URL');
    const utf8 = await raw(Buffer.from('GET /api/v1/people?q=张三 HTTP/1.1'));
    const body = JSON.parse(utf8.slice(utf8.indexOf('\r\n\r\n') + 4));
    expect(body.error.code).toMatch(/^[A-Z_]+$/);
    expect(utf8.toLowerCase()).toContain('cache-control: no-store');
  });

  it('accepts only a hop count or proxy addresses in LIAISON_TRUST_PROXY, never "trust anyone"', () => {
    const { parseTrustProxy } = config;
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy('10.0.0.5, 192.168.0.0/16,loopback')).toEqual(['10.0.0.5', '192.168.0.0/16', 'loopback']);
    expect(() => parseTrustProxy('true')).toThrow(/LIAISON_TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/99')).toThrow(/10\.0\.0\.0\/99/);
  });

  it.each([
    ['a hop count', '1'],
    ['the proxy’s address', '127.0.0.1'],
  ])('behind a proxy given as %s, a rotating X-Forwarded-For neither escapes the rate limit nor forges the audited address', async (_what, trust) => {
    const proxied = await startTestApp({ env: { LIAISON_TRUST_PROXY: trust, LIAISON_LOGIN_RATE_LIMIT: '3' } });
    try {
      // The proxy (127.0.0.1, inject's peer) appends the real client; what comes before is the client's own say.
      const send = (forged: string, body: object) =>
        proxied.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, headers: { 'x-forwarded-for': `${forged}, 203.0.113.7` } });
      const ok = await send('10.66.0.1', { username: ADMIN.username, password: ADMIN.password });
      expect(ok.statusCode).toBe(200);
      const audited = await proxied.services.db.kysely.selectFrom('audit_event').select('ip').where('action', '=', 'auth.login').execute();
      expect(audited.map((e) => e.ip)).toEqual(['203.0.113.7']);
      const codes: number[] = [];
      for (let i = 2; i < 6; i++) codes.push((await send(`10.66.0.${i}`, { username: 'nobody', password: 'x' })).statusCode);
      expect(codes).toEqual([401, 401, 429, 429]);
    } finally {
      await proxied.close();
    }
  });
});

describe('accounts in bulk for imported people, with one-time passwords (first use 8)', () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ env: { LIAISON_LOGIN_RATE_LIMIT: '100000' } });
    admin = await login(t);
    await createUnit(admin, await rootId(t), 'BK', '批量开户部');
    const res = await importCsv(
      t,
      admin,
      `工号,姓名,所属单位编码,角色\r\nB001,甲一,BK,staff\r\nB002,乙二,BK,staff\r\nB 3,丙三,BK,staff\r\nB004,丁四,BK,staff\r\n`,
    );
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(() => t.close());

  it('lists the people without an account, opens theirs with one-time passwords answered once, and forces a change at first login', async () => {
    const candidates = (await admin.get('/api/v1/accounts/candidates')).json() as { personId: number; name: string; unitName: string }[];
    const picked = candidates.filter((c) => ['甲一', '乙二', '丙三'].includes(c.name));
    expect(picked.map((c) => c.unitName)).toEqual(['批量开户部', '批量开户部', '批量开户部']);
    expect(candidates.map((c) => c.name)).not.toContain(ADMIN.name);
    const res = await admin.post('/api/v1/accounts/bulk', { personIds: picked.map((c) => c.personId) });
    expect(res.statusCode, res.body).toBe(200);
    const { accounts, files } = res.json() as { accounts: { username: string; password: string; name: string }[]; files: { xlsx: string; csv: string } };
    // The employee number is the user name when it is a valid one; otherwise a generated one.
    expect(accounts.map((a) => a.username)).toEqual(['B001', 'B002', expect.stringMatching(/^u\d+$/)]);
    expect(new Set(accounts.map((a) => a.password)).size).toBe(3);
    const stored = await t.services.db.kysely.selectFrom('account').select(['password_hash', 'must_change_password']).execute();
    for (const a of accounts) expect(JSON.stringify(stored)).not.toContain(a.password);
    // The hand-over files: a real .xlsx (a zip) and a UTF-8 CSV with BOM naming each login.
    expect(Buffer.from(files.xlsx, 'base64').subarray(0, 2).toString()).toBe('PK');
    const csv = Buffer.from(files.csv, 'base64').toString('utf8');
    expect(csv.startsWith('\uFEFF姓名,工号,单位,用户名,一次性密码\r\n')).toBe(true);
    for (const a of accounts) expect(csv).toContain(`${a.username},${a.password}`);
    const first = await login(t, accounts[0]?.username, accounts[0]?.password);
    expect((await first.get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);
    expect((await first.get('/api/v1/units')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await first.post('/api/v1/auth/password', { currentPassword: accounts[0]?.password, newPassword: 'Chosen12345' })).statusCode).toBe(200);
    expect((await first.get('/api/v1/units')).statusCode).toBe(200);
    const left = (await admin.get('/api/v1/accounts/candidates')).json().map((c: { name: string }) => c.name);
    expect(left).toContain('丁四');
    expect(left).not.toContain('甲一');
  });

  it('opens nothing when one of the people already has an account, and says which', async () => {
    const before = await t.services.db.kysely.selectFrom('account').select('id').execute();
    const d = (await admin.get('/api/v1/accounts/candidates')).json().find((c: { name: string }) => c.name === '丁四');
    const withAccount = (await admin.get('/api/v1/accounts')).json().find((a: { username: string }) => a.username === 'B001');
    const res = await admin.post('/api/v1/accounts/bulk', { personIds: [d.personId, withAccount.personId] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'personIds.1', message: '该人员已有账号' }]);
    expect(await t.services.db.kysely.selectFrom('account').select('id').execute()).toHaveLength(before.length);
  });
});
