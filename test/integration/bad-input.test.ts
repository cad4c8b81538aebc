import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, login, rootId, startTestApp, type TestApp } from '../support/harness.js';

describe('bad input gets a clear 4xx in the user language and changes nothing', () => {
  let t: TestApp;
  let admin: Client;
  let root: number;
  beforeAll(async () => {
    t = await startTestApp({ env: { LIAISON_BODY_LIMIT: '4096' } });
    admin = await login(t);
    root = await rootId(t);
  });
  afterAll(() => t.close());

  const unitCount = async () => (await t.services.db.kysely.selectFrom('unit').select('id').execute()).length;
  const raw = (payload: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/units',
      headers: { cookie: admin.cookie as string, 'x-csrf-token': admin.csrf as string, 'content-type': 'application/json', ...headers },
      payload,
    });

  const expectErrorShape = (body: unknown) => {
    expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } });
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/at .*\.ts:\d+|SELECT|INSERT|sqlite|postgres|stack/i);
  };

  it('answers malformed JSON with MALFORMED_JSON', async () => {
    const before = await unitCount();
    const res = await raw('{"parentId": 1, "code": ');
    expect(res.statusCode).toBe(400);
    expectErrorShape(res.json());
    expect(res.json().error).toMatchObject({ code: 'MALFORMED_JSON', message: '请求体不是有效的 JSON' });
    expect(await unitCount()).toBe(before);
  });

  it('names an unknown field', async () => {
    const res = await admin.post('/api/v1/units', { parentId: root, code: 'U1', name: '单位', typeCode: 'department', colour: 'red' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'colour', message: '不允许的字段' }]);
  });

  it('names each field with a wrong type or a missing value, in English when asked', async () => {
    const res = await admin.request('POST', '/api/v1/units', { parentId: 'one', name: 42 }, { 'accept-language': 'en' });
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details;
    expect(details).toEqual(
      expect.arrayContaining([
        { path: 'parentId', message: 'must be a number' },
        { path: 'name', message: 'must be text' },
        { path: 'code', message: 'is required' },
        { path: 'typeCode', message: 'is required' },
      ]),
    );
    expect(res.json().error.message).toMatch(/^Invalid request: /);
  });

  it('validates query strings and path parameters too', async () => {
    const q = await admin.get('/api/v1/people?pageSize=100000');
    expect(q.statusCode).toBe(400);
    expect(q.json().error.details[0]).toEqual({ path: 'query.pageSize', message: '不能大于 500' });
    const p = await admin.get('/api/v1/units/abc');
    expect(p.statusCode).toBe(400);
    expect(p.json().error.details[0].path).toBe('params.id');
  });

  it('refuses an oversize body with 413', async () => {
    const before = await unitCount();
    const res = await raw(JSON.stringify({ parentId: root, code: 'BIG', name: 'x'.repeat(10_000), typeCode: 'department' }));
    expect(res.statusCode).toBe(413);
    expectErrorShape(res.json());
    expect(res.json().error.code).toBe('BODY_TOO_LARGE');
    expect(await unitCount()).toBe(before);
  });

  it('refuses a content type it does not speak with 415', async () => {
    const res = await raw('<unit/>', { 'content-type': 'application/xml' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown API paths with the JSON error shape', async () => {
    const res = await admin.get('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expectErrorShape(res.json());
    expect(res.json().error.message).toBe('未找到页面');
    const unit = await admin.request('GET', '/api/v1/units/999999', undefined, { 'accept-language': 'en' });
    expect(unit.json().error.message).toBe('Unit not found');
  });

  it('asks an anonymous caller to log in, without data', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/people' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: '请先登录', details: [] } });
  });

  it('answers a database failure with a plain 500 and no internals', async () => {
    const broken = await startTestApp();
    const c = await login(broken);
    await broken.services.db.kysely.schema.dropTable('membership').execute();
    const res = await c.get('/api/v1/units');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: '服务器内部错误，请稍后再试', details: [] } });
    await broken.close();
  });
});
