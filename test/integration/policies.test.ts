import { afterEach, describe, expect, it } from 'vitest';
import { act, formFields, issuedForm, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

describe('policies: numbers from the rulebooks, changeable per organization', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  it('lists every policy with its default and source, and applies an administrator change to new deadlines', async () => {
    o = await liaisonOrg();
    const list = (await o.people.drafter.client.get('/api/v1/policies')).json();
    const sign = list.find((p: { key: string }) => p.key === 'contactForm.signWorkingDays');
    expect(sign).toMatchObject({ value: 1, default: 1, overridden: false });
    expect(sign.source).toContain('seed article 8');

    const changed = await o.admin.put('/api/v1/policies/contactForm.signWorkingDays', { value: 2 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ value: 2, overridden: true });
    const { detail } = await issuedForm(o);
    // Issued Tuesday 9-29 + 2 working days: 9-30 is the first, the National Day week is skipped, 10-08 the second.
    expect(detail.deadlines.find((d: { clock: string }) => d.clock === 'sign').dueAt).toBe('2026-10-08T09:30:00.000Z');
    const audit = (await o.admin.get('/api/v1/audit?entityType=policy&entityId=contactForm.signWorkingDays')).json();
    expect(audit.items[0].action).toBe('policy.update');
  });

  it('refuses a value of the wrong kind with the field named, an unknown key with 404, and a non-administrator with 403', async () => {
    o = await liaisonOrg();
    const bad = await o.admin.put('/api/v1/policies/contactForm.signWorkingDays', { value: 'one day' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toEqual({ path: 'value', message: '应为数字' });
    const negative = await o.admin.put('/api/v1/policies/contactForm.signWorkingDays', { value: -1 });
    expect(negative.json().error.details[0]).toEqual({ path: 'value', message: '不能小于 0' });
    expect((await o.admin.put('/api/v1/policies/no.such.policy', { value: 1 })).statusCode).toBe(404);
    expect((await o.people.drafter.client.put('/api/v1/policies/contactForm.signWorkingDays', { value: 3 })).statusCode).toBe(403);
    const after = (await o.admin.get('/api/v1/policies')).json();
    expect(after.find((p: { key: string }) => p.key === 'contactForm.signWorkingDays').value).toBe(1);
  });
});

/**
 * Issue 8, security 3: no policy value breaks the product. Before the fix `calendar.workdayStart`
 * 18:00 after a 17:30 end was accepted, and every deadline, case creation and sign answered 500.
 */
describe('policies that belong together are validated together, wherever they change', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const auditCount = async () =>
    Number(
      (
        await o.t.services.db.kysely
          .selectFrom('audit_event')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const hours = async () => {
    const list = (await o.admin.get('/api/v1/policies')).json() as { key: string; value: unknown }[];
    return list.filter((p) => p.key.startsWith('calendar.workday')).map((p) => `${p.key}=${p.value}`);
  };
  /** A case is drafted, submitted, issued and signed for, and a deadline is computed: the product works. */
  const productWorks = async () => {
    expect((await o.admin.get('/api/v1/calendar/deadline?from=2026-09-29T02:00:00.000Z&workingDays=1')).statusCode).toBe(200);
    const { id } = await issuedForm(o);
    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId });
  };

  it('refuses a working day that starts after it ends, by a single PUT either way round, and changes nothing', async () => {
    o = await liaisonOrg();
    const before = await auditCount();
    const start = await o.admin.put('/api/v1/policies/calendar.workdayStart', { value: '18:00' });
    expect(start.statusCode, start.body).toBe(400);
    expect(start.json().error.details).toEqual([{ path: 'value', message: '须早于 calendar.workdayEnd（现为 17:30）' }]);
    const end = await o.admin.request('PUT', '/api/v1/policies/calendar.workdayEnd', { value: '08:30' }, { 'accept-language': 'en' });
    expect(end.statusCode).toBe(400);
    expect(end.json().error.details).toEqual([{ path: 'value', message: 'must be after calendar.workdayStart (now 08:30)' }]);
    expect(await auditCount()).toBe(before);
    expect(await hours()).toEqual(['calendar.workdayEnd=17:30', 'calendar.workdayStart=08:30']);
    await productWorks();
  });

  it('moves both ends at once through PUT /policies, all or nothing, with the same check', async () => {
    o = await liaisonOrg();
    const before = await auditCount();
    const bad = await o.admin.put('/api/v1/policies', { values: { 'contactForm.signWorkingDays': 2, 'calendar.workdayStart': '19:00' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toEqual([{ path: 'values.calendar.workdayStart', message: '须早于 calendar.workdayEnd（现为 17:30）' }]);
    const unknown = await o.admin.put('/api/v1/policies', { values: { 'contactForm.signWorkingDays': 2, 'no.such': 1 } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual([{ path: 'values.no.such', message: '不允许的字段' }]);
    expect(await auditCount()).toBe(before);
    expect((await o.people.drafter.client.put('/api/v1/policies', { values: { 'contactForm.signWorkingDays': 2 } })).statusCode).toBe(403);

    const ok = await o.admin.put('/api/v1/policies', { values: { 'calendar.workdayStart': '18:00', 'calendar.workdayEnd': '20:00' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await hours()).toEqual(['calendar.workdayEnd=20:00', 'calendar.workdayStart=18:00']);
    expect(await auditCount()).toBe(before + 2);
    const d = (await o.admin.get('/api/v1/calendar/deadline?from=2026-09-29T02:00:00.000Z&workingDays=1')).json();
    expect(d.local).toBe('2026-09-30 20:00');
    await productWorks();
  });

  it('applies the same check to PUT /calendar/policy', async () => {
    o = await liaisonOrg();
    const res = await o.admin.put('/api/v1/calendar/policy', { workdayStart: '18:00', workdayEnd: '17:30' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ path: 'workdayEnd', message: '须晚于 calendar.workdayStart（现为 18:00）' }]);
    expect(await hours()).toEqual(['calendar.workdayEnd=17:30', 'calendar.workdayStart=08:30']);
  });

  it('keeps working on a broken pair stored before the check existed: both fall back to their defaults', async () => {
    o = await liaisonOrg();
    const now = new Date().toISOString();
    await o.t.services.db.kysely
      .insertInto('policy')
      .values([
        { key: 'calendar.workdayStart', value: JSON.stringify('18:00'), updated_at: now, updated_by: null },
        { key: 'calendar.workdayEnd', value: JSON.stringify('09:00'), updated_at: now, updated_by: null },
      ])
      .execute();
    expect(await hours()).toEqual(['calendar.workdayEnd=17:30', 'calendar.workdayStart=08:30']);
    await productWorks();
    const c = await o.people.drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o) });
    expect(c.statusCode).toBe(201);
  });
});
