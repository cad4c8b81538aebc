import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous } from '../support/harness.js';
import { formFields, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

/**
 * Issue 8, security 2: the same answer on both databases. PostgreSQL refuses a NUL character in
 * text and an integer beyond 32 bits with an error of its own (a 500 before this fix), SQLite
 * stored or looked them up; now both answer 400 naming the field, and nothing changes.
 */
describe('what no database stores is refused at the edge, the same on SQLite and PostgreSQL', () => {
  let o: LiaisonOrg;
  const counts = async () => {
    const k = o.t.services.db.kysely;
    const n = async (table: 'unit' | 'person' | 'case_record' | 'membership' | 'audit_event' | 'session') =>
      Number(
        (
          await k
            .selectFrom(table)
            .select((e) => e.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      unit: await n('unit'),
      person: await n('person'),
      case: await n('case_record'),
      membership: await n('membership'),
      audit: await n('audit_event'),
      session: await n('session'),
    };
  };
  beforeAll(async () => {
    o = await liaisonOrg();
  });
  afterAll(() => o.t.close());

  const expect400 = (res: { statusCode: number; json(): unknown; body: string }, path: string) => {
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json() as { error: { code: string; details: { path: string; message: string }[] } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.details.map((d) => d.path)).toContain(path);
    expect(res.body).not.toMatch(/SELECT|INSERT|UPDATE |sqlite|postgres|invalid byte|\bat .*\.[jt]s:\d+/i);
  };

  it('refuses a NUL character in an anonymous login, in the user name and the password', async () => {
    const before = await counts();
    const anon = anonymous(o.t);
    expect400(await anon.post('/api/v1/auth/login', { username: 'ad\u0000min', password: 'x' }), 'username');
    expect400(await anon.post('/api/v1/auth/login', { username: 'admin', password: 'Admin\u000012345' }), 'password');
    expect(await counts()).toEqual(before);
  });

  it('names the NUL character in body text, nested free-form fields, record keys and query strings', async () => {
    const before = await counts();
    const res = await o.admin.post('/api/v1/units', { parentId: o.units.root, code: 'NUL1', name: '单\u0000位', typeCode: 'department' });
    expect400(res, 'name');
    expect((res.json() as { error: { details: { message: string }[] } }).error.details[0]?.message).toBe('不能包含空字符（\\0）');
    const drafter = o.people.drafter.client;
    expect400(
      await drafter.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o, { title: '标题\u0000' }) }),
      'fields.title',
    );
    expect400(
      await drafter.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: { ...formFields(o), 'x\u0000': 1 } }),
      'fields.x\\0',
    );
    expect400(await o.admin.get('/api/v1/people?q=%00'), 'query.q');
    expect400(await o.admin.get('/api/v1/cases?q=a%00b&tab=all'), 'query.q');
    expect400(await o.admin.get('/api/v1/audit?entityType=%00'), 'query.entityType');
    expect(await counts()).toEqual(before);
  });

  it('refuses an id beyond the stored integer range in a path, a query and a body', async () => {
    const before = await counts();
    const big = 2 ** 31;
    expect400(await o.admin.get(`/api/v1/units/${big}`), 'params.id');
    expect400(await o.admin.get(`/api/v1/people/${big}`), 'params.id');
    expect400(await o.admin.get(`/api/v1/cases/${big}`), 'params.id');
    expect400(await o.admin.get(`/api/v1/people?unitId=${big}`), 'query.unitId');
    expect400(await o.admin.post('/api/v1/units', { parentId: big, code: 'BIG1', name: '大号', typeCode: 'department' }), 'parentId');
    expect400(
      await o.admin.post('/api/v1/units', { parentId: o.units.root, code: 'BIG2', name: '大号', typeCode: 'department', sortOrder: 2 ** 40 }),
      'sortOrder',
    );
    const drafter = o.people.drafter.client;
    expect400(await drafter.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: big, fields: formFields(o) }), 'initiatorUnitId');
    expect400(
      await drafter.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o, { signingLeaderPersonId: big }) }),
      'fields.signingLeaderPersonId',
    );
    expect400(await o.admin.post('/api/v1/memberships', { personId: big, unitId: o.units.ops, roleCode: 'staff' }), 'personId');
    // The largest stored id is a plain "not found".
    expect((await o.admin.get(`/api/v1/units/${big - 1}`)).statusCode).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it("answers 400 naming the field when a case's watchers name a person who does not exist", async () => {
    const before = await counts();
    const res = await o.people.drafter.client.post('/api/v1/cases', {
      type: 'contact_form',
      initiatorUnitId: o.units.ops,
      fields: formFields(o),
      watcherPersonIds: [o.people.worker.personId, 999_999],
    });
    expect400(res, 'watcherPersonIds.1');
    expect(await counts()).toEqual(before);
  });

  it('answers 400 naming the field when a membership names a unit or person that does not exist', async () => {
    const before = await counts();
    const worker = o.people.worker.personId;
    const u = await o.admin.post('/api/v1/memberships', { personId: worker, unitId: 999_999, roleCode: 'staff' });
    expect(u.statusCode, u.body).toBeGreaterThanOrEqual(400);
    expect(u.statusCode).toBeLessThan(500);
    const p = await o.admin.post('/api/v1/memberships', { personId: 999_999, unitId: o.units.ops, roleCode: 'staff' });
    expect(p.statusCode, p.body).toBeGreaterThanOrEqual(400);
    expect(p.statusCode).toBeLessThan(500);
    expect(await counts()).toEqual(before);
  });
});
