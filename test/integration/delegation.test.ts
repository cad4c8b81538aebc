import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createUser, login } from '../support/harness.js';
import { act, formFields, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

/**
 * 委托代理 (issue 9 §2): 李签发, the signing leader of 发电部, is away on business and hands their
 * roles to 王副职 for three days. The deputy issues the form in their place, recorded as 王副职（代 李签发）
 * on the timeline, in print and in the audit chain; once the period is over the deputy is refused and
 * the leader acts again.
 */
const HOUR = 3_600_000;

describe('delegation (委托代理)', () => {
  let o: LiaisonOrg;
  let deputy: { personId: number; client: Client };

  const at = (ms: number) => new Date(o.clock.now().getTime() + ms).toISOString();
  const submitted = async () => {
    const c = await o.people.drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o) });
    expect(c.statusCode).toBe(201);
    const id = c.json().id as number;
    await act(o.people.drafter.client, id, 'submit');
    return id;
  };
  const delegate = (c: Client, body: Record<string, unknown>) =>
    c.post('/api/v1/delegations', { deputyPersonId: deputy.personId, from: at(0), until: at(72 * HOUR), reason: '出差', ...body });
  const count = async () =>
    Number(
      (
        await o.t.services.db.kysely
          .selectFrom('delegation')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const todoIds = async (c: Client) => ((await c.get('/api/v1/cases?tab=todo')).json().items as { id: number }[]).map((x) => x.id);

  beforeAll(async () => {
    o = await liaisonOrg();
    const u = await createUser(o.t, o.admin, { unitId: o.units.ops, role: 'staff', username: 'deputy', name: '王副职' });
    deputy = { personId: u.personId, client: await login(o.t, 'deputy', u.password) };
  });
  afterAll(() => o.t.close());

  it('lets the deputy issue in the signing leader’s place while it is in force, recorded as done on their behalf, and not after it ends', async () => {
    const early = await submitted();
    // Before the delegation the deputy may not issue it, nor do they hold the leader's 待办.
    expect((await o.people.drafter.client.get(`/api/v1/cases/${early}`)).statusCode).toBe(200);
    expect(await todoIds(deputy.client)).not.toContain(early);
    const made = await delegate(o.people.leader.client, {});
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json()).toMatchObject({ principal: { name: '李签发' }, deputy: { name: '王副职' }, status: 'active', reason: '出差' });

    // The leader's 待办 are in the deputy's inbox while it is in force.
    expect(await todoIds(deputy.client)).toContain(early);
    const seen = (await deputy.client.get(`/api/v1/cases/${early}`)).json();
    expect(seen.actions.map((a: { action: string }) => a.action)).toContain('issue');

    const issued = await act(deputy.client, early, 'issue');
    expect(issued.state).toBe('issued');
    const event = issued.timeline.find((e: { action: string }) => e.action === 'issue');
    expect(event).toMatchObject({ actor: '王副职', onBehalfOf: { personId: o.people.leader.personId, name: '李签发' } });
    // The drafter's own action stays their own.
    expect(issued.timeline.find((e: { action: string }) => e.action === 'submit').onBehalfOf).toBeNull();

    const audit = await o.t.services.audit.search({ page: 1, pageSize: 500, order: 'asc', action: 'case.issue' });
    const entry = audit.items.find((a) => a.entityId === String(early));
    expect(entry?.actorName).toBe('王副职');
    expect(JSON.parse(String(entry?.after))).toMatchObject({ onBehalfOf: { personId: o.people.leader.personId, name: '李签发' } });
    expect((await o.admin.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true, problems: [] });

    const zh = await o.people.drafter.client.get(`/api/v1/cases/${early}/print`);
    expect(zh.body).toContain('王副职（代 李签发）');
    const en = await o.people.drafter.client.get(`/api/v1/cases/${early}/print`, { 'accept-language': 'en' });
    expect(en.body).toContain('王副职 (for 李签发)');

    // The period ends by itself: nothing is written, the clock passes its end.
    const late = await submitted();
    o.clock.advance(73 * HOUR);
    expect(await todoIds(deputy.client)).not.toContain(late);
    const refused = await deputy.client.post(`/api/v1/cases/${late}/actions`, { action: 'issue' });
    expect(refused.statusCode).toBe(403);
    const byLeader = await act(o.people.leader.client, late, 'issue');
    expect(byLeader.timeline.find((e: { action: string }) => e.action === 'issue')).toMatchObject({ actor: '李签发', onBehalfOf: null });
    expect(((await o.people.leader.client.get('/api/v1/delegations')).json() as { status: string }[])[0]?.status).toBe('ended');
  });

  it('ends early when revoked (audited); a revoked delegation cannot be revoked again', async () => {
    const made = (await delegate(o.people.leader.client, {})).json();
    const id = await submitted();
    expect(await todoIds(deputy.client)).toContain(id);
    const revoked = await o.people.leader.client.post(`/api/v1/delegations/${made.id}/revoke`, {});
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    expect((await deputy.client.post(`/api/v1/cases/${id}/actions`, { action: 'issue' })).statusCode).toBe(403);
    expect(await todoIds(deputy.client)).not.toContain(id);
    const again = await o.people.leader.client.post(`/api/v1/delegations/${made.id}/revoke`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('DELEGATION_ENDED');
    const audit = await o.t.services.audit.search({ page: 1, pageSize: 50, order: 'asc', action: 'delegation.revoke' });
    expect(audit.items.map((a) => a.entityId)).toContain(String(made.id));
    // Someone with no say over it does not even see it.
    expect((await o.people.outsider.client.post(`/api/v1/delegations/${made.id}/revoke`, {})).statusCode).toBe(404);
    await act(o.people.leader.client, id, 'issue');
  });

  it('lets a manager whose scope covers the principal set one up, and lists it for them', async () => {
    const made = await delegate(o.people.hr.client, { principalPersonId: o.people.receiver.personId, deputyPersonId: o.people.worker.personId });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json()).toMatchObject({ principal: { name: '王检修' }, createdBy: { name: '郑人资' } });
    expect(((await o.people.hr.client.get('/api/v1/delegations')).json() as { id: number }[]).map((d) => d.id)).toContain(made.json().id);
    expect(((await o.people.worker.client.get('/api/v1/delegations')).json() as { id: number }[]).map((d) => d.id)).toContain(made.json().id);
    expect(((await o.people.outsider.client.get('/api/v1/delegations')).json() as unknown[]).length).toBe(0);
    await o.people.hr.client.post(`/api/v1/delegations/${made.json().id}/revoke`, {});
  });

  describe('refuses bad input, naming the field, and changes nothing', () => {
    const cases: [string, () => Promise<{ c: Client; body: Record<string, unknown> }>, string, string][] = [
      [
        'the deputy is the principal',
        async () => ({ c: o.people.leader.client, body: { deputyPersonId: o.people.leader.personId } }),
        'deputyPersonId',
        '不能委托给本人',
      ],
      ['the end is not after the start', async () => ({ c: o.people.leader.client, body: { until: at(0) } }), 'until', '结束时间须晚于开始时间'],
      [
        'the period is longer than the policy maximum',
        async () => ({ c: o.people.leader.client, body: { until: at(91 * 24 * HOUR) } }),
        'until',
        '委托期限最长 90 天',
      ],
      ['the deputy is unknown', async () => ({ c: o.people.leader.client, body: { deputyPersonId: 999_999 } }), 'deputyPersonId', '找不到'],
      ['the reason is empty', async () => ({ c: o.people.leader.client, body: { reason: '  ' } }), 'reason', '至少'],
    ];
    it.each(cases)('%s', async (_, make, path, zh) => {
      const { c, body } = await make();
      const before = await count();
      const r = await delegate(c, body);
      expect(r.statusCode).toBe(400);
      const detail = r.json().error.details.find((d: { path: string }) => d.path === path);
      expect(detail?.message).toContain(zh);
      expect(await count()).toBe(before);
    });

    it('the deputy has left (离职)', async () => {
      const u = await createUser(o.t, o.admin, { unitId: o.units.ops, role: 'staff', username: 'gone', name: '陈离职' });
      expect((await o.admin.patch(`/api/v1/people/${u.personId}`, { status: 'left' })).statusCode).toBe(200);
      const before = await count();
      const r = await delegate(o.people.leader.client, { deputyPersonId: u.personId });
      expect(r.statusCode).toBe(400);
      expect(r.json().error.details).toEqual([expect.objectContaining({ path: 'deputyPersonId', message: expect.stringContaining('离职') })]);
      expect(await count()).toBe(before);
    });

    it('the period overlaps another delegation of the same principal (in English too)', async () => {
      const first = await delegate(o.people.leader.client, { from: at(10 * 24 * HOUR), until: at(12 * 24 * HOUR) });
      expect(first.statusCode).toBe(200);
      const before = await count();
      const r = await o.people.leader.client.request(
        'POST',
        '/api/v1/delegations',
        { deputyPersonId: o.people.drafter.personId, from: at(11 * 24 * HOUR), until: at(13 * 24 * HOUR), reason: 'leave' },
        { 'accept-language': 'en' },
      );
      expect(r.statusCode).toBe(400);
      // The period it clashes with, in the organization's time (Asia/Shanghai).
      const clash = new Date(o.clock.now().getTime() + 10 * 24 * HOUR + 8 * HOUR).toISOString().slice(0, 16).replace('T', ' ');
      expect(r.json().error.details).toEqual([
        expect.objectContaining({ path: 'from', message: expect.stringContaining(`overlaps the delegation to 王副职 (${clash} to`) }),
      ]);
      expect(await count()).toBe(before);
      // Back to back is no overlap.
      expect((await delegate(o.people.leader.client, { from: at(12 * 24 * HOUR), until: at(13 * 24 * HOUR) })).statusCode).toBe(200);
    });

    it('the principal is outside the manager’s scope', async () => {
      const before = await count();
      // 王检修 leads 检修部: they manage nobody, and 李签发 of 发电部 is not theirs to hand over.
      const r = await delegate(o.people.receiver.client, { principalPersonId: o.people.leader.personId });
      expect([403, 404]).toContain(r.statusCode);
      expect(await count()).toBe(before);
    });
  });
});
