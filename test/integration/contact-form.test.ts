import { afterEach, describe, expect, it } from 'vitest';
import { act, formFields, issuedForm, type LiaisonOrg, liaisonOrg, partOf } from '../support/liaison-org.js';

/** The work contact form (工作联系单, seed article 8 / DOMAIN.md §3), every step over HTTP. */
describe('work contact form lifecycle', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  it('goes draft → signed and issued → signed for → replied → accepted, and closes when every receiver closes', async () => {
    o = await liaisonOrg();
    const { drafter, leader, receiver, worker, safetyHead } = o.people;
    const created = await drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o) });
    expect(created.statusCode).toBe(201);
    expect(created.json().number).toBe('LXD-2026-0001');
    const id = created.json().id;

    let d = (await drafter.client.get(`/api/v1/cases/${id}`)).json();
    expect(d.state).toBe('draft');
    expect(d.stateLabel).toBe('草稿');
    expect(d.actions.map((a: { action: string }) => a.action).sort()).toEqual(['submit', 'withdraw']);
    expect(d.editable).toBe(true);

    await act(drafter.client, id, 'submit');
    d = await act(leader.client, id, 'issue');
    expect(d.state).toBe('issued');
    expect(d.revision).toBe(1);
    expect(d.parts.map((p: { state: string }) => p.state)).toEqual(['awaiting_sign', 'awaiting_sign']);
    // Issued Tuesday 2026-09-29 10:00 + 1 working day → Wednesday 17:30, with an explanation.
    const sign = d.deadlines.find((x: { clock: string }) => x.clock === 'sign');
    expect(sign.dueAt).toBe('2026-09-30T09:30:00.000Z');
    expect(sign.explanation.join('；')).toContain('9月30日 为第1个工作日');

    const maintPart = partOf(d, o.units.maint);
    const safetyPart = partOf(d, o.units.safety);
    // The receiver sees only its own part's actions.
    const rd = (await receiver.client.get(`/api/v1/cases/${id}`)).json();
    expect(rd.actions).toEqual(
      expect.arrayContaining([
        { action: 'sign', label: '签收', partId: maintPart },
        { action: 'object', label: '提出异议', partId: maintPart },
      ]),
    );
    expect(rd.actions.every((a: { partId: number }) => a.partId === maintPart)).toBe(true);

    d = await act(receiver.client, id, 'sign', { handlerPersonId: worker.personId }, { partId: maintPart });
    const mp = d.parts.find((p: { id: number }) => p.id === maintPart);
    expect(mp.state).toBe('in_progress');
    expect(mp.handler.name).toBe('赵师傅');
    const complete = d.deadlines.find((x: { clock: string; partId: number }) => x.clock === 'complete' && x.partId === maintPart);
    expect(complete.dueAt).toBe('2026-10-20T09:30:00.000Z');

    await act(worker.client, id, 'progress', { note: '已核对一半' });
    await act(worker.client, id, 'reply', { result: '台账已核对完毕，发现3处不符并已整改。' });
    d = await act(drafter.client, id, 'accept', {}, { partId: maintPart });
    expect(d.parts.find((p: { id: number }) => p.id === maintPart).state).toBe('closed');
    expect(d.state).toBe('issued');

    await act(safetyHead.client, id, 'sign', { handlerPersonId: safetyHead.personId });
    await act(safetyHead.client, id, 'reply', { result: '已配合完成' });
    d = await act(drafter.client, id, 'accept', {}, { partId: safetyPart });
    expect(d.state).toBe('closed');
    expect(d.stateLabel).toBe('已销号');
    expect(d.closedAt).not.toBeNull();
    expect(d.actions).toEqual([]);

    const labels = d.timeline.map((e: { label: string }) => e.label);
    expect(labels).toEqual(['起草', '提交签发', '签发', '签收', '报告进展', '填写回复单', '验收销号', '签收', '填写回复单', '验收销号']);
    const completed = d.deadlines.find((x: { clock: string; partId: number }) => x.clock === 'complete' && x.partId === maintPart);
    expect(completed.state).toBe('met');

    // Every step is on record in the audit log, in the same transactions.
    const audit = (await o.admin.get(`/api/v1/audit?entityType=case&entityId=${id}&pageSize=100`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['case.create', 'case.submit', 'case.issue', 'case.sign', 'case.reply', 'case.accept']),
    );
  });

  it('sends a form back to the drafter when the leader refuses to sign it, with the reason on the timeline', async () => {
    o = await liaisonOrg();
    const c = await o.people.drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o) });
    const id = c.json().id;
    await act(o.people.drafter.client, id, 'submit');
    const d = await act(o.people.leader.client, id, 'send_back', { reason: '工作要求不够具体' });
    expect(d.state).toBe('draft');
    expect(d.timeline.at(-1).data.reason).toBe('工作要求不够具体');
  });

  it('restarts the clocks on a revised form when an objection is upheld, keeping the earlier version', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const maintPart = partOf(detail, o.units.maint);
    let d = await act(o.people.receiver.client, id, 'object', { about: 'deadline', reason: '检修任务冲突，10月20日无法完成' });
    expect(d.parts.find((p: { id: number }) => p.id === maintPart).state).toBe('objected');
    // The objection answered in time: no sign clock is left running for this part.
    expect(d.deadlines.find((x: { clock: string; partId: number }) => x.clock === 'sign' && x.partId === maintPart).state).toBe('met');

    d = await act(o.people.leader.client, id, 'uphold_objection', { reason: '同意延至10月30日' }, { partId: maintPart });
    expect(d.state).toBe('revising');
    expect(d.parts.every((p: { state: string }) => p.state === 'pending')).toBe(true);
    d = (await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json();
    expect(d.editable).toBe(true);

    const edited = await o.people.drafter.client.put(`/api/v1/cases/${id}`, { version: d.version, fields: formFields(o, { dueDate: '2026-10-30' }) });
    expect(edited.statusCode).toBe(200);
    o.clock.advance(60 * 60 * 1000);
    await act(o.people.drafter.client, id, 'submit');
    d = await act(o.people.leader.client, id, 'issue');
    expect(d.revision).toBe(2);
    expect(d.fields.dueDate).toBe('2026-10-30');
    expect(d.parts.every((p: { state: string; dueDate: string }) => p.state === 'awaiting_sign' && p.dueDate === '2026-10-30')).toBe(true);
    // The first version is kept on the timeline.
    const issues = d.timeline.filter((e: { action: string }) => e.action === 'issue');
    expect(issues.map((e: { data: { fields: { dueDate: string } } }) => e.data.fields.dueDate)).toEqual(['2026-10-20', '2026-10-30']);
  });

  it('makes the receiver sign when the leader rejects the objection, with a new sign-or-object day', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const maintPart = partOf(detail, o.units.maint);
    await act(o.people.receiver.client, id, 'object', { about: 'requirement', reason: '不属于本部门职责' });
    o.clock.advance(2 * 60 * 60 * 1000);
    const d = await act(o.people.leader.client, id, 'reject_objection', { reason: '属于检修部职责' }, { partId: maintPart });
    expect(d.parts.find((p: { id: number }) => p.id === maintPart).state).toBe('awaiting_sign');
    const running = d.deadlines.filter(
      (x: { clock: string; partId: number; state: string }) => x.clock === 'sign' && x.partId === maintPart && x.state === 'running',
    );
    expect(running).toHaveLength(1);
    const objected = await o.people.receiver.client.get(`/api/v1/cases/${id}`);
    expect(objected.json().actions.map((a: { action: string }) => a.action)).toContain('sign');
  });

  it('grants an extension asked for before the deadline and shows the new deadline; refuses one asked after it', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const maintPart = partOf(detail, o.units.maint);
    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: maintPart });
    let d = await act(o.people.worker.client, id, 'request_extension', { dueDate: '2026-10-27', reason: '备件未到货' });
    expect(d.parts.find((p: { id: number }) => p.id === maintPart).state).toBe('extension_requested');
    d = await act(o.people.leader.client, id, 'grant_extension', { dueDate: '2026-10-27', reason: '同意' }, { partId: maintPart });
    const part = d.parts.find((p: { id: number }) => p.id === maintPart);
    expect(part.state).toBe('in_progress');
    expect(part.dueDate).toBe('2026-10-27');
    const running = d.deadlines.find(
      (x: { clock: string; partId: number; state: string }) => x.clock === 'complete' && x.partId === maintPart && x.state === 'running',
    );
    expect(running.dueAt).toBe('2026-10-27T09:30:00.000Z');

    // After the (extended) deadline, an extension can no longer be asked for.
    o.clock.set('2026-10-28T01:00:00.000Z');
    const late = await o.people.worker.client.post(`/api/v1/cases/${id}/actions`, {
      action: 'request_extension',
      input: { dueDate: '2026-11-05', reason: '仍未到货' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('EXTENSION_TOO_LATE');
    const after = (await o.people.worker.client.get(`/api/v1/cases/${id}`)).json();
    expect(after.parts.find((p: { id: number }) => p.id === maintPart).state).toBe('in_progress');
  });

  it('returns a substandard reply for rework and proposes an assessment when it was also late', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const maintPart = partOf(detail, o.units.maint);
    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: maintPart });
    o.clock.set('2026-10-21T02:00:00.000Z'); // a day after the 2026-10-20 17:30 deadline
    await act(o.people.worker.client, id, 'reply', { result: '已完成' });
    const d = await act(o.people.drafter.client, id, 'return', { reason: '未附核对记录', dueDate: '2026-10-23' }, { partId: maintPart });
    expect(d.parts.find((p: { id: number }) => p.id === maintPart).state).toBe('in_progress');
    const ledger = (await o.people.drafter.client.get('/api/v1/assessments')).json();
    expect(ledger.items.map((a: { rule: string }) => a.rule)).toEqual(['contact_form.substandard_late']);
    expect(ledger.items[0].subjectUnit.name).toBe('检修部');
  });
});

describe('who may act on a contact form', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  it('answers 409 with the allowed actions for an action the current state does not allow, and changes nothing', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o);
    const r = await o.people.receiver.client.post(`/api/v1/cases/${id}/actions`, { action: 'reply', input: { result: '完成' } });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('ACTION_NOT_ALLOWED');
    expect(r.json().error.message).toContain('签收');
    const d = (await o.people.receiver.client.get(`/api/v1/cases/${id}`)).json();
    expect(d.parts.map((p: { state: string }) => p.state)).toEqual(['awaiting_sign', 'awaiting_sign']);
  });

  it('refuses with 403 an action by a party without the relational role, and hides the case (404) from outsiders', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o);
    const byDrafter = await o.people.drafter.client.post(`/api/v1/cases/${id}/actions`, {
      action: 'sign',
      partId: undefined,
      input: { handlerPersonId: o.people.worker.personId },
    });
    expect([400, 403]).toContain(byDrafter.statusCode);
    const before = (await o.admin.get(`/api/v1/cases/${id}`)).json();
    const sign = await o.people.drafter.client.post(`/api/v1/cases/${id}/actions`, {
      action: 'sign',
      partId: partOf(before, o.units.maint),
      input: { handlerPersonId: o.people.worker.personId },
    });
    expect(sign.statusCode).toBe(403);
    const peek = await o.people.outsider.client.get(`/api/v1/cases/${id}`);
    expect(peek.statusCode).toBe(404);
    const poke = await o.people.outsider.client.post(`/api/v1/cases/${id}/actions`, { action: 'sign', input: { handlerPersonId: o.people.outsider.personId } });
    expect(poke.statusCode).toBe(404);
    const after = (await o.admin.get(`/api/v1/cases/${id}`)).json();
    expect(after.version).toBe(before.version);
  });

  it('refuses a handler who is not a member of the receiving unit', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o);
    const r = await o.people.receiver.client.post(`/api/v1/cases/${id}/actions`, { action: 'sign', input: { handlerPersonId: o.people.outsider.personId } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0]).toEqual({ path: 'input.handlerPersonId', message: '“吴燃料”不是该单位的人员' });
  });

  it('lets one of two people acting at once win; the other gets 409 and nothing is lost', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const part = partOf(detail, o.units.maint);
    const [a, b] = await Promise.all([
      o.people.receiver.client.post(`/api/v1/cases/${id}/actions`, {
        action: 'sign',
        partId: part,
        version: detail.version,
        input: { handlerPersonId: o.people.worker.personId },
      }),
      o.people.worker.client.post(`/api/v1/cases/${id}/actions`, {
        action: 'object',
        partId: part,
        version: detail.version,
        input: { about: 'deadline', reason: '时间太紧张了' },
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const d = (await o.admin.get(`/api/v1/cases/${id}`)).json();
    const state = d.parts.find((p: { id: number }) => p.id === part).state;
    expect(a.statusCode === 200 ? 'in_progress' : 'objected').toBe(state);
    expect(d.timeline.filter((e: { action: string }) => e.action === 'sign' || e.action === 'object')).toHaveLength(1);
  });

  it('rejects a stale version with 409 instead of overwriting', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    await act(o.people.safetyHead.client, id, 'sign', { handlerPersonId: o.people.safetyHead.personId });
    const r = await o.people.receiver.client.post(`/api/v1/cases/${id}/actions`, {
      action: 'sign',
      version: detail.version,
      input: { handlerPersonId: o.people.worker.personId },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('CONFLICT');
  });
});

describe('contact form input', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  it('names the wrong field in Chinese: two main receivers, a non-leader as signer, a past date, an unknown field', async () => {
    o = await liaisonOrg();
    const post = (fields: Record<string, unknown>) =>
      o.people.drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields });
    const twoMains = await post(
      formFields(o, {
        receivers: [
          { unitId: o.units.maint, role: 'main' },
          { unitId: o.units.safety, role: 'main' },
        ],
      }),
    );
    expect(twoMains.statusCode).toBe(400);
    expect(twoMains.json().error.details).toContainEqual({ path: 'fields.receivers', message: '须有且只有一个主办单位' });

    const notLeader = await post(formFields(o, { signingLeaderPersonId: o.people.worker.personId }));
    expect(notLeader.statusCode).toBe(400);
    expect(notLeader.json().error.details[0]).toEqual({ path: 'fields.signingLeaderPersonId', message: '“赵师傅”不是发单单位的领导，不能签发' });

    const past = await post(formFields(o, { dueDate: '2026-09-01' }));
    expect(past.json().error.details[0].path).toBe('fields.dueDate');

    const unknown = await post({ ...formFields(o), colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0]).toEqual({ path: 'fields.colour', message: '不允许的字段' });

    const ownUnit = await post(formFields(o, { receivers: [{ unitId: o.units.ops, role: 'main' }] }));
    expect(ownUnit.json().error.details[0].path).toBe('fields.receivers.0.unitId');

    const list = (await o.people.drafter.client.get('/api/v1/cases?tab=mine')).json();
    expect(list.total).toBe(0);
  });

  it('refuses drafting for a unit the user is not a member of (403 when they can see it, 404 when they cannot)', async () => {
    o = await liaisonOrg();
    const office = await o.people.office.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o) });
    expect(office.statusCode).toBe(403);
    const outsider = await o.people.outsider.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o) });
    expect(outsider.statusCode).toBe(404);
  });

  it('computes a deadline in a year without official holiday data, and flags it', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o, { dueDate: '2027-03-01' });
    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: partOf(detail, o.units.maint) });
    const d = (await o.people.receiver.client.get(`/api/v1/cases/${id}`)).json();
    const complete = d.deadlines.find((x: { clock: string }) => x.clock === 'complete');
    expect(complete.dueAt).toBe('2027-03-01T09:30:00.000Z');
    expect(complete.flags).toEqual(['2027 年尚无官方节假日安排，仅按周末计算，请管理员录入或导入']);
  });

  it('answers malformed and oversize bodies with 400 and 413, and creates nothing', async () => {
    o = await liaisonOrg();
    const c = o.people.drafter.client;
    const malformed = await c.request('POST', '/api/v1/cases', '{"type": "contact_form", ', { 'content-type': 'application/json' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('MALFORMED_JSON');
    const huge = await c.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o, { body: '很长'.repeat(600_000) }) });
    expect(huge.statusCode).toBe(413);
    const tooLong = await c.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o, { body: '长'.repeat(10_001) }) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details[0]).toEqual({ path: 'fields.body', message: '最多 10000 个字符' });
    expect((await c.get('/api/v1/cases?tab=mine')).json().total).toBe(0);
  });

  it('links two forms both parties can see, on both timelines', async () => {
    o = await liaisonOrg();
    const a = await issuedForm(o);
    const b = await issuedForm(o, { title: '补充联系单' });
    const d = (await o.people.drafter.client.post(`/api/v1/cases/${a.id}/links`, { otherCaseId: b.id })).json();
    expect(d.links.map((l: { number: string }) => l.number)).toEqual(['LXD-2026-0002']);
    const other = (await o.people.receiver.client.get(`/api/v1/cases/${b.id}`)).json();
    expect(other.links.map((l: { id: number }) => l.id)).toEqual([a.id]);
    expect(other.timeline.at(-1).label).toBe('关联表单');
    expect((await o.people.outsider.client.post(`/api/v1/cases/${a.id}/links`, { otherCaseId: b.id })).statusCode).toBe(404);
  });

  it('validates action inputs: a missing reason and an unknown action', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o);
    const noReason = await o.people.receiver.client.post(`/api/v1/cases/${id}/actions`, { action: 'object', input: { about: 'deadline' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details).toContainEqual({ path: 'input.reason', message: '必填' });
    const unknown = await o.people.receiver.client.post(`/api/v1/cases/${id}/actions`, { action: 'approve_everything' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('UNKNOWN_ACTION');
  });
});
