import { afterEach, describe, expect, it } from 'vitest';
import { act, issuedForm, type LiaisonOrg, liaisonOrg, partOf } from '../support/liaison-org.js';

/** Working-day clocks of the contact form, driven by an injected clock and the sweep. */
describe('contact form clocks', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const notices = async (who: keyof LiaisonOrg['people']) => (await o.people[who].client.get('/api/v1/notifications')).json();

  it('escalates to the office and the signing leader and proposes an assessment when the receiver neither signs nor objects within 1 working day', async () => {
    // Issued 2026-09-30 10:00: the National Day week is skipped, the deadline is 2026-10-08 17:30.
    o = await liaisonOrg('2026-09-30T02:00:00.000Z');
    const { id, detail } = await issuedForm(o);
    const maint = partOf(detail, o.units.maint);
    expect(detail.deadlines.find((d: { clock: string; partId: number }) => d.clock === 'sign' && d.partId === maint).dueAt).toBe('2026-10-08T09:30:00.000Z');

    o.clock.set('2026-10-08T09:29:00.000Z');
    // 2 working hours before: the reminder, not yet the expiry.
    expect((await o.t.services.cases.sweep()).fired).toBe(0);
    o.clock.set('2026-10-08T09:31:00.000Z');
    const first = await o.t.services.cases.sweep();
    // Both receivers (主办 and 协办) missed it.
    expect(first.fired).toBe(2);
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 0, reminded: 0 });

    const d = (await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json();
    expect(d.parts.find((p: { id: number }) => p.id === maint).overdue).toBe(true);
    expect(d.deadlines.find((x: { clock: string; partId: number }) => x.clock === 'sign' && x.partId === maint).state).toBe('fired');
    expect(d.timeline.filter((e: { action: string }) => e.action === 'clock_expired')).toHaveLength(2);

    const office = await notices('office');
    expect(office.items.map((n: { text: string }) => n.text)).toContain(
      '检修部 未在期限（2026-10-08 17:30）内签收或提出异议：工作联系单 LXD-2026-0001《检修煤矿皮带机台账核对》',
    );
    const leader = await notices('leader');
    expect(leader.items.some((n: { kind: string }) => n.kind === 'cf.sign_overdue')).toBe(true);

    const ledger = (await o.people.drafter.client.get('/api/v1/assessments')).json();
    expect(ledger.items.map((a: { rule: string; subjectUnit: { name: string } }) => `${a.rule}:${a.subjectUnit.name}`).sort()).toEqual([
      'contact_form.no_sign_in_time:安监部',
      'contact_form.no_sign_in_time:检修部',
    ]);
    // The receiver may still sign late; the clock does not fire again.
    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: maint });
    expect((await o.t.services.cases.sweep()).fired).toBe(0);
  });

  it('reminds the receiver 2 working hours before the sign-or-object deadline, once', async () => {
    o = await liaisonOrg();
    await issuedForm(o);
    o.clock.set('2026-09-30T07:29:00.000Z'); // 15:29 Shanghai
    expect((await o.t.services.cases.sweep()).reminded).toBe(0);
    o.clock.set('2026-09-30T07:31:00.000Z'); // 15:31: within 2 h of 17:30
    expect((await o.t.services.cases.sweep()).reminded).toBe(2);
    expect((await o.t.services.cases.sweep()).reminded).toBe(0);
    const n = await notices('receiver');
    expect(n.items.filter((x: { kind: string }) => x.kind === 'case.reminder').map((x: { text: string }) => x.text)).toEqual([
      '提醒：LXD-2026-0001《检修煤矿皮带机台账核对》将于 2026-09-30 17:30 到期',
    ]);
  });

  it('does not fire a clock that was stopped in time', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o);
    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId });
    await act(o.people.safetyHead.client, id, 'object', { about: 'requirement', reason: '需要明确范围' });
    o.clock.set('2026-10-09T00:00:00.000Z');
    expect((await o.t.services.cases.sweep()).fired).toBe(0);
    const ledger = (await o.admin.get('/api/v1/assessments')).json();
    expect(ledger.total).toBe(0);
  });

  it('marks the work late and proposes "finished late" when the completion date passes without a reply', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const maint = partOf(detail, o.units.maint);
    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: maint });
    o.clock.set('2026-10-20T09:31:00.000Z');
    const r = await o.t.services.cases.sweep();
    expect(r.fired).toBe(2); // maint's completion clock, and safety's sign clock long before
    const n = await notices('worker');
    expect(n.items.map((x: { text: string }) => x.text)).toContain('工作联系单 LXD-2026-0001《检修煤矿皮带机台账核对》已超出完成时限（2026-10-20 17:30）');
    const ledger = (await o.admin.get('/api/v1/assessments?rule=contact_form.finished_late')).json();
    expect(ledger.items).toHaveLength(1);
    expect(ledger.items[0].evidence).toBe('LXD-2026-0001');
    expect(ledger.items[0].period).toBe('2026-10');
  });

  it('puts an escalated form in front of supervision with its own deadline, and records the result', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const maint = partOf(detail, o.units.maint);
    const req = await act(o.people.drafter.client, id, 'request_supervision', { reason: '检修部迟迟不签收' }, { partId: maint });
    expect(req.parts.find((p: { id: number }) => p.id === maint).supervised).toBe(false);
    expect((await notices('office')).items.some((n: { kind: string }) => n.kind === 'cf.supervision_requested')).toBe(true);

    const d = await act(o.people.office.client, id, 'escalate', { note: '纳入公司督办' }, { partId: maint });
    expect(d.parts.find((p: { id: number }) => p.id === maint).supervised).toBe(true);
    const sup = d.deadlines.find((x: { clock: string }) => x.clock === 'supervise');
    expect(sup.dueAt).toBe('2026-10-09T09:30:00.000Z'); // 3 working days after 9-29, skipping National Day
    const todo = (await o.people.supervisor.client.get('/api/v1/cases?tab=todo')).json();
    expect(todo.items.map((c: { id: number }) => c.id)).toEqual([id]);

    await act(o.people.supervisor.client, id, 'supervision_note', { note: '请检修部今日签收' }, { partId: maint });
    const done = await act(o.people.supervisor.client, id, 'supervision_result', { result: '已督促签收，纳入月度考核' }, { partId: maint });
    expect(done.parts.find((p: { id: number }) => p.id === maint).supervised).toBe(false);
    expect(done.deadlines.find((x: { clock: string }) => x.clock === 'supervise').state).toBe('met');
    expect(done.timeline.at(-1).data.result).toBe('已督促签收，纳入月度考核');
    const again = (await o.people.supervisor.client.get('/api/v1/cases?tab=todo')).json();
    expect(again.total).toBe(0);
  });
});
