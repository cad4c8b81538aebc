import { afterEach, describe, expect, it } from 'vitest';
import { type CaseTypeDef, CaseTypeError, registerCaseTypes } from '../../src/server/modules/cases/index.js';
import { testRectification, testReport } from '../support/case-family-types.js';
import { type Client, createUnit, createUser, login } from '../support/harness.js';
import { act, issuedForm, type LiaisonOrg, liaisonOrg } from '../support/liaison-org.js';

/**
 * Cases that make cases (issue 9 §4), through the API on both databases: a verified report creates
 * its rectification (a child, as the acting person), a rectification's expiry files a report (as the
 * system), a report waits for its children (a guard reading other cases), a drafter's monthly count
 * (a guard counting cases), and reports merged into one (归纳整改) follow it to its result.
 */
registerCaseTypes(testReport, testRectification);

interface Related {
  id: number;
  type: string;
  number: string;
  title: string;
  state: string;
  stateLabel: string;
  closed: boolean;
}
interface Event {
  action: string;
  actor: string | null;
  actorKind: string;
  fromState: string | null;
  toState: string | null;
  data: Record<string, unknown> | null;
}

describe('cases that make cases', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const report = async (title: string, drafterPersonId = o.people.drafter.personId, unitId = o.units.ops) =>
    o.t.services.cases.createAsSystem('test_report', unitId, { title }, { drafterPersonId });
  const get = async (c: Client, id: number, lang?: string) => c.get(`/api/v1/cases/${id}`, lang ? { 'accept-language': lang } : {});
  const detail = async (id: number, c = o.people.office.client) => (await get(c, id)).json();
  const audits = (id: number) =>
    o.t.services.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'actor_account_id', 'actor_name', 'after_json'])
      .where('entity_type', '=', 'case')
      .where('entity_id', '=', String(id))
      .orderBy('seq')
      .execute();
  const notices = (kind: string) =>
    o.t.services.db.kysely.selectFrom('notification').select(['person_id', 'case_id', 'params_json']).where('kind', '=', kind).orderBy('id').execute();
  const merge = (c: Client, id: number, body: Record<string, unknown>, lang = 'zh-CN') =>
    c.request('POST', `/api/v1/cases/${id}/merge`, body, { 'accept-language': lang });

  it('creates the rectification of a verified report as the person verifying it, linked both ways in the transition’s transaction, and resolves the report only once it is closed', async () => {
    o = await liaisonOrg();
    const r = await report('皮带机头积煤');
    const verified = await act(o.people.office.client, r.id, 'verify', { rectifyUnitId: o.units.maint });
    expect(verified.state).toBe('verified');
    expect(verified.children).toEqual([
      {
        id: expect.any(Number),
        type: 'test_rectification',
        typeName: '整改（测试）',
        number: 'ZG-2026-0001',
        title: '整改：皮带机头积煤',
        state: 'open',
        stateLabel: '整改中',
        closed: false,
      },
    ]);
    const childId = verified.children[0].id as number;
    expect(verified.timeline.map((e: Event) => [e.action, e.actorKind])).toEqual([
      ['create', 'system'],
      ['children_created', 'person'],
      ['verify', 'person'],
    ]);

    // The child names its parent; made by the office person, with its own clock started on create.
    const child = await detail(childId);
    expect(child.parent).toMatchObject({ id: r.id, number: r.number, title: '皮带机头积煤', stateLabel: '已核实' });
    expect(child.timeline.map((e: Event) => [e.action, e.actor, e.actorKind])).toEqual([['create', '孙办公室', 'person']]);
    expect(child.timeline[0].data.parent).toEqual({ caseId: r.id, number: r.number });
    expect(child.deadlines.map((d: { clock: string }) => d.clock)).toEqual(['rectify']);
    expect(child.drafter.id).toBe(o.people.office.personId);
    // English labels for the same relation.
    const en = (await get(o.people.office.client, r.id, 'en')).json();
    expect(en.children[0]).toMatchObject({ number: 'ZG-2026-0001', stateLabel: 'Being rectified', typeName: 'Rectification (test)' });
    expect((await get(o.people.office.client, childId, 'en')).json().parent.stateLabel).toBe('Verified');

    // Audit: the parent's transition and the children it made, the child's creation naming its parent.
    expect((await audits(r.id)).map((a) => a.action)).toEqual(['case.create', 'case.children_created', 'case.verify']);
    const childAudit = await audits(childId);
    expect(childAudit.map((a) => a.action)).toEqual(['case.create']);
    expect(JSON.parse(childAudit[0]?.after_json ?? '{}').parentCaseId).toBe(r.id);

    // The report waits for its rectification: the guard reads the children.
    const early = await o.people.office.client.request('POST', `/api/v1/cases/${r.id}/actions`, { action: 'resolve' }, { 'accept-language': 'en' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'CHILDREN_OPEN', message: 'Not every child case is closed yet: ZG-2026-0001' });
    const earlyZh = await o.people.office.client.post(`/api/v1/cases/${r.id}/actions`, { action: 'resolve' });
    expect(earlyZh.json().error.message).toBe('下级表单尚未全部办结：ZG-2026-0001');
    await act(o.people.receiver.client, childId, 'finish');
    expect((await detail(r.id)).children[0]).toMatchObject({ state: 'closed', stateLabel: '已整改', closed: true });
    expect((await act(o.people.office.client, r.id, 'resolve')).state).toBe('resolved');
  });

  it('refuses a child the parent’s action would make wrong, naming the child’s field, and changes nothing', async () => {
    o = await liaisonOrg();
    const r = await report('巷道积水');
    const before = await detail(r.id);
    const auditsBefore = (await audits(r.id)).length;
    // The rectification would go to the reporting unit itself.
    const own = await o.people.office.client.post(`/api/v1/cases/${r.id}/actions`, { action: 'verify', input: { rectifyUnitId: o.units.ops } });
    expect(own.statusCode).toBe(400);
    expect(own.json().error.details).toEqual([{ path: 'children.0.fields.receiverUnitIds.0', message: '不能向本单位发工作联系单' }]);
    // … or to a unit that does not exist.
    const none = await o.people.office.client.request(
      'POST',
      `/api/v1/cases/${r.id}/actions`,
      { action: 'verify', input: { rectifyUnitId: 99999 } },
      { 'accept-language': 'en' },
    );
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details).toEqual([{ path: 'children.0.fields.receiverUnitIds.0', message: '"99999" not found' }]);
    const after = await detail(r.id);
    expect([after.state, after.version, after.children, after.timeline.length]).toEqual([before.state, before.version, [], before.timeline.length]);
    expect((await audits(r.id)).length).toBe(auditsBefore);
    expect(await o.t.services.db.kysely.selectFrom('case_record').select('id').where('type_code', '=', 'test_rectification').execute()).toEqual([]);
  });

  it('files a report as the system when a rectification’s deadline passes: the expiry creates the child', async () => {
    o = await liaisonOrg(); // Tuesday 2026-09-29; 3 working days after: 10月9日 (国庆)
    const r = await report('皮带跑偏');
    const childId = (await act(o.people.office.client, r.id, 'verify', { rectifyUnitId: o.units.maint })).children[0].id as number;
    const due = (await detail(childId)).deadlines[0].dueAt as string;
    o.clock.set(new Date(new Date(due).getTime() + 60_000).toISOString());
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 1, reminded: 0 });
    const rect = await detail(childId);
    expect(rect.parts[0].overdue).toBe(true);
    expect(rect.children).toMatchObject([{ type: 'test_report', number: 'FY-2026-0002', title: '逾期未整改：整改：皮带跑偏', stateLabel: '已反映' }]);
    expect(rect.timeline.map((e: Event) => [e.action, e.actorKind])).toContainEqual(['children_created', 'system']);
    const filed = await detail(rect.children[0].id);
    expect(filed.parent).toMatchObject({ id: childId, number: 'ZG-2026-0001' });
    expect(filed.timeline.map((e: Event) => [e.action, e.actor, e.actorKind])).toEqual([['create', null, 'system']]);
    // The system's report names the rectification's drafter as responsible; the audit chain records the system.
    expect(filed.drafter.id).toBe(o.people.office.personId);
    expect((await audits(rect.children[0].id)).map((a) => [a.action, a.actor_account_id, a.actor_name])).toEqual([['case.create', null, 'system']]);
    // Exactly once: a second sweep finds nothing.
    expect(await o.t.services.cases.sweep()).toEqual({ fired: 0, reminded: 0 });
    expect((await detail(childId)).children).toHaveLength(1);
  });

  it('counts a drafter’s cases this month for a guard, through the read interface the service answers', async () => {
    o = await liaisonOrg();
    const first = await report('第一件');
    const one = await o.people.drafter.client.request('POST', `/api/v1/cases/${first.id}/actions`, { action: 'escalate' }, { 'accept-language': 'en' });
    expect(one.statusCode).toBe(409);
    expect(one.json().error).toMatchObject({ code: 'CASE_COUNT_SHORT', message: 'Too few 反映问题: 1 this period, at least 2 needed' });
    // Another person's report does not count for this drafter; a second of their own does.
    await report('别人的', o.people.worker.personId);
    expect((await o.people.drafter.client.post(`/api/v1/cases/${first.id}/actions`, { action: 'escalate' })).json().error.message).toBe(
      '反映问题数量不足：本期 1 件，至少需 2 件',
    );
    await report('第二件');
    await act(o.people.drafter.client, first.id, 'escalate');
    // Next month the count starts again.
    o.clock.set('2026-09-30T16:30:00.000Z'); // 10月1日 00:30 Shanghai
    expect((await o.people.drafter.client.post(`/api/v1/cases/${first.id}/actions`, { action: 'escalate' })).statusCode).toBe(409);
  });

  it('merges reports into one: each waits, follows it to its result, and its drafter is told, with timeline and audit on both', async () => {
    o = await liaisonOrg();
    const main = await report('皮带机头积煤（汇总）');
    const second = await report('皮带机头积煤', o.people.worker.personId);
    const third = await report('机头煤多');
    const merged = (await merge(o.people.office.client, second.id, { targetCaseId: main.id, reason: '同一问题' })).json();
    expect(merged).toMatchObject({
      state: 'merged',
      stateLabel: '已合并',
      mergedInto: { id: main.id, number: main.number, stateLabel: '已反映', at: expect.any(String) },
    });
    expect(merged.timeline.at(-1)).toMatchObject({
      action: 'merge',
      actor: '孙办公室',
      fromState: 'reported',
      toState: 'merged',
      data: { caseId: main.id, number: main.number, reason: '同一问题' },
    });
    expect(merged.actions).toEqual([]);
    await merge(o.people.office.client, third.id, { targetCaseId: main.id });
    let m = await detail(main.id);
    expect(m.merged.map((x: Related) => [x.number, x.stateLabel])).toEqual([
      [second.number, '已合并'],
      [third.number, '已合并'],
    ]);
    expect(m.timeline.filter((e: Event) => e.action === 'merged_in').map((e: Event) => e.data?.number)).toEqual([second.number, third.number]);
    expect((await audits(main.id)).map((a) => a.action)).toEqual(['case.create', 'case.merged_in', 'case.merged_in']);
    expect((await audits(second.id)).map((a) => a.action)).toEqual(['case.create', 'case.merge']);
    // The merged case's drafter (赵师傅) is told it was merged, and it leaves the office's 待办.
    expect((await notices('case.merged')).map((n) => [n.person_id, n.case_id])).toEqual([
      [o.people.worker.personId, second.id],
      [o.people.drafter.personId, third.id],
    ]);
    const todo = (await (await o.people.office.client.get('/api/v1/cases?tab=todo')).json()).items.map((c: { id: number }) => c.id);
    expect(todo).toContain(main.id);
    expect(todo).not.toContain(second.id);
    // Every list reads types without private drafts (never issued, never edited), on either database.
    for (const tab of ['all', 'mine', 'done', 'watching']) expect((await o.people.office.client.get(`/api/v1/cases?tab=${tab}`)).statusCode, tab).toBe(200);
    expect((await (await o.people.office.client.get('/api/v1/cases?tab=all')).json()).items.map((c: { id: number }) => c.id)).toContain(second.id);

    // The target runs its course; the merged ones follow it to the same final state, by the system.
    const childId = (await act(o.people.office.client, main.id, 'verify', { rectifyUnitId: o.units.maint })).children[0].id as number;
    await act(o.people.receiver.client, childId, 'finish');
    await act(o.people.office.client, main.id, 'resolve');
    for (const id of [second.id, third.id]) {
      const d = await detail(id);
      expect([d.state, d.stateLabel, d.closedAt !== null]).toEqual(['resolved', '已解决', true]);
      expect(d.timeline.at(-1)).toMatchObject({ action: 'merge_result', actor: null, actorKind: 'system', fromState: 'merged', toState: 'resolved' });
      expect((await audits(id)).at(-1)).toMatchObject({ action: 'case.merge_result', actor_account_id: null, actor_name: 'system' });
    }
    const told = await notices('case.merge_result');
    expect(told.map((n) => [n.person_id, n.case_id])).toEqual([
      [o.people.worker.personId, second.id],
      [o.people.drafter.personId, third.id],
    ]);
    expect(JSON.parse(told[0]?.params_json ?? '{}')).toMatchObject({ number: second.number, target: main.number, result: '已解决' });
    m = await detail(main.id);
    expect(m.merged.map((x: Related) => x.stateLabel)).toEqual(['已解决', '已解决']);
  });

  it('follows a case of another type where the type allows it: a report merged into a rectification reaches its declared result', async () => {
    o = await liaisonOrg();
    const r = await report('煤仓漏煤');
    const other = await report('煤仓下口漏煤');
    const rectId = (await act(o.people.office.client, r.id, 'verify', { rectifyUnitId: o.units.maint })).children[0].id as number;
    expect((await merge(o.people.office.client, other.id, { targetCaseId: rectId })).statusCode).toBe(200);
    await act(o.people.receiver.client, rectId, 'finish');
    const d = await detail(other.id);
    expect([d.state, d.stateLabel]).toEqual(['concluded', '已随整改办结']);
    expect(d.timeline.at(-1).data).toMatchObject({ caseId: rectId, result: '已整改' });
  });

  it('takes a case merged into a case that was merged in turn along to the end, each by the system', async () => {
    o = await liaisonOrg();
    const first = await report('一');
    const second = await report('二');
    const last = await report('三');
    await merge(o.people.office.client, first.id, { targetCaseId: second.id });
    // The case that others follow may itself be merged: they follow it, and it follows its target.
    await merge(o.people.office.client, second.id, { targetCaseId: last.id });
    await act(o.people.office.client, last.id, 'reject');
    for (const id of [second.id, first.id]) {
      const d = await detail(id);
      expect([d.state, d.timeline.at(-1).action, d.timeline.at(-1).actorKind]).toEqual(['rejected', 'merge_result', 'system']);
    }
    expect((await detail(first.id)).timeline.at(-1).data).toMatchObject({ number: second.number, result: '不予受理' });
  });

  it('records a merge a deputy made through the office’s role as done on the office’s behalf (代)', async () => {
    o = await liaisonOrg();
    const a = await report('甲');
    const b = await report('乙');
    const until = new Date(o.clock.now().getTime() + 72 * 3600_000).toISOString();
    const d = await o.people.office.client.post('/api/v1/delegations', {
      deputyPersonId: o.people.worker.personId,
      from: o.clock.now().toISOString(),
      until,
      reason: '出差',
    });
    expect(d.statusCode).toBeLessThan(300);
    const merged = (await merge(o.people.worker.client, a.id, { targetCaseId: b.id })).json();
    expect(merged.timeline.at(-1)).toMatchObject({ action: 'merge', actor: '赵师傅', onBehalfOf: { personId: o.people.office.personId, name: '孙办公室' } });
    expect((await detail(b.id)).timeline.at(-1)).toMatchObject({ action: 'merged_in', onBehalfOf: { personId: o.people.office.personId, name: '孙办公室' } });
    expect(JSON.parse((await audits(a.id)).at(-1)?.after_json ?? '{}')).toMatchObject({ onBehalfOf: { name: '孙办公室' } });
  });

  it('refuses each bad merge with the field named in Chinese and English, and changes nothing', async () => {
    o = await liaisonOrg();
    const admin = o.admin;
    // Two mines of one group: separate organizations.
    const mineA = await createUnit(admin, o.units.root, 'MA', '一号煤矿', 'mine');
    const mineB = await createUnit(admin, o.units.root, 'MB', '二号煤矿', 'mine');
    const deptA = await createUnit(admin, mineA, 'MA-T', '一矿通风队');
    const deptB = await createUnit(admin, mineB, 'MB-T', '二矿通风队');
    const opsOffice = await createUser(o.t, admin, { unitId: o.units.ops, role: 'office', username: 'opsoffice', name: '钱发电办' });
    const opsOfficeClient = await login(o.t, 'opsoffice', opsOffice.password);

    const a = await report('甲');
    const b = await report('乙');
    const inMaint = await report('检修部的', o.people.drafter.personId, o.units.maint);
    const inMineA = await report('一矿', o.people.drafter.personId, deptA);
    const inMineB = await report('二矿', o.people.drafter.personId, deptB);
    const closed = await report('已不予受理');
    await act(o.people.office.client, closed.id, 'reject');
    const already = await report('已合并的');
    await merge(o.people.office.client, already.id, { targetCaseId: b.id });
    const form = await issuedForm(o);

    const snapshot = async () => ({
      cases: await o.t.services.db.kysely.selectFrom('case_record').select(['id', 'state', 'version', 'merged_into_case_id']).orderBy('id').execute(),
      events: Number(
        (
          await o.t.services.db.kysely
            .selectFrom('case_event')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      audits: Number(
        (
          await o.t.services.db.kysely
            .selectFrom('audit_event')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    });
    const before = await snapshot();

    const refused = async (c: Client, id: number, targetCaseId: number, status: number, zh: string, en: string) => {
      const rz = await merge(c, id, { targetCaseId });
      const re = await merge(c, id, { targetCaseId }, 'en');
      expect([rz.statusCode, re.statusCode]).toEqual([status, status]);
      expect(rz.json().error.message).toBe(zh);
      expect(re.json().error.message).toBe(en);
      return rz.json().error;
    };
    // Into itself.
    const self = await refused(
      o.people.office.client,
      a.id,
      a.id,
      400,
      '请求有误：targetCaseId 不能把表单合并到它自己',
      'Invalid request: targetCaseId a case cannot be merged into itself',
    );
    expect(self.details).toEqual([{ path: 'targetCaseId', message: '不能把表单合并到它自己' }]);
    // Into a closed case.
    await refused(
      o.people.office.client,
      a.id,
      closed.id,
      409,
      `不能合并：targetCaseId ${closed.number} 已办结，不能再合并进去`,
      `Cannot merge: targetCaseId ${closed.number} is closed; nothing can be merged into it`,
    );
    // Across organizations.
    await refused(
      o.people.office.client,
      inMineA.id,
      inMineB.id,
      409,
      `不能合并：targetCaseId ${inMineB.number} 属于其他单位组织，不能跨组织合并`,
      `Cannot merge: targetCaseId ${inMineB.number} belongs to another organization; cases are not merged across organizations`,
    );
    // Into a type the report's type does not merge into.
    await refused(
      o.people.office.client,
      a.id,
      form.id,
      409,
      `不能合并：targetCaseId 反映问题（测试）不能合并到其他类型的表单 ${form.detail.number}`,
      `Cannot merge: targetCaseId a Report (test) cannot be merged into ${form.detail.number}, a case of another type`,
    );
    // A type that does not merge at all.
    await refused(
      o.people.office.client,
      form.id,
      a.id,
      409,
      '不能合并：id 工作联系单不能合并',
      'Cannot merge: id cases of type Work contact form cannot be merged',
    );
    // A case already merged.
    await refused(
      o.people.office.client,
      already.id,
      a.id,
      409,
      `不能合并：id ${already.number} 已经合并到其他表单`,
      `Cannot merge: id ${already.number} is already merged into another case`,
    );
    // Into a case that is itself merged.
    await refused(
      o.people.office.client,
      a.id,
      already.id,
      409,
      `不能合并：targetCaseId ${already.number} 本身已合并到其他表单`,
      `Cannot merge: targetCaseId ${already.number} is itself merged into another case`,
    );
    // A case the person cannot see, or a target they cannot see: 404, as for one that does not exist.
    await refused(o.people.outsider.client, a.id, b.id, 404, '未找到案件/表单', 'Case not found');
    await refused(opsOfficeClient, a.id, inMaint.id, 404, '未找到案件/表单', 'Case not found');
    await refused(o.people.office.client, a.id, 999999, 404, '未找到案件/表单', 'Case not found');
    // Seen but not theirs to merge: the drafter holds no merging role.
    await refused(o.people.drafter.client, a.id, b.id, 403, '没有权限执行此操作', 'You are not allowed to do this');
    // A stale version.
    expect((await merge(o.people.office.client, a.id, { targetCaseId: b.id, version: 99 })).statusCode).toBe(409);

    expect(await snapshot()).toEqual(before);
  });
});

describe('case types that make cases, checked when they are registered', () => {
  it('refuses a type naming a child type that does not exist, or creating a child as the acting person on a clock’s expiry, naming type and field', () => {
    const orphan: CaseTypeDef = {
      ...testReport,
      code: 'test_orphan',
      transitions: [
        { ...testReport.transitions[0], effects: [{ kind: 'createCases', type: 'no_such_type', as: 'system', initiator: 'initiator', fields: () => [] }] },
      ] as CaseTypeDef['transitions'],
      merge: { ...testReport.merge!, into: ['nor_this'] },
    };
    expect(() => registerCaseTypes(orphan)).toThrow(CaseTypeError);
    expect(() => registerCaseTypes(orphan)).toThrow(
      /test_orphan[\s\S]*transitions\[0\]\.effects\[0\]\.type: a case type that does not exist "no_such_type" \/ transitions\[0\]\.effects\[0\]\.type：不存在的表单类型「no_such_type」[\s\S]*merge\.into\[0\]: a case type that does not exist "nor_this"/,
    );
    const byActor: CaseTypeDef = {
      ...testRectification,
      code: 'test_by_actor',
      clocks: [
        { ...testRectification.clocks[0]!, onExpiry: [{ kind: 'createCases', type: 'test_report', as: 'actor', initiator: 'initiator', fields: () => [] }] },
      ],
    };
    expect(() => registerCaseTypes(byActor)).toThrow(/test_by_actor[\s\S]*clocks\[0\]\.onExpiry\[0\]\.as: an invalid value "actor"/);
    expect(() => registerCaseTypes({ ...testReport })).toThrow(/already registered/);
  });
});
