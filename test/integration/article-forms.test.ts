import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { systemContext } from '../../src/server/platform/context.js';
import { type Client, createUnit, createUser, login, rootId, startTestApp, type TestApp } from '../support/harness.js';
import { act, START } from '../support/liaison-org.js';

/**
 * The article-1 and article-2 forms that have no web code of their own (issue 9 §9), over HTTP on
 * the database under test: 采区地质说明书委托书, 重要井巷工程设计图纸, 预防丢煤通知单, 异常汇报/故障报告.
 */

interface Person {
  personId: number;
  client: Client;
}
type Who =
  | 'prodTech'
  | 'prodHead'
  | 'chief'
  | 'office'
  | 'surveyHead'
  | 'teamHead'
  | 'shiftLeader'
  | 'teamLeader'
  | 'operator'
  | 'productionHead'
  | 'specialist'
  | 'safetyOfficer'
  | 'outsider';

let t: TestApp;
let clock: ManualClock;
let u: { root: number; prodTech: number; survey: number; coalTeam: number; ops: number; opsTeam: number; production: number; fuel: number };
let p: Record<Who, Person>;

beforeAll(async () => {
  clock = new ManualClock(new Date(START)); // Tuesday 2026-09-29 10:00 in Shanghai
  t = await startTestApp({ clock, env: { LIAISON_LOGIN_RATE_LIMIT: '1000' } });
  await t.services.db.kysely.transaction().execute((tx) => t.services.policy.set(tx, systemContext(), 'auth.sessionIdleMinutes', 60 * 24 * 30, null));
  const admin = await login(t);
  const root = await rootId(t);
  // 发电部 → 运行一值 → 甲班: the reporting chain of article 1 (逐级汇报).
  const production = await createUnit(admin, root, 'GEN', '发电部');
  const ops = await createUnit(admin, production, 'OPS', '运行一值');
  u = {
    root,
    prodTech: await createUnit(admin, root, 'PROD', '生产技术部'),
    survey: await createUnit(admin, root, 'SURVEY', '地测部'),
    coalTeam: await createUnit(admin, root, 'COAL1', '综采一队'),
    ops,
    opsTeam: await createUnit(admin, ops, 'OPS1A', '甲班'),
    production,
    fuel: await createUnit(admin, root, 'FUEL', '燃料部'),
  };
  const make = async (username: string, name: string, unitId: number, role: string): Promise<Person> => {
    const x = await createUser(t, admin, { unitId, role, username, name });
    return { personId: x.personId, client: await login(t, username, x.password) };
  };
  p = {
    prodTech: await make('prodtech', '何技术员', u.prodTech, 'staff'),
    prodHead: await make('prodhead', '林部长', u.prodTech, 'unit_head'),
    chief: await make('chief', '陈总工', root, 'leader'),
    office: await make('office', '孙办公室', root, 'office'),
    surveyHead: await make('surveyhead', '孔地测', u.survey, 'unit_head'),
    teamHead: await make('teamhead', '马队长', u.coalTeam, 'unit_head'),
    shiftLeader: await make('shift', '高值长', u.ops, 'shift_leader'),
    teamLeader: await make('team', '钱班长', u.opsTeam, 'team_leader'),
    operator: await make('operator', '周值班员', u.opsTeam, 'staff'),
    productionHead: await make('genhead', '郑专工', u.production, 'unit_head'),
    specialist: await make('specialist', '冯主管', u.production, 'specialist'),
    safetyOfficer: await make('safety', '褚安全员', u.production, 'safety_officer'),
    outsider: await make('outsider', '吴燃料', u.fuel, 'staff'),
  };
});
afterAll(() => t?.close());

const create = async (c: Client, type: string, unitId: number, fields: Record<string, unknown>) => {
  const r = await c.post('/api/v1/cases', { type, initiatorUnitId: unitId, fields });
  if (r.statusCode !== 201) throw new Error(r.body);
  return r.json() as { id: number; number: string };
};
const post = (c: Client, id: number, action: string, input?: Record<string, unknown>) =>
  c.post(`/api/v1/cases/${id}/actions`, { action, ...(input && { input }) });
const detail = async (c: Client, id: number, lang = 'zh-CN') => (await c.get(`/api/v1/cases/${id}`, { 'accept-language': lang })).json();
const kinds = async (c: Client) => (await c.get('/api/v1/notifications')).json().items.map((x: { kind: string }) => x.kind) as string[];
const problems = (r: { json(): { error: { details?: { path: string; message: string }[] } } }) =>
  Object.fromEntries((r.json().error.details ?? []).map((d) => [d.path, d.message]));

describe('采区地质说明书委托书 (article 2 一.1)', () => {
  const letter = (extra: Record<string, unknown> = {}) => ({
    title: '三采区地质说明书',
    district: '三采区',
    body: '三采区设计所需采区地质说明书。',
    designDate: '2028-10-20',
    receiverUnitId: u.survey,
    departmentHeadPersonId: p.prodHead.personId,
    chiefEngineerPersonId: p.chief.personId,
    ...extra,
  });

  it('is submitted two years before the design, signed by the department head and the chief engineer, and signed for', async () => {
    const { id, number } = await create(p.prodTech.client, 'district_geology_commission', u.prodTech, letter());
    expect(number).toBe('CQWT-2026-0001');
    expect((await act(p.prodTech.client, id, 'submit')).state).toBe('head_signing');
    await act(p.prodHead.client, id, 'head_sign');
    const d = await act(p.chief.client, id, 'chief_sign');
    expect(d.state).toBe('issued');
    expect(d.parts[0].state).toBe('awaiting_receipt');
    const received = await act(p.surveyHead.client, id, 'receive', { handlerPersonId: p.surveyHead.personId });
    const deliver = received.deadlines.find((x: { clock: string }) => x.clock === 'deliver');
    // The working day before 2028-10-20 (a Friday): Thursday 2028-10-19, 17:30 in Shanghai.
    expect(deliver).toMatchObject({ state: 'running', dueAt: '2028-10-19T09:30:00.000Z' });
    expect(deliver.clockLabel).toBe('采区地质说明书提交期限（设计日期前）');
  });

  it('refuses a letter later than two years before the design unless urgent with a reason, saying the latest day (国庆 moves it earlier)', async () => {
    // 2026-10-03 is in 国庆: two years before a design on 2028-10-03 the letter was due by 2026-09-30; today is 09-29, still in time.
    const inTime = await create(p.prodTech.client, 'district_geology_commission', u.prodTech, letter({ designDate: '2028-10-03' }));
    expect((await post(p.prodTech.client, inTime.id, 'submit')).statusCode).toBe(200);

    const { id } = await create(p.prodTech.client, 'district_geology_commission', u.prodTech, letter({ designDate: '2028-06-30' }));
    const late = await post(p.prodTech.client, id, 'submit');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('COMMISSION_TOO_LATE');
    expect(late.json().error.message).toContain('委托书最迟应于 2026-06-30 提交');
    const en = await p.prodTech.client.request('POST', `/api/v1/cases/${id}/actions`, { action: 'submit' }, { 'accept-language': 'en' });
    expect(en.json().error.message).toContain('the letter was due by 2026-06-30');
    let d = await detail(p.prodTech.client, id);
    expect(d.state).toBe('draft');
    const put = await p.prodTech.client.put(`/api/v1/cases/${id}`, {
      version: d.version,
      fields: letter({ designDate: '2028-06-30', urgent: true, urgentReason: '采区设计提前' }),
    });
    expect(put.statusCode).toBe(200);
    d = await act(p.prodTech.client, id, 'submit');
    expect(d.state).toBe('head_signing');
  });
});

describe('重要井巷工程设计图纸 (article 2 一.4)', () => {
  const drawings = (extra: Record<string, unknown> = {}) => ({
    title: '主斜井延伸设计图纸',
    work: '主斜井延伸',
    body: '主斜井延伸施工图 3 张',
    workDate: '2026-10-08',
    receiverUnitId: u.survey,
    chiefEngineerPersonId: p.chief.personId,
    ...extra,
  });

  it('goes to the survey department 3 days ahead; the deviation agreed at the business meeting is recorded on its part, before the work (国庆 skipped)', async () => {
    const { id, number } = await create(p.prodTech.client, 'work_drawings', u.prodTech, drawings());
    expect(number).toBe('SJTZ-2026-0001');
    let d = await act(p.prodTech.client, id, 'send');
    expect(d.state).toBe('sent');
    expect(await kinds(p.chief.client)).toContain('wd.sent_to_chief');
    const agree = d.deadlines.find((x: { clock: string }) => x.clock === 'agree');
    // 2026-10-08 is the first working day after 国庆 (10-01…10-07): the working day before is 09-30, 17:30.
    expect(agree.dueAt).toBe('2026-09-30T09:30:00.000Z');
    expect(agree.explanation.join('\n')).toContain('国庆');
    const en = await detail(p.prodTech.client, id, 'en');
    expect(en.deadlines[0].explanation).toContain('Skipped Oct 1–Oct 7 (holiday: 国庆节)');
    expect(agree.explanation).toContain('跳过 10月1日–10月7日 国庆节');

    await act(p.surveyHead.client, id, 'receive');
    // A bad agreement names its fields, in zh-CN and English; nothing changes.
    const bad = await post(p.surveyHead.client, id, 'record_agreement', { deviationMm: -5, requirements: '' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(problems(bad)).sort()).toEqual(['input.deviationMm', 'input.meetingDate', 'input.requirements']);
    const badEn = await p.surveyHead.client.request(
      'POST',
      `/api/v1/cases/${id}/actions`,
      { action: 'record_agreement', input: { deviationMm: 'x', requirements: '中线', meetingDate: '2026-09-29' } },
      { 'accept-language': 'en' },
    );
    expect(problems(badEn)['input.deviationMm']).toMatch(/must be/);
    expect((await detail(p.surveyHead.client, id)).parts[0].state).toBe('reviewing');

    d = await act(p.surveyHead.client, id, 'record_agreement', { deviationMm: 50, requirements: '中线偏差不超过 50 mm', meetingDate: '2026-09-29' });
    expect(d.state).toBe('closed');
    const recorded = d.timeline.find((e: { action: string }) => e.action === 'record_agreement');
    expect(recorded.data).toMatchObject({ deviationMm: 50, requirements: '中线偏差不超过 50 mm' });
    expect(d.deadlines[0].state).toBe('met');
    expect(await kinds(p.chief.client)).toContain('wd.agreed');
  });

  it('refuses drawings later than 3 days before the work unless urgent', async () => {
    const { id } = await create(p.prodTech.client, 'work_drawings', u.prodTech, drawings({ workDate: '2026-10-01' }));
    const late = await post(p.prodTech.client, id, 'send');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain('最迟应于 2026-09-28');
    expect((await detail(p.prodTech.client, id)).state).toBe('draft');
  });

  it('is late when the deviation is not recorded before the work: overdue, the chief engineer told', async () => {
    const { id } = await create(p.prodTech.client, 'work_drawings', u.prodTech, drawings({ workDate: '2026-10-20', title: '副井贯通设计图纸' }));
    await act(p.prodTech.client, id, 'send');
    clock.set('2026-10-19T10:00:00.000Z'); // Monday 10-19 18:00: past the end of the working day before Tuesday 10-20
    expect((await t.services.cases.sweep()).fired).toBeGreaterThanOrEqual(1);
    const d = await detail(p.prodTech.client, id);
    expect(d.parts[0].overdue).toBe(true);
    expect(d.deadlines[0].state).toBe('fired');
    expect(await kinds(p.chief.client)).toContain('wd.agree_overdue');
    clock.set(START);
  });
});

describe('预防丢煤通知单 (article 2 三.1)', () => {
  const fields = (extra: Record<string, unknown> = {}) => ({
    title: '3105 工作面煤柱尺寸不符',
    face: '3105 回采工作面',
    measured: 'pillar',
    designMeters: 20,
    measuredMeters: 16.5,
    body: '区段煤柱实测 16.5 m，小于设计 20 m，请调整回采。',
    receiverUnitId: u.coalTeam,
    chiefEngineerPersonId: p.chief.personId,
    ...extra,
  });

  it('goes to the coal face team and is reported to the chief engineer; the team acknowledges within a shift', async () => {
    const { id, number } = await create(p.prodTech.client, 'coal_loss_notice', u.prodTech, fields());
    expect(number).toBe('FDM-2026-0001');
    let d = await act(p.prodTech.client, id, 'issue');
    expect(d.deadlines[0]).toMatchObject({ clock: 'acknowledge', dueAt: '2026-09-29T10:00:00.000Z' });
    expect(await kinds(p.chief.client)).toContain('pc.reported_to_chief');
    expect(await kinds(p.teamHead.client)).toContain('pc.issued');
    d = await act(p.teamHead.client, id, 'acknowledge', { note: '已调整' });
    expect(d.state).toBe('closed');
  });

  it('names bad fields in zh-CN and English and saves nothing', async () => {
    const before = (await p.prodTech.client.get('/api/v1/cases?tab=all&type=coal_loss_notice')).json().total;
    const r = await p.prodTech.client.post('/api/v1/cases', {
      type: 'coal_loss_notice',
      initiatorUnitId: u.prodTech,
      fields: fields({ measured: 'gas', measuredMeters: -1 }),
    });
    expect(r.statusCode).toBe(400);
    expect(Object.keys(problems(r)).sort()).toEqual(['fields.measured', 'fields.measuredMeters']);
    expect(problems(r)['fields.measuredMeters']).toBe('不能小于 0');
    const en = await p.prodTech.client.request(
      'POST',
      '/api/v1/cases',
      { type: 'coal_loss_notice', initiatorUnitId: u.prodTech, fields: fields({ measuredMeters: -1 }) },
      { 'accept-language': 'en' },
    );
    expect(problems(en)['fields.measuredMeters']).toBe('must be at least 0');
    expect((await p.prodTech.client.get('/api/v1/cases?tab=all&type=coal_loss_notice')).json().total).toBe(before);
  });

  it('refuses a type this server does not run, naming the field', async () => {
    const r = await p.prodTech.client.post('/api/v1/cases', { type: 'no_such_form', initiatorUnitId: u.prodTech, fields: { title: '试试' } });
    expect(r.statusCode).toBe(400);
    expect(Object.keys(problems(r))).toEqual(['type']);
    expect((await p.prodTech.client.get('/api/v1/cases?type=no_such_form')).statusCode).toBe(400);
  });
});

describe('异常汇报 / 故障报告 (article 1 5.3.3–5.3.4), up the reporting chain', () => {
  const report = (extra: Record<string, unknown> = {}) => ({
    title: '2号机给水泵振动异常',
    kind: 'anomaly',
    occurredAt: '2026-09-29T08:30:00+08:00',
    equipment: '2号机给水泵',
    body: '振动 0.12 mm，超过报警值。',
    ...extra,
  });
  const partOfPerson = (d: { parts: { id: number; person?: { id: number } | null }[] }, personId: number) => {
    const part = d.parts.find((x) => x.person?.id === personId);
    if (!part) throw new Error(`no part for person ${personId}`);
    return part.id;
  };
  const todo = async (c: Client) => (await c.get('/api/v1/cases?tab=todo')).json() as { total: number; items: { id: number }[] };

  it('an anomaly reaches the specialist and the safety officer above the reporter, in person: each has it in 待办 and acknowledges it', async () => {
    const { id, number } = await create(p.operator.client, 'incident_report', u.opsTeam, report());
    expect(number).toMatch(/^YCHB-2026-/);
    const openBefore = (await todo(p.specialist.client)).total;
    let d = await act(p.operator.client, id, 'report');
    // The per-holder count (case_task_count, holder p:<person>) moves with the task, in its transaction.
    expect((await todo(p.specialist.client)).total).toBe(openBefore + 1);
    expect(d.state).toBe('reported');
    expect(d.parts.map((x: { person: { name: string }; unit: { name: string } }) => `${x.person.name}（${x.unit.name}）`).sort()).toEqual(
      ['冯主管（发电部）', '褚安全员（发电部）'].sort(),
    );
    const due = d.deadlines[0];
    expect(due).toMatchObject({ clock: 'report', dueAt: '2026-09-30T00:30:00.000Z', state: 'running' });
    expect(due.explanation.join('\n')).toContain('发生时间');
    for (const who of [p.specialist, p.safetyOfficer]) {
      expect(await kinds(who.client)).toContain('ir.reported');
      expect((await todo(who.client)).items.map((x) => x.id)).toContain(id);
    }
    // The department head is not reported to: a person part is its person's, not its unit's. He is in
    // the reporter's chain (the type's chain_to_head role), so he may read it, not acknowledge it.
    expect(await kinds(p.productionHead.client)).not.toContain('ir.reported');
    expect((await todo(p.productionHead.client)).items.map((x) => x.id)).not.toContain(id);
    const ack = { action: 'acknowledge', input: {}, partId: partOfPerson(d, p.specialist.personId) };
    expect((await p.productionHead.client.post(`/api/v1/cases/${id}/actions`, ack)).statusCode).toBe(403);
    expect((await post(p.outsider.client, id, 'acknowledge')).statusCode).toBe(404);
    // Each acknowledges their own part; the report closes when both have.
    d = await act(p.specialist.client, id, 'acknowledge', { note: '已安排检修' }, { partId: partOfPerson(d, p.specialist.personId) });
    expect(d.state).toBe('reported');
    expect((await todo(p.specialist.client)).items.map((x) => x.id)).not.toContain(id);
    expect((await todo(p.specialist.client)).total).toBe(openBefore);
    const other = partOfPerson(d, p.safetyOfficer.personId);
    expect((await post(p.specialist.client, id, 'acknowledge', {}).then((r) => r)).statusCode, 'nothing left for the specialist').toBe(409);
    expect((await p.specialist.client.post(`/api/v1/cases/${id}/actions`, { action: 'acknowledge', input: {}, partId: other })).statusCode).toBe(403);
    d = await act(p.safetyOfficer.client, id, 'acknowledge', {}, { partId: partOfPerson(d, p.safetyOfficer.personId) });
    expect(d.state).toBe('closed');
    expect(d.timeline.find((e: { action: string }) => e.action === 'acknowledge').unitName).toBe('冯主管（发电部）');
    const html = (await p.operator.client.get(`/api/v1/cases/${id}/print`)).body;
    expect(html).toContain('冯主管（发电部）');
  });

  it("a fault report goes up the chain to the department head: a team leader's to the shift leader and the head", async () => {
    const toldSpecialist = (await kinds(p.specialist.client)).length;
    const { id } = await create(p.teamLeader.client, 'incident_report', u.opsTeam, report({ kind: 'fault', title: '1号炉引风机跳闸' }));
    const d = await act(p.teamLeader.client, id, 'report');
    expect(d.parts.map((x: { person: { id: number } }) => x.person.id).sort()).toEqual([p.shiftLeader.personId, p.productionHead.personId].sort());
    for (const who of [p.shiftLeader, p.productionHead]) expect((await todo(who.client)).items.map((x) => x.id)).toContain(id);
    expect(await kinds(p.shiftLeader.client)).toContain('ir.reported');
    // Not an anomaly: the specialist is not told.
    expect((await kinds(p.specialist.client)).length).toBe(toldSpecialist);
  });

  it('an edited draft follows its kind: the people reported to change with it, those no longer asked are cancelled', async () => {
    const { id } = await create(p.operator.client, 'incident_report', u.opsTeam, report({ title: '4号机润滑油压低' }));
    let d = await detail(p.operator.client, id);
    const people = (x: typeof d, state: string) =>
      x.parts
        .filter((q: { state: string }) => q.state === state)
        .map((q: { person: { id: number } }) => q.person.id)
        .sort();
    expect(people(d, 'pending')).toEqual([p.specialist.personId, p.safetyOfficer.personId].sort());
    const edited = await p.operator.client.put(`/api/v1/cases/${id}`, { version: d.version, fields: report({ title: '4号机润滑油压低', kind: 'fault' }) });
    expect(edited.statusCode).toBe(200);
    d = await detail(p.operator.client, id);
    expect(people(d, 'cancelled')).toEqual([p.specialist.personId, p.safetyOfficer.personId].sort());
    expect(people(d, 'pending')).toEqual([p.teamLeader.personId, p.shiftLeader.personId, p.productionHead.personId].sort());
    d = await act(p.operator.client, id, 'report');
    expect(people(d, 'awaiting_ack')).toEqual([p.teamLeader.personId, p.shiftLeader.personId, p.productionHead.personId].sort());
    expect(await kinds(p.teamLeader.client)).toContain('ir.reported');
  });

  it('a fault report not acknowledged within 24 hours is overdue and the reporter and the office are told', async () => {
    const { id } = await create(
      p.shiftLeader.client,
      'incident_report',
      u.ops,
      report({ kind: 'fault', title: '1号炉引风机跳闸', occurredAt: '2026-09-30T20:00:00+08:00' }),
    );
    const d = await act(p.shiftLeader.client, id, 'report');
    // A shift leader's fault report goes to the head of 发电部 alone.
    expect(d.parts.map((x: { person: { id: number } }) => x.person.id)).toEqual([p.productionHead.personId]);
    // Into 国庆: 24 natural hours, holidays or not.
    expect(d.deadlines[0].dueAt).toBe('2026-10-01T12:00:00.000Z');
    clock.set('2026-10-01T12:01:00.000Z');
    expect((await t.services.cases.sweep()).fired).toBeGreaterThanOrEqual(1);
    const late = await detail(p.shiftLeader.client, id);
    expect(late.parts[0].overdue).toBe(true);
    expect(await kinds(p.shiftLeader.client)).toContain('ir.overdue');
    expect(await kinds(p.office.client)).toContain('ir.overdue');
    expect(await kinds(p.productionHead.client)).toContain('ir.overdue');
    clock.set(START);
  });

  it('refuses a report nobody above the reporter can receive, naming the kind in zh-CN and English, and saves nothing', async () => {
    const before = (await p.outsider.client.get('/api/v1/cases?tab=mine')).json().total;
    const zh = await p.outsider.client.post('/api/v1/cases', { type: 'incident_report', initiatorUnitId: u.fuel, fields: report() });
    expect(zh.statusCode).toBe(400);
    const kindProblems = (r: typeof zh) =>
      r
        .json()
        .error.details.filter((x: { path: string }) => x.path === 'fields.kind')
        .map((x: { message: string }) => x.message);
    expect(kindProblems(zh)).toEqual([
      '汇报链上没有“专业主管”：请组织机构管理员设置本单位或上级单位的该岗位人员',
      '汇报链上没有“安全员”：请组织机构管理员设置本单位或上级单位的该岗位人员',
    ]);
    const en = await p.outsider.client.request(
      'POST',
      '/api/v1/cases',
      { type: 'incident_report', initiatorUnitId: u.fuel, fields: report() },
      { 'accept-language': 'en' },
    );
    expect(kindProblems(en)[0]).toMatch(/nobody above the reporter holds "specialist"/);
    expect((await p.outsider.client.get('/api/v1/cases?tab=mine')).json().total).toBe(before);
  });

  it('reads the role codes from the policies: with roles.specialist set to the unit head, the anomaly goes to the head', async () => {
    await t.services.db.kysely.transaction().execute((tx) => t.services.policy.set(tx, systemContext(), 'roles.specialist', 'unit_head', null));
    try {
      const { id } = await create(p.operator.client, 'incident_report', u.opsTeam, report({ title: '3号机凝泵异音' }));
      const d = await act(p.operator.client, id, 'report');
      expect(d.parts.map((x: { person: { id: number } }) => x.person.id).sort()).toEqual([p.productionHead.personId, p.safetyOfficer.personId].sort());
    } finally {
      await t.services.db.kysely.transaction().execute((tx) => t.services.policy.set(tx, systemContext(), 'roles.specialist', 'specialist', null));
    }
  });

  it('tells the office by the role code the organization sets (roles.office), not by a constant', async () => {
    const admin = await login(t);
    const hr = await createUser(t, admin, { unitId: u.root, role: 'hr', username: 'hr_office', name: '卫人事' });
    const hrClient = await login(t, 'hr_office', hr.password);
    const count = async (c: Client) => (await kinds(c)).filter((k) => k === 'ir.overdue').length;
    const [officeBefore, hrBefore] = [await count(p.office.client), await count(hrClient)];
    await t.services.db.kysely.transaction().execute((tx) => t.services.policy.set(tx, systemContext(), 'roles.office', 'hr', null));
    try {
      // Happened two days ago: late as soon as it is reported.
      const late = report({ kind: 'fault', title: '2号炉给煤机断煤', occurredAt: '2026-09-27T08:00:00+08:00' });
      const { id } = await create(p.shiftLeader.client, 'incident_report', u.ops, late);
      await act(p.shiftLeader.client, id, 'report');
      expect((await t.services.cases.sweep()).fired).toBeGreaterThanOrEqual(1);
      expect(await count(hrClient)).toBe(hrBefore + 1);
      expect(await count(p.office.client)).toBe(officeBefore);
    } finally {
      await t.services.db.kysely.transaction().execute((tx) => t.services.policy.set(tx, systemContext(), 'roles.office', 'office', null));
    }
  });

  it('names a missing or bad occurrence time in zh-CN and English when it is reported, and stays a draft', async () => {
    const { id } = await create(p.shiftLeader.client, 'incident_report', u.ops, { title: '只写了标题', kind: 'fault' });
    const r = await post(p.shiftLeader.client, id, 'report');
    expect(r.statusCode).toBe(400);
    expect(Object.keys(problems(r))).toContain('fields.occurredAt');
    const bad = await p.shiftLeader.client.request(
      'POST',
      '/api/v1/cases',
      { type: 'incident_report', initiatorUnitId: u.ops, fields: report({ occurredAt: '昨天晚上' }) },
      { 'accept-language': 'en' },
    );
    expect(bad.statusCode).toBe(400);
    expect(problems(bad)['fields.occurredAt']).toMatch(/wrong format/);
    expect((await detail(p.shiftLeader.client, id)).state).toBe('draft');
  });
});
