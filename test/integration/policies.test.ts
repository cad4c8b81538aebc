import { afterEach, describe, expect, it } from 'vitest';
import { issuedForm, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

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
