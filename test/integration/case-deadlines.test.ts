import { afterEach, describe, expect, it } from 'vitest';
import { act, issuedForm, type LiaisonOrg, liaisonOrg, partOf } from '../support/liaison-org.js';

type Deadline = { clock: string; partId: number | null; state: string; dueAt: string; soonAt?: string | null };
type Summary = { id: number; overdue: boolean; parts: { overdue: boolean }[]; task?: { label: string; dueAt: string | null; soonAt: string | null } | null };

/**
 * One deadline, one answer (issue 8, first use 3): a clock replaced after an objection is history, not
 * a second current row; 已超期 clears when the obligation is met or the case closes; each running
 * deadline says from when it is due within a working day. And the inbox says what I must do (first
 * use 4): my task and its deadline, not the case's state.
 */
describe('deadlines as the user sees them', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const HOUR = 3600_000;
  const listed = async (who: keyof LiaisonOrg['people'], id: number, tab = 'all'): Promise<Summary | undefined> =>
    (await o.people[who].client.get(`/api/v1/cases?tab=${tab}`)).json().items.find((x: Summary) => x.id === id);

  it('shows a sign clock restarted after a rejected objection once, the replaced one as history', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const part = partOf(detail, o.units.maint);
    await act(o.people.receiver.client, id, 'object', { about: 'requirement', reason: '不属于本部门职责' });
    o.clock.advance(2 * HOUR);
    const d = await act(o.people.leader.client, id, 'reject_objection', { reason: '属于检修部职责' }, { partId: part });
    const signs = d.deadlines.filter((x: Deadline) => x.clock === 'sign' && x.partId === part);
    expect(signs.map((x: Deadline) => x.state)).toEqual(['running']);
    expect(d.replacedDeadlines.filter((x: Deadline) => x.clock === 'sign' && x.partId === part).map((x: Deadline) => x.state)).toEqual(['met']);
    // Every (clock, unit) has one current row.
    const keys = d.deadlines.map((x: Deadline) => `${x.clock}:${x.partId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('says from when a deadline is due within a working day: the same time on the working day before', async () => {
    o = await liaisonOrg();
    // Issued Tuesday 2026-09-29 10:00; sign or object by Wednesday 17:30; urgent from Tuesday 17:30.
    const { id, detail } = await issuedForm(o);
    const sign = detail.deadlines.find((x: Deadline) => x.clock === 'sign');
    expect(sign).toMatchObject({ dueAt: '2026-09-30T09:30:00.000Z', soonAt: '2026-09-29T09:30:00.000Z' });
    // The receiver's inbox names the task and its deadline, not the case's state.
    const row = await listed('receiver', id, 'todo');
    expect(row?.task).toEqual({
      label: '待我签收',
      partId: partOf(detail, o.units.maint),
      dueAt: '2026-09-30T09:30:00.000Z',
      soonAt: '2026-09-29T09:30:00.000Z',
    });
    const en = await o.people.receiver.client.get('/api/v1/cases?tab=todo', { 'accept-language': 'en' });
    expect(en.json().items[0].task.label).toBe('To sign for');
    // The drafter has nothing to do on it.
    expect((await listed('drafter', id))?.task).toBeNull();
  });

  it('clears 已超期 when the late receiver signs, and never shows it on a closed case', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o, { receivers: [{ unitId: o.units.maint, role: 'main' }] });
    const part = partOf(detail, o.units.maint);
    // Past Wednesday 17:30 without an answer: the part is late.
    o.clock.advance(32 * HOUR);
    expect((await o.t.services.cases.sweep()).fired).toBe(1);
    let d = (await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json();
    expect(d.parts[0].overdue).toBe(true);
    expect((await listed('drafter', id))?.overdue).toBe(true);

    // Signed late: the obligation is met, the lateness stays on record (the timeline, the assessment).
    d = await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: part });
    expect(d.parts[0].overdue).toBe(false);
    expect(d.deadlines.find((x: Deadline) => x.clock === 'sign').state).toBe('fired');
    const row = await listed('drafter', id);
    expect(row?.overdue).toBe(false);
    expect(row?.parts[0]?.overdue).toBe(false);
    expect(d.timeline.some((e: { action: string }) => e.action === 'clock_expired')).toBe(true);

    // The completion deadline runs out too; the reply and the acceptance close the case: not late any more.
    o.clock.advance(22 * 24 * HOUR);
    await o.t.services.cases.sweep();
    expect((await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json().parts[0].overdue).toBe(true);
    await act(o.people.worker.client, id, 'reply', { result: '已核对完毕。' });
    d = await act(o.people.drafter.client, id, 'accept', {}, { partId: part });
    expect(d.state).toBe('closed');
    expect(d.parts[0].overdue).toBe(false);
    expect((await listed('drafter', id))?.overdue).toBe(false);
  });
});
