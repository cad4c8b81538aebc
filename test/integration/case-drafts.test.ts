import { afterEach, describe, expect, it } from 'vitest';
import { act, formFields, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

/**
 * 保存草稿 / 提交签发 (issue 8, first use 2): a draft is saved with a title and whatever else is written
 * so far; sending it on checks the rest and names every missing field, and changes nothing until then.
 */
describe('saving an unfinished draft', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const draft = (type: string, fields: Record<string, unknown>) =>
    o.people.drafter.client.post('/api/v1/cases', { type, initiatorUnitId: o.units.ops, fields });
  const details = (r: { json(): { error: { details: { path: string; message: string }[] } } }) =>
    Object.fromEntries(r.json().error.details.map((d) => [d.path, d.message]));

  it('saves a contact form with only a title; 提交签发 names what is missing and changes nothing; filled in, it goes', async () => {
    o = await liaisonOrg();
    const created = await draft('contact_form', { title: '  皮带机台账核对  ', body: '' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    const client = o.people.drafter.client;
    let d = (await client.get(`/api/v1/cases/${id}`)).json();
    expect(d).toMatchObject({ state: 'draft', title: '皮带机台账核对', fields: { title: '皮带机台账核对' }, parts: [], editable: true });
    expect(d.actions.map((a: { action: string }) => a.action)).toContain('submit');

    const refused = await client.post(`/api/v1/cases/${id}/actions`, { action: 'submit' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('DRAFT_INCOMPLETE');
    expect(refused.json().error.message).toContain('草稿尚未填写完整');
    expect(details(refused)).toEqual({
      'fields.body': '必填',
      'fields.dueDate': '必填',
      'fields.receivers': '必填',
      'fields.signingLeaderPersonId': '必填',
    });
    const after = (await client.get(`/api/v1/cases/${id}`)).json();
    expect(after.version).toBe(d.version);
    expect(after.state).toBe('draft');
    expect(after.timeline).toEqual(d.timeline);
    // Nobody was told anything.
    expect((await o.people.leader.client.get('/api/v1/notifications')).json().total).toBe(0);

    // Half-filled: a receiver and a date; still incomplete.
    const half = await client.put(`/api/v1/cases/${id}`, {
      version: d.version,
      fields: { title: '皮带机台账核对', dueDate: '2026-10-20', receivers: [{ unitId: o.units.maint, role: 'main' }] },
    });
    expect(half.statusCode).toBe(200);
    expect(half.json().parts.map((p: { unit: { id: number } }) => p.unit.id)).toEqual([o.units.maint]);
    const still = await client.post(`/api/v1/cases/${id}/actions`, { action: 'submit' });
    expect(Object.keys(details(still))).toEqual(['fields.body', 'fields.signingLeaderPersonId']);

    d = (await client.put(`/api/v1/cases/${id}`, { version: half.json().version, fields: formFields(o) })).json();
    d = await act(client, id, 'submit');
    expect(d.state).toBe('pending_issue');
  });

  it('refuses at saving what is filled in wrongly, and a draft without a title', async () => {
    o = await liaisonOrg();
    const noTitle = await draft('contact_form', { body: '只写了正文' });
    expect(noTitle.statusCode).toBe(400);
    expect(details(noTitle)).toEqual({ 'fields.title': '必填' });
    const bad = await draft('contact_form', { title: '皮带机台账核对', dueDate: '下周五', receivers: [{ unitId: o.units.ops, role: 'main' }], colour: 'red' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(details(bad)).sort()).toEqual(['fields.colour', 'fields.dueDate']);
    // A unit that is there is checked as it would be on sending: not the initiating unit itself.
    const own = await draft('contact_form', { title: '皮带机台账核对', receivers: [{ unitId: o.units.ops, role: 'main' }] });
    expect(details(own)).toEqual({ 'fields.receivers.0.unitId': '不能向本单位发工作联系单' });
    expect((await o.people.drafter.client.get('/api/v1/cases?tab=mine')).json().total).toBe(0);
  });

  it('checks the signing leader and the date again when the draft is sent on', async () => {
    o = await liaisonOrg();
    const created = await draft('contact_form', formFields(o));
    const id = created.json().id as number;
    // Weeks later the due date has passed: the draft saved then is not sent with it now.
    o.clock.advance(25 * 24 * 3600_000);
    const late = await o.people.drafter.client.post(`/api/v1/cases/${id}/actions`, { action: 'submit' });
    expect(late.statusCode).toBe(400);
    expect(details(late)).toEqual({ 'fields.dueDate': '日期不能早于今天' });
  });

  it('saves the other three forms with only a title, and checks the rest when they are sent on', async () => {
    o = await liaisonOrg();
    const client = o.people.drafter.client;
    const cases = [
      { type: 'commission_letter', action: 'submit', missing: ['body', 'chiefEngineerPersonId', 'departmentHeadPersonId', 'receiverUnitId', 'reportKind'] },
      { type: 'notice', action: 'issue', fields: { kind: 'work_start' }, missing: ['body', 'receiverUnitIds', 'workDate'] },
      { type: 'operation_ticket', action: 'submit', missing: ['equipment', 'operation', 'permitterPersonId', 'reviewerPersonId', 'steps'] },
    ];
    for (const c of cases) {
      const created = await draft(c.type, { title: '只写了标题的草稿', ...c.fields });
      expect(created.statusCode, c.type).toBe(201);
      const id = created.json().id as number;
      const r = await client.post(`/api/v1/cases/${id}/actions`, { action: c.action });
      expect(r.statusCode, c.type).toBe(400);
      expect(r.json().error.code).toBe('DRAFT_INCOMPLETE');
      expect(Object.keys(details(r)).sort(), c.type).toEqual(c.missing.map((m) => `fields.${m}`));
      // Withdrawing (voiding) an unfinished draft is not sending it on.
      const drop = c.type === 'operation_ticket' ? 'void' : 'withdraw';
      expect((await act(client, id, drop, { reason: '不再需要' })).state).toMatch(/withdrawn|voided/);
    }
  });
});
