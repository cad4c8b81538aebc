import { afterEach, describe, expect, it } from 'vitest';
import { type Client, createUser, login } from '../support/harness.js';
import { act, issuedForm, type LiaisonOrg, liaisonOrg, partOf } from '../support/liaison-org.js';

/**
 * The bell (issue 8, first use 1): the count means what still needs me. Doing what a notification
 * asked reads it for everyone it went to; opening a case reads the reader's notifications about it;
 * "mark all read" reads the rest. A notification about an assessment opens its ledger entry (first use 5).
 */
interface Item {
  id: number;
  kind: string;
  caseId: number | null;
  assessmentId: number | null;
  read: boolean;
}
const items = async (c: Client): Promise<Item[]> => (await c.get('/api/v1/notifications?pageSize=100')).json().items;
const unreadKinds = async (c: Client) => (await items(c)).filter((n) => !n.read).map((n) => n.kind);
const unread = async (c: Client) => (await c.get('/api/v1/notifications/unread')).json().unread as number;

describe('the bell clears itself', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  /** A second head of 检修部: the form goes to both of them. */
  async function deputy() {
    const u = await createUser(o.t, o.admin, { unitId: o.units.maint, role: 'unit_head', username: 'deputy', name: '冯副主任' });
    return login(o.t, 'deputy', u.password);
  }

  it('reads the notification asking a unit to sign for everyone it went to once one of them signed, and only for that unit', async () => {
    o = await liaisonOrg();
    const dep = await deputy();
    const { id, detail } = await issuedForm(o);
    // The signing leader signed and issued: the request to do so is done.
    expect(await unreadKinds(o.people.leader.client)).toEqual([]);
    expect(await unreadKinds(o.people.receiver.client)).toEqual(['cf.issued']);
    expect(await unreadKinds(dep)).toEqual(['cf.issued']);
    expect(await unreadKinds(o.people.safetyHead.client)).toEqual(['cf.issued']);

    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: partOf(detail, o.units.maint) });
    expect(await unread(o.people.receiver.client)).toBe(0);
    expect(await unread(dep)).toBe(0); // never opened the case: the unit did what it was asked
    // 安监部 has not signed yet: its request still stands.
    expect(await unreadKinds(o.people.safetyHead.client)).toEqual(['cf.issued']);
    // The worker is asked to do the work now.
    expect(await unreadKinds(o.people.worker.client)).toEqual(['cf.signed']);
    // What only informs stays until it is read.
    expect(await unreadKinds(o.people.drafter.client)).toEqual(['cf.signed', 'cf.issued_to_drafter']);
  });

  it('reads the request once the unit objected, and the objection once the leader ruled on it', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o);
    const safety = partOf(detail, o.units.safety);
    await act(o.people.safetyHead.client, id, 'object', { about: 'deadline', reason: '时间太紧' }, { partId: safety });
    expect(await unread(o.people.safetyHead.client)).toBe(0);
    expect(await unreadKinds(o.people.leader.client)).toEqual(['cf.objected']);
    await act(o.people.leader.client, id, 'reject_objection', { reason: '时间足够' }, { partId: safety });
    expect(await unread(o.people.leader.client)).toBe(0);
    // Asked again to sign.
    expect(await unreadKinds(o.people.safetyHead.client)).toEqual(['cf.objection_rejected']);
  });

  it("opening a case reads the reader's notifications about it, not others' nor those of other cases", async () => {
    o = await liaisonOrg();
    const dep = await deputy();
    const first = await issuedForm(o);
    const second = await issuedForm(o, { title: '第二张联系单：安全台账' });
    expect(await unread(o.people.receiver.client)).toBe(2);
    // Someone who may not open the case reads nothing by trying.
    expect((await o.people.outsider.client.get(`/api/v1/cases/${first.id}`)).statusCode).toBe(404);
    expect((await o.people.receiver.client.get(`/api/v1/cases/${first.id}`)).statusCode).toBe(200);
    const mine = await items(o.people.receiver.client);
    expect(mine.filter((n) => !n.read).map((n) => n.caseId)).toEqual([second.id]);
    expect(await unread(dep)).toBe(2);
    // The drafter's "issued" notices are read by opening each case.
    await o.people.drafter.client.get(`/api/v1/cases/${second.id}`);
    expect((await items(o.people.drafter.client)).filter((n) => !n.read).map((n) => n.caseId)).toEqual([first.id]);
  });

  it('marks all read, for the caller only', async () => {
    o = await liaisonOrg();
    const dep = await deputy();
    await issuedForm(o);
    await issuedForm(o, { title: '第二张联系单：安全台账' });
    const r = await o.people.receiver.client.post('/api/v1/notifications/read', { all: true });
    expect(r.json()).toEqual({ updated: 2 });
    expect(await unread(o.people.receiver.client)).toBe(0);
    expect((await items(o.people.receiver.client)).every((n) => n.read)).toBe(true);
    expect(await unread(dep)).toBe(2);
  });
});

describe('notifications about assessments', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  /** The maintenance unit misses the sign-or-object deadline: the system proposes an assessment to the drafter. */
  async function proposal(at: string) {
    const f = await issuedForm(o);
    o.clock.set(at);
    await o.t.services.cases.sweep();
    const list = (await o.people.drafter.client.get('/api/v1/assessments?pageSize=100')).json();
    const a = list.items.find((x: { sourceId: number; subjectUnit: { id: number } }) => x.sourceId === f.id && x.subjectUnit.id === o.units.maint);
    return { caseId: f.id, a };
  }

  it('name their ledger entry, are read once what they asked is done, and by opening the entry, not the case', async () => {
    o = await liaisonOrg();
    const { caseId, a } = await proposal('2026-09-30T09:31:00.000Z');
    const about = async (c: Client) => (await items(c)).filter((n) => n.assessmentId === a.id && !n.read).map((n) => n.kind);
    // Both receiving units missed it: one proposal each.
    const proposed = (await items(o.people.drafter.client)).filter((n) => n.kind === 'assessment.proposed');
    expect(proposed.map((n) => n.caseId)).toEqual([caseId, caseId]);
    expect(proposed.map((n) => n.assessmentId)).toContain(a.id);
    // Opening the case reads the case's notifications, not those about its assessments.
    await o.people.drafter.client.get(`/api/v1/cases/${caseId}`);
    expect(await unreadKinds(o.people.drafter.client)).toEqual(['assessment.proposed', 'assessment.proposed']);
    // Confirming is what it asked; the other proposal still waits.
    await o.people.drafter.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'confirm' });
    expect(await about(o.people.drafter.client)).toEqual([]);
    expect(await unread(o.people.drafter.client)).toBe(1);

    // The assessed unit and the judge are told; the unit appeals, which answers the judge's notice of the confirmation too.
    expect(await unreadKinds(o.people.leader.client)).toContain('assessment.confirmed');
    expect((await items(o.people.receiver.client)).find((n) => n.kind === 'assessment.confirmed')?.assessmentId).toBe(a.id);
    await o.people.receiver.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'appeal', reason: '系统故障导致未能签收' });
    expect(await about(o.people.receiver.client)).toEqual([]);
    expect(await about(o.people.leader.client)).toEqual(['assessment.appealed']);
    // Opening the ledger entry reads the reader's notifications about it.
    expect((await o.people.leader.client.get(`/api/v1/assessments/${a.id}`)).statusCode).toBe(200);
    expect(await about(o.people.leader.client)).toEqual([]);
  });

  it('the ledger lists what still needs attention first, whatever its period', async () => {
    o = await liaisonOrg();
    const older = await proposal('2026-09-30T09:31:00.000Z');
    o.clock.set('2026-10-12T02:00:00.000Z');
    const newer = await proposal('2026-10-20T02:00:00.000Z');
    expect(older.a.period).toBe('2026-09');
    expect(newer.a.period).toBe('2026-10');
    // The newer one is settled; the older one still waits for its proposer.
    await o.people.drafter.client.post(`/api/v1/assessments/${newer.a.id}/actions`, { action: 'drop', reason: '已协商解决' });
    const list = (await o.people.drafter.client.get('/api/v1/assessments?pageSize=100')).json();
    const order = list.items.map((x: { id: number; state: string }) => [x.id, x.state]);
    const firstSettled = order.findIndex(([, s]: [number, string]) => s === 'dropped');
    expect(order.slice(0, firstSettled).every(([, s]: [number, string]) => s === 'proposed')).toBe(true);
    expect(order.slice(firstSettled).every(([, s]: [number, string]) => s !== 'proposed')).toBe(true);
    expect(order.map(([id]: [number]) => id).indexOf(older.a.id)).toBeLessThan(order.map(([id]: [number]) => id).indexOf(newer.a.id));
  });
});
