import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_LIMITS } from '../../src/contracts/limits.js';
import { formFields, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

/**
 * Nothing is cut silently (issue 8, first use 7): text at its limit is kept whole; one character more
 * is refused with 400 naming the field and the limit, in the user's language, and nothing changes.
 */
describe('text limits: kept whole at the limit, refused with the field named above it', () => {
  let o: LiaisonOrg;
  beforeAll(async () => {
    o = await liaisonOrg();
  });
  afterAll(() => o.t.close());

  const auditCount = async () =>
    Number(
      (
        await o.t.services.db.kysely
          .selectFrom('audit_event')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const cases: {
    what: string;
    limit: number;
    path: string;
    send: (text: string) => Promise<{ statusCode: number; json(): Record<string, unknown> & { id?: number } }>;
    stored: (res: Record<string, unknown> & { id?: number }) => unknown;
  }[] = [
    {
      what: 'a person’s name',
      limit: TEXT_LIMITS.personName,
      path: 'name',
      send: (text) => o.people.office.client.post('/api/v1/people', { name: text, unitId: o.units.ops }),
      stored: (r) => r.name,
    },
    {
      what: 'a person’s post',
      limit: TEXT_LIMITS.post,
      path: 'post',
      send: (text) => o.people.office.client.post('/api/v1/people', { name: '岗位测试', unitId: o.units.ops, post: text }),
      stored: (r) => r.post,
    },
    {
      what: 'a unit’s name',
      limit: TEXT_LIMITS.unitName,
      path: 'name',
      send: (text) => o.people.office.client.post('/api/v1/units', { parentId: o.units.ops, code: `L${text.length}`, name: text, typeCode: 'team' }),
      stored: (r) => r.name,
    },
    {
      what: 'a contact form’s title',
      limit: TEXT_LIMITS.caseTitle,
      path: 'fields.title',
      send: (text) =>
        o.people.drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o, { title: text }) }),
      stored: async (r) => (await o.people.drafter.client.get(`/api/v1/cases/${r.id}`)).json().title,
    },
  ];

  for (const c of cases) {
    it(`${c.what}: ${c.limit} characters are stored whole, ${c.limit + 1} are refused naming ${c.path}`, async () => {
      const atLimit = '联'.repeat(c.limit);
      const ok = await c.send(atLimit);
      expect(ok.statusCode, JSON.stringify(ok.json())).toBeLessThan(300);
      expect(await c.stored(ok.json())).toBe(atLimit);

      const before = await auditCount();
      const over = await c.send(`${atLimit}系`);
      expect(over.statusCode).toBe(400);
      const body = over.json() as { error: { code: string; details: { path: string; message: string }[] } };
      expect(body.error.code).toBe('VALIDATION');
      expect(body.error.details).toContainEqual({ path: c.path, message: `最多 ${c.limit} 个字符` });
      expect(await auditCount()).toBe(before);
    });
  }

  it('says so in English too', async () => {
    const res = await o.people.office.client.request(
      'POST',
      '/api/v1/people',
      { name: 'x'.repeat(TEXT_LIMITS.personName + 1), unitId: o.units.ops },
      { 'accept-language': 'en' },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toContainEqual({ path: 'name', message: `must have at most ${TEXT_LIMITS.personName} characters` });
  });
});
