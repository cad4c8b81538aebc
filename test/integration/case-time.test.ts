import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CaseTypeDef, registerCaseTypes } from '../../src/server/modules/cases/index.js';
import { act, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

/**
 * Time and the system as an actor (issue 9 §3, §5), through the service and the sweep on both
 * databases with an injected clock: a test type — a call for meeting topics, not one of the server's
 * types — whose clocks start when the case is created, whose topic deadline counts back from the
 * meeting over 国庆 and reminds twice, and whose expiry cancels the meeting, by the system.
 */
const topicCall: CaseTypeDef = {
  code: 'test_topic_call',
  version: 1,
  numberPrefix: 'YT',
  nameZh: '议题征集（测试）',
  nameEn: 'Call for topics (test)',
  fields: z.object({
    title: z.string().min(1),
    meetingAt: z.string().min(16),
    receiverUnitIds: z.array(z.number().int()).min(1),
  }),
  states: [
    { code: 'collecting', level: 'case' },
    { code: 'held', level: 'case', final: true },
    { code: 'cancelled', level: 'case', final: true },
    { code: 'invited', level: 'part', awaits: 'receiver' },
    { code: 'submitted', level: 'part' },
    { code: 'closed', level: 'part', final: true },
  ],
  initialState: 'collecting',
  initialPartState: 'invited',
  transitions: [{ action: 'submit_topic', level: 'part', from: ['invited'], to: 'submitted', by: ['receiver'], stopClocks: ['answer'] }],
  clocks: [
    {
      // Topics by the working day before the meeting at 12:00 (DOMAIN.md §5: Monday 11:00, topics the Friday before).
      code: 'topics',
      level: 'case',
      startOn: 'create',
      rule: {
        kind: 'relative',
        anchor: { from: 'fields', field: 'meetingAt' },
        direction: 'before',
        amount: { value: 1, source: 'DOMAIN.md §5' },
        unit: 'workingDays',
        at: '12:00',
        nonWorkingDay: 'previous',
      },
      reminders: [{ before: { value: 24, source: 'test' } }, { before: { value: 2, source: 'test' } }],
      awaits: 'drafter',
      onExpiry: [{ kind: 'moveTo', level: 'case', state: 'cancelled', partsTo: 'closed' }],
    },
    {
      code: 'answer',
      level: 'part',
      startOn: 'create',
      rule: { kind: 'relative', anchor: { from: 'created' }, direction: 'after', amount: { value: 2, source: 'test' }, unit: 'workingDays' },
      awaits: 'receiver',
      onExpiry: [{ kind: 'markOverdue' }],
    },
  ],
  editableIn: [],
  bind: (f) => {
    const x = f as { title?: string; receiverUnitIds?: number[] };
    return {
      title: x.title ?? '',
      dueDate: null,
      signingLeaderPersonId: null,
      receivers: (x.receiverUnitIds ?? []).map((unitId, i) => ({ unitId, role: 'main' as const, field: `receiverUnitIds.${i}` })),
    };
  },
  labels: { 'clock.topics': { zh: '议题报送', en: 'Topics due' }, 'field.meetingAt': { zh: '会议时间', en: 'meeting' } },
};
// The test type joins the server's types for this file only (checked like them).
registerCaseTypes(topicCall);

interface Deadline {
  clock: string;
  partId: number | null;
  dueAt: string;
  state: string;
  explanation: string[];
}
interface Event {
  action: string;
  actor: string | null;
  actorKind: string;
  fromState: string | null;
  toState: string | null;
}

describe('time and the system as an actor', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const detail = async (id: number) => (await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json();
  const audits = (id: number) =>
    o.t.services.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'actor_account_id', 'actor_name'])
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(id))
      .orderBy('seq')
      .execute();

  it('starts clocks on create, reminds twice, and cancels the meeting when its topic deadline passes, as the system', async () => {
    o = await liaisonOrg(); // Tuesday 2026-09-29 10:00 Shanghai
    const created = await o.t.services.cases.createAsSystem(
      topicCall.code,
      o.units.ops,
      { title: '部门会商会 10月12日', meetingAt: '2026-10-12T11:00', receiverUnitIds: [o.units.maint, o.units.safety] },
      { drafterPersonId: o.people.drafter.personId },
    );
    let d = await detail(created.id);
    const maint = d.parts.find((p: { unit: { id: number } }) => p.unit.id === o.units.maint).id;
    const safety = d.parts.find((p: { unit: { id: number } }) => p.unit.id === o.units.safety).id;
    const topics = d.deadlines.find((x: Deadline) => x.clock === 'topics');
    // Monday 10月12日 11:00 → the working day before is the make-up Saturday 10月10日, at 12:00.
    expect(topics.dueAt).toBe('2026-10-10T04:00:00.000Z');
    expect(topics.explanation).toEqual([
      '起算依据 会议时间：2026-10-12 11:00',
      '提前 1 个工作日（DOMAIN.md §5）',
      '跳过 10月11日 周末',
      '10月10日（调休上班）为往前第1个工作日',
      '截止 2026-10-10 12:00',
    ]);
    // One answer clock per part, 2 working days after creation: 9月30日, then 国庆, 10月8日.
    expect(d.deadlines.filter((x: Deadline) => x.clock === 'answer').map((x: Deadline) => [x.partId, x.dueAt])).toEqual([
      [maint, '2026-10-08T09:30:00.000Z'],
      [safety, '2026-10-08T09:30:00.000Z'],
    ]);
    expect(d.timeline.map((e: Event) => [e.action, e.actor, e.actorKind])).toEqual([['create', null, 'system']]);

    await act(o.people.receiver.client, created.id, 'submit_topic', undefined, { partId: maint });

    // The safety department's answer clock runs out; the maintenance department's was stopped.
    o.clock.set('2026-10-08T09:31:00.000Z');
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 1, reminded: 0 });

    // Reminders 24 h and 2 h before the topic deadline, each once, whoever sweeps.
    o.clock.set('2026-10-09T04:01:00.000Z');
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 0, reminded: 1 });
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 0, reminded: 0 });
    o.clock.set('2026-10-10T02:01:00.000Z');
    const both = await Promise.all([o.t.services.cases.sweep(), o.t.services.cases.sweep()]);
    expect(both.reduce((a, r) => a + r.reminded, 0)).toBe(1);
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 0, reminded: 0 });
    const reminders = (await (await o.people.drafter.client.get('/api/v1/notifications')).json()).items.filter(
      (n: { kind: string }) => n.kind === 'case.reminder',
    );
    expect(reminders).toHaveLength(2);

    const before = await detail(created.id);
    o.clock.set('2026-10-10T04:01:00.000Z');
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 1, reminded: 0 });
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 0, reminded: 0 });

    d = await detail(created.id);
    expect(d.state).toBe('cancelled');
    expect(d.version).toBeGreaterThan(before.version);
    expect(d.closedAt).toBe('2026-10-10T04:01:00.000Z');
    expect(d.parts.map((p: { state: string }) => p.state)).toEqual(['closed', 'closed']);
    expect(d.deadlines.every((x: Deadline) => x.state !== 'running')).toBe(true);
    expect(d.actions).toEqual([]);
    const moved = d.timeline.filter((e: Event) => e.action === 'moved');
    expect(moved).toEqual([expect.objectContaining({ actor: null, actorKind: 'system', fromState: 'collecting', toState: 'cancelled', label: '自动转入' })]);

    // The audit chain names the system: its creation, the reminders, the expiries and the move.
    const chain = await audits(created.id);
    expect(chain.map((a) => a.action)).toEqual([
      'case.create',
      'case.submit_topic',
      'case.deadline_missed',
      'case.reminder',
      'case.reminder',
      'case.deadline_missed',
      'case.moved',
    ]);
    for (const a of chain.filter((x) => x.action !== 'case.submit_topic')) expect([a.actor_account_id, a.actor_name]).toEqual([null, 'system']);
    expect(chain.find((a) => a.action === 'case.submit_topic')?.actor_name).toBe('王检修');
    const verify = await o.t.services.audit.verify();
    expect(verify.ok).toBe(true);

    // Print names the system for what it decided.
    const html = (await o.people.drafter.client.get(`/api/v1/cases/${created.id}/print`)).body;
    expect(html).toContain('系统');
  });

  it('refuses a case the system would create with incomplete fields or for a unit that does not exist, and changes nothing', async () => {
    o = await liaisonOrg();
    const count = async () =>
      (await o.t.services.db.kysely.selectFrom('case_record').select(o.t.services.db.kysely.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const n0 = Number(await count());
    const opts = { drafterPersonId: o.people.drafter.personId };
    await expect(
      o.t.services.cases.createAsSystem(topicCall.code, o.units.ops, { title: '缺会议时间', receiverUnitIds: [o.units.maint] }, opts),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      details: [expect.objectContaining({ path: 'fields.meetingAt' })],
    });
    await expect(
      o.t.services.cases.createAsSystem(topicCall.code, 999_999, { title: 'x', meetingAt: '2026-10-12T11:00', receiverUnitIds: [o.units.maint] }, opts),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      o.t.services.cases.createAsSystem(
        topicCall.code,
        o.units.ops,
        { title: 'x', meetingAt: '2026-10-12T11:00', receiverUnitIds: [o.units.maint] },
        { drafterPersonId: 999_999 },
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION', details: [expect.objectContaining({ path: 'drafterPersonId' })] });
    expect(Number(await count())).toBe(n0);
  });
});
