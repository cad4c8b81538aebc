import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { ADMIN, anonymous, createUnit, createUser, login, rootId, startTestApp, type TestApp } from '../support/harness.js';

describe('setup, login and sessions', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-11-02T01:00:00Z'));
  beforeAll(async () => {
    t = await startTestApp({ setup: false, clock });
  });
  afterAll(() => t.close());

  it('shows the setup page on first start and has no default account', async () => {
    const c = anonymous(t);
    expect((await c.get('/api/v1/setup')).json()).toEqual({ needed: true, organizationName: null });
    expect((await c.post('/api/v1/auth/login', { username: 'admin', password: 'admin' })).statusCode).toBe(401);
  });

  it('rejects a weak administrator password at setup and creates nothing', async () => {
    const c = anonymous(t);
    const res = await c.post('/api/v1/setup', { organizationName: '某电厂', admin: { name: '张三', username: 'admin', password: 'onlyletters' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('admin.password');
    expect((await c.get('/api/v1/setup')).json().needed).toBe(true);
  });

  it('sets up the organization once, logs the administrator in, and refuses a second setup', async () => {
    const c = anonymous(t);
    const res = await c.post('/api/v1/setup', { organizationName: '某电厂', admin: ADMIN });
    expect(res.statusCode).toBe(200);
    expect(res.json().permissions).toContain('org.manage');
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    const again = await anonymous(t).post('/api/v1/setup', { organizationName: '另一个', admin: { ...ADMIN, username: 'other' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SETUP_DONE');
  });

  it('sets an httpOnly SameSite session cookie holding an opaque token that is stored only hashed', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: ADMIN.username, password: ADMIN.password } });
    const cookie = res.cookies.find((k) => k.name === 'liaison_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const stored = await t.services.db.kysely.selectFrom('session').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie?.value);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('answers 401 to a tampered session cookie', async () => {
    const c = await login(t);
    c.cookie = `${c.cookie}x`;
    const res = await c.get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
  });

  it('expires a session after the idle time but slides it while it is used', async () => {
    const c = await login(t);
    clock.advance(11 * 3600_000);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    clock.advance(11 * 3600_000);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    clock.advance(13 * 3600_000);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated write without the CSRF token (a cross-site form post) and changes nothing', async () => {
    const c = await login(t);
    const root = await rootId(t);
    const before = await t.services.db.kysely.selectFrom('unit').select('id').execute();
    const noHeader = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie: c.cookie as string, 'content-type': 'application/json', origin: 'https://evil.example' },
      payload: JSON.stringify({ parentId: root, code: 'X1', name: '跨站', typeCode: 'department' }),
    });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('CSRF');
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie: c.cookie as string, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `parentId=${root}&code=X2&name=x&typeCode=department`,
    });
    expect(form.statusCode).toBe(403);
    expect(await t.services.db.kysely.selectFrom('unit').select('id').execute()).toHaveLength(before.length);
  });

  it('throttles wrong passwords per user name and address with growing waits, and never locks the owner out (issue 8, security 6)', async () => {
    const admin = await login(t);
    const u = await createUser(t, admin, { unitId: await rootId(t), role: 'staff', username: 'lockme' });
    const stranger = (body: object) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: body, remoteAddress: '198.51.100.9' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await stranger({ username: 'lockme', password: `wrong${i}` })).statusCode);
    // The 3rd wrong password makes the next try wait 1 s; tries before that are refused unchecked.
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    const early = await stranger({ username: 'lockme', password: u.password });
    expect(early.statusCode).toBe(429);
    expect(early.json().error.code).toBe('LOGIN_THROTTLED');
    expect(Number(early.headers['retry-after'])).toBeGreaterThan(0);
    // The owner, from their own address, logs in all the same: nobody can lock an account.
    expect((await anonymous(t).post('/api/v1/auth/login', { username: 'lockme', password: u.password })).statusCode).toBe(200);
    // The waits grow: 1 s, then 2 s, 4 s …
    clock.advance(1_000);
    expect((await stranger({ username: 'lockme', password: 'wrong5' })).statusCode).toBe(401);
    clock.advance(1_000);
    expect((await stranger({ username: 'lockme', password: 'wrong6' })).statusCode).toBe(429);
    clock.advance(1_000);
    expect((await stranger({ username: 'lockme', password: u.password })).statusCode).toBe(200);
    const events = await t.services.audit.search({ action: 'auth.login_failed', page: 1, pageSize: 50, order: 'asc' });
    expect(events.total).toBeGreaterThanOrEqual(4);
  });

  it('forces a new password at first login of an admin-created account', async () => {
    const admin = await login(t);
    const p = await admin.post('/api/v1/people', { name: '李四', unitId: await rootId(t), roleCode: 'staff' });
    await admin.post('/api/v1/accounts', { personId: p.json().id, username: 'lisi', password: 'Initial123' });
    const c = await login(t, 'lisi', 'Initial123');
    expect((await c.get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);
    const blocked = await c.get('/api/v1/units');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await c.post('/api/v1/auth/password', { currentPassword: 'wrong', newPassword: 'Better1234' })).statusCode).toBe(400);
    expect((await c.post('/api/v1/auth/password', { currentPassword: 'Initial123', newPassword: 'Better1234' })).statusCode).toBe(200);
    expect((await c.get('/api/v1/units')).statusCode).toBe(200);
  });

  it('ends every session of a deactivated account at once', async () => {
    const admin = await login(t);
    const u = await createUser(t, admin, { unitId: await rootId(t), role: 'staff', username: 'leaver' });
    const c = await login(t, 'leaver', u.password);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await admin.patch(`/api/v1/accounts/${u.accountId}`, { active: false })).statusCode).toBe(200);
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await anonymous(t).post('/api/v1/auth/login', { username: 'leaver', password: u.password })).statusCode).toBe(401);
    const history = (await admin.get(`/api/v1/people/${u.personId}/history`)).json();
    expect(history.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['account.deactivate', 'account.create', 'person.create']));
  });

  it('accepts a personal API token until it is revoked, shows it only once and stores only its hash', async () => {
    const admin = await login(t);
    const created = await admin.post('/api/v1/me/tokens', { name: '报表脚本' });
    expect(created.statusCode).toBe(200);
    const { token, id } = created.json();
    expect(token).toMatch(/^lia_/);
    const listed = (await admin.get('/api/v1/me/tokens')).json();
    expect(JSON.stringify(listed)).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    const viaToken = await t.app.inject({ method: 'GET', url: '/api/v1/units', headers: bearer });
    expect(viaToken.statusCode).toBe(200);
    // Token calls are not cookie calls: no CSRF header needed for writes.
    const write = await t.app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: bearer,
      payload: { parentId: await rootId(t), code: 'TOK', name: '令牌建', typeCode: 'department' },
    });
    expect(write.statusCode).toBe(200);
    expect((await admin.delete(`/api/v1/me/tokens/${id}`)).statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/units', headers: bearer });
    expect(after.statusCode).toBe(401);
  });

  it('logs out: the old cookie no longer works', async () => {
    const c = await login(t);
    const saved = c.cookie;
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(200);
    c.cookie = saved;
    expect((await c.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('throttles login attempts per client address (rate limit)', async () => {
    const limited = await startTestApp({ env: { LIAISON_LOGIN_RATE_LIMIT: '3' } });
    try {
      const c = anonymous(limited);
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await c.post('/api/v1/auth/login', { username: 'nobody', password: 'x' })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const body = (await c.post('/api/v1/auth/login', { username: 'nobody', password: 'x' })).json();
      expect(body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('creates units through a unit-scoped helper (sanity for the other suites)', async () => {
    const admin = await login(t);
    expect(await createUnit(admin, await rootId(t), 'SANITY', '检查')).toBeGreaterThan(0);
  });
});
