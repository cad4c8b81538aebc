import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { rebuildInboxCounts } from '../../src/server/platform/db/migrations/0016-inbox-counts.js';
import type { Client } from '../support/harness.js';
import { act, formFields, issuedForm, type LiaisonOrg, liaisonOrg, partOf } from '../support/liaison-org.js';

const ids = (list: { items: { id: number }[] }) => list.items.map((c) => c.id);

describe('inbox (待办), lists and search', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  it('shows each person what they must act on now, soonest deadline first, and moves the case as the ball moves', async () => {
    o = await liaisonOrg();
    const get = async (c: Client, q = 'tab=todo') => (await c.get(`/api/v1/cases?${q}`)).json();
    const draft = await o.people.drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o) });
    const id = draft.json().id;
    expect(ids(await get(o.people.drafter.client))).toEqual([id]);
    expect((await get(o.people.receiver.client)).total).toBe(0);

    await act(o.people.drafter.client, id, 'submit');
    expect((await get(o.people.drafter.client)).total).toBe(0);
    expect(ids(await get(o.people.leader.client))).toEqual([id]);

    await act(o.people.leader.client, id, 'issue');
    const receiverTodo = await get(o.people.receiver.client);
    expect(ids(receiverTodo)).toEqual([id]);
    expect(receiverTodo.items[0].taskDueAt).toBe('2026-09-30T09:30:00.000Z');
    // Every member of the receiving unit sees it until a handler is named.
    expect(ids(await get(o.people.worker.client))).toEqual([id]);

    // A second form issued the next day (due after the National Day week) sorts after the first one.
    o.clock.advance(24 * 60 * 60 * 1000);
    const second = await issuedForm(o, { title: '第二张联系单：安全台账' });
    expect(ids(await get(o.people.receiver.client))).toEqual([id, second.id]);

    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId });
    expect(ids(await get(o.people.receiver.client))).toEqual([second.id]);
    // The worker now handles the first (due 10-20) and, as a member, sees the second (sign by 10-08) first.
    expect(ids(await get(o.people.worker.client))).toEqual([second.id, id]);

    // 我发起的, 已办, 全部
    expect(ids(await get(o.people.drafter.client, 'tab=mine')).sort()).toEqual([id, second.id].sort());
    expect(ids(await get(o.people.receiver.client, 'tab=done'))).toEqual([id]);
    expect((await get(o.people.outsider.client, 'tab=all')).total).toBe(0);
    // case.read over the units: the office sees everything in its subtree.
    expect((await get(o.people.office.client, 'tab=all')).total).toBe(2);
  });

  it('keeps the 待办 total with the tasks: a case asked of two of my units, or of me and my unit, counts once, as a recount says', async () => {
    o = await liaisonOrg();
    // The worker also holds a post in the safety department, the form's second receiver.
    const m = await o.admin.post('/api/v1/memberships', { personId: o.people.worker.personId, unitId: o.units.safety, roleCode: 'staff' });
    expect(m.statusCode).toBe(200);
    const totals = async (c: Client) => {
      const kept = (await c.get('/api/v1/cases?tab=todo')).json();
      // A filtered inbox is counted from the tasks themselves: the reference.
      const recounted = (await c.get('/api/v1/cases?tab=todo&type=contact_form')).json();
      expect(kept.total).toBe(recounted.total);
      expect(kept.total).toBe(kept.items.length);
      return kept.total;
    };
    const a = await issuedForm(o);
    const b = await issuedForm(o, { title: '第二张联系单：安全台账' });
    expect(await totals(o.people.worker.client)).toBe(2);
    expect(await totals(o.people.receiver.client)).toBe(2);
    expect(await totals(o.people.safetyHead.client)).toBe(2);
    // Signed for maintenance with the worker as handler: the worker now holds it in person and through safety.
    await act(o.people.receiver.client, a.id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: partOf(a.detail, o.units.maint) });
    expect(await totals(o.people.worker.client)).toBe(2);
    expect(await totals(o.people.receiver.client)).toBe(1);
    await act(o.people.safetyHead.client, a.id, 'sign', { handlerPersonId: o.people.safetyHead.personId }, { partId: partOf(a.detail, o.units.safety) });
    expect(await totals(o.people.worker.client)).toBe(2);
    expect(await totals(o.people.safetyHead.client)).toBe(2);
    await act(o.people.worker.client, a.id, 'reply', { result: '台账已核对，无误。' }, { partId: partOf(a.detail, o.units.maint) });
    expect(await totals(o.people.worker.client)).toBe(1);
    expect(await totals(o.people.drafter.client)).toBe(1);
    await act(o.people.drafter.client, a.id, 'accept', {}, { partId: partOf(a.detail, o.units.maint) });
    expect(await totals(o.people.drafter.client)).toBe(0);
    expect(await totals(o.people.worker.client)).toBe(1);
    await act(o.people.worker.client, b.id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: partOf(b.detail, o.units.safety) });
    expect(await totals(o.people.worker.client)).toBe(1);
    expect(await totals(o.people.receiver.client)).toBe(1);

    // What the migration and the benchmark's prefill compute from the tasks is what was kept along the way.
    const k = o.t.services.db.kysely;
    const kept = await k.selectFrom('case_task_count').select(['holder', 'open_cases']).where('open_cases', '<>', 0).orderBy('holder').execute();
    const pairs = await k.selectFrom('case_task_pair').selectAll().orderBy('holder_a').orderBy('holder_b').orderBy('case_id').execute();
    await rebuildInboxCounts(k);
    expect(await k.selectFrom('case_task_count').select(['holder', 'open_cases']).orderBy('holder').execute()).toEqual(kept);
    expect(await k.selectFrom('case_task_pair').selectAll().orderBy('holder_a').orderBy('holder_b').orderBy('case_id').execute()).toEqual(pairs);
    expect(pairs.length).toBeGreaterThan(0);
  });

  it('filters overdue forms and finds forms by two-character Chinese words, numbers and titles', async () => {
    o = await liaisonOrg();
    const a = await issuedForm(o, { title: '综采队煤矿安全台账核对', body: '请核对安全台账。' });
    const b = await issuedForm(o, { title: '皮带机检修计划', body: '请按计划检修。' });
    const find = async (q: string) => ids((await o.people.office.client.get(`/api/v1/cases?tab=all&q=${encodeURIComponent(q)}`)).json());
    expect(await find('煤矿')).toEqual([a.id]);
    expect(await find('台账')).toEqual([a.id]);
    expect(await find('检修')).toEqual([b.id]);
    expect(await find('LXD-2026-0002')).toEqual([b.id]);
    expect(await find('采煤')).toEqual([]);
    expect(await find('"; drop table case_record; --')).toEqual([]);

    o.clock.set('2026-10-09T00:00:00.000Z');
    await o.t.services.cases.sweep();
    const overdue = (await o.people.office.client.get('/api/v1/cases?tab=all&overdue=true')).json();
    expect(overdue.total).toBe(2);
    expect(overdue.items[0].overdue).toBe(true);
    const todoOverdue = (await o.people.receiver.client.get('/api/v1/cases?tab=todo&overdue=true')).json();
    expect(todoOverdue.total).toBe(2);
  });

  it('exports the list to .xlsx with Chinese headers', async () => {
    o = await liaisonOrg();
    await issuedForm(o);
    const res = await o.people.drafter.client.get('/api/v1/cases/export.xlsx?tab=mine');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E5%B7%A5%E4%BD%9C%E8%81%94%E7%B3%BB.xlsx");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).values).toEqual([undefined, '编号', '标题', '状态', '收单单位', '要求完成日期', '超期', '起草时间']);
    expect(ws?.getRow(2).getCell(1).value).toBe('LXD-2026-0001');
    // Dates are Excel dates; the time is the organization's (Asia/Shanghai) wall clock, not UTC text.
    const list = (await o.people.drafter.client.get('/api/v1/cases?tab=mine')).json();
    const due = ws?.getRow(2).getCell(5);
    expect(due?.value).toEqual(new Date(`${list.items[0].dueDate}T00:00:00.000Z`));
    expect(due?.numFmt).toBe('yyyy-mm-dd');
    const created = ws?.getRow(2).getCell(7);
    expect(list.items[0].createdAt).toBe('2026-09-29T02:00:00.000Z');
    expect(created?.value).toEqual(new Date('2026-09-29T10:00:00.000Z')); // 10:00 in Shanghai, as Excel shows it
    expect(created?.numFmt).toBe('yyyy-mm-dd hh:mm');
  });

  it('lets anyone address a form to any unit of the organization, though they manage none of them', async () => {
    o = await liaisonOrg();
    const units = (await o.people.drafter.client.get('/api/v1/cases/receiver-units')).json();
    expect(units.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['发电部', '检修部', '安监部', '燃料部']));
    // …while the unit tree they may read stays their own.
    const readable = (await o.people.drafter.client.get('/api/v1/units')).json();
    expect(readable.map((u: { name: string }) => u.name)).not.toContain('检修部');
  });

  it("lists the members of the user's own unit for naming people on a form, and no other unit's", async () => {
    o = await liaisonOrg();
    const own = await o.people.drafter.client.get(`/api/v1/cases/unit-members?unitId=${o.units.ops}`);
    expect(
      own
        .json()
        .map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['张起草', '李签发'].sort());
    expect((await o.people.drafter.client.get(`/api/v1/cases/unit-members?unitId=${o.units.maint}`)).statusCode).toBe(404);
    const leaders = (await o.people.drafter.client.get(`/api/v1/cases/signing-leaders?unitId=${o.units.ops}`)).json();
    expect(leaders).toEqual([{ id: o.people.leader.personId, name: '李签发', post: null, unitName: '发电部', role: 'unit_head' }]);
  });

  it('rejects bad list queries with the field named', async () => {
    o = await liaisonOrg();
    const bad = await o.people.drafter.client.get('/api/v1/cases?tab=everything');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('query.tab');
  });
});

describe('notifications (the bell)', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  it('counts unread notifications, lists them in the reader language and marks them read', async () => {
    o = await liaisonOrg();
    await issuedForm(o);
    const c = o.people.receiver.client;
    expect((await c.get('/api/v1/notifications/unread')).json()).toEqual({ unread: 1 });
    const list = (await c.get('/api/v1/notifications')).json();
    expect(list.items[0].text).toBe('工作联系单 LXD-2026-0001《检修煤矿皮带机台账核对》已签发，请于 2026-09-30 17:30 前签收或提出异议');
    const en = (await c.request('GET', '/api/v1/notifications', undefined, { 'accept-language': 'en' })).json();
    expect(en.items[0].text).toBe('Contact form LXD-2026-0001 "检修煤矿皮带机台账核对" was issued: sign for it or object by 2026-09-30 17:30');
    expect((await c.post('/api/v1/notifications/read', { ids: [list.items[0].id] })).json()).toEqual({ updated: 1 });
    expect((await c.get('/api/v1/notifications/unread')).json()).toEqual({ unread: 0 });
    // Nobody reads someone else's notifications.
    expect((await o.people.outsider.client.post('/api/v1/notifications/read', { all: true })).json()).toEqual({ updated: 0 });
    // Every notification also waits in the outbox for later channels.
    const outbox = await o.t.services.notifications.pendingOutbox(100);
    expect(outbox.length).toBeGreaterThanOrEqual(3);
  });
});

describe('assessment ledger (考核台账)', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  async function overdueProposal() {
    const { id, detail } = await issuedForm(o);
    const maint = partOf(detail, o.units.maint);
    await act(o.people.safetyHead.client, id, 'sign', { handlerPersonId: o.people.safetyHead.personId });
    o.clock.set('2026-09-30T09:31:00.000Z');
    await o.t.services.cases.sweep();
    const list = (await o.people.drafter.client.get('/api/v1/assessments')).json();
    expect(list.items).toHaveLength(1);
    return { caseId: id, maint, a: list.items[0] };
  }

  it('goes proposed → confirmed → appealed within 1 working day → reduced by the signing leader → final, and HR exports it', async () => {
    o = await liaisonOrg();
    const { a } = await overdueProposal();
    expect(a.state).toBe('proposed');
    expect(a.actions).toEqual(['confirm', 'drop']);
    expect(a.points).toBe(1);

    const confirmed = (await o.people.drafter.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'confirm' })).json();
    expect(confirmed.state).toBe('confirmed');
    expect(confirmed.appealDueAt).toBe('2026-10-08T09:30:00.000Z'); // 1 working day, after the National Day week

    // The assessed unit is told and may appeal.
    const n = (await o.people.receiver.client.get('/api/v1/notifications')).json();
    expect(n.items.some((x: { kind: string }) => x.kind === 'assessment.confirmed')).toBe(true);
    const appealed = (await o.people.receiver.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'appeal', reason: '签收延误系系统故障' })).json();
    expect(appealed.state).toBe('appealed');

    // Only the signing leader rules.
    const byDrafter = await o.people.drafter.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'rule', ruling: 'withdrawn', reason: '撤销' });
    expect(byDrafter.statusCode).toBe(403);
    const ruled = (
      await o.people.leader.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'rule', ruling: 'reduced', reason: '情有可原，减半', points: 0.5 })
    ).json();
    expect(ruled.state).toBe('final');
    expect(ruled.points).toBe(0.5);
    expect(ruled.ruling).toBe('减轻');

    const hrList = (await o.people.hr.client.get('/api/v1/assessments?period=2026-09&state=final')).json();
    expect(hrList.items.map((x: { id: number }) => x.id)).toEqual([a.id]);
    const xlsx = await o.people.hr.client.get('/api/v1/assessments/export.xlsx?period=2026-09');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const row = wb.worksheets[0]?.getRow(2);
    expect(row?.getCell(3).value).toBe('未在1个工作日内签收或提出异议');
    expect(row?.getCell(4).value).toBe('检修部');
    expect(row?.getCell(6).value).toBe(0.5);
    // 生效时间: the ruling at 09:31 UTC is 17:31 in Shanghai, written as an Excel date-time.
    expect(ruled.finalAt).toBe('2026-09-30T09:31:00.000Z');
    expect(row?.getCell(12).value).toEqual(new Date('2026-09-30T17:31:00.000Z'));
    expect(row?.getCell(12).numFmt).toBe('yyyy-mm-dd hh:mm');
    // Somebody outside gets nothing.
    expect((await o.people.outsider.client.get('/api/v1/assessments')).json().total).toBe(0);
    expect((await o.people.outsider.client.get(`/api/v1/assessments/${a.id}`)).statusCode).toBe(404);
  });

  it('refuses an appeal after the 1-working-day window, and the leader then approves the event as it stands', async () => {
    o = await liaisonOrg();
    const { a } = await overdueProposal();
    await o.people.drafter.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'confirm' });
    o.clock.set('2026-10-08T09:31:00.000Z');
    const late = await o.people.receiver.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'appeal', reason: '我们有异议' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('申诉期限（2026-10-08 17:30）已过');
    const approved = (await o.people.leader.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'approve' })).json();
    expect(approved.state).toBe('final');
  });

  it('lets the initiator drop a proposal instead of confirming it', async () => {
    o = await liaisonOrg();
    const { a } = await overdueProposal();
    const dropped = (await o.people.drafter.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'drop', reason: '已口头沟通，不予考核' })).json();
    expect(dropped.state).toBe('dropped');
    const again = await o.people.drafter.client.post(`/api/v1/assessments/${a.id}/actions`, { action: 'confirm' });
    expect(again.statusCode).toBe(409);
  });
});

describe('attachments', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const upload = (c: Client, id: number, name: string, content: Buffer, type = 'application/octet-stream') => {
    const b = 'liaison-test-boundary';
    const payload = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    return o.t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/attachments`,
      payload,
      headers: { cookie: c.cookie as string, 'x-csrf-token': c.csrf as string, 'content-type': `multipart/form-data; boundary=${b}` },
    });
  };
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

  it('stores a file, shows it on the case and downloads it under its Chinese name', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o);
    const r = await upload(o.people.drafter.client, id, '检修计划.pdf', pdf);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ name: '检修计划.pdf', mime: 'application/pdf', size: pdf.length });
    const d = (await o.people.receiver.client.get(`/api/v1/cases/${id}`)).json();
    expect(d.attachments.map((a: { name: string }) => a.name)).toEqual(['检修计划.pdf']);
    const dl = await o.people.receiver.client.get(`/api/v1/cases/${id}/attachments/${r.json().id}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    expect(dl.headers['content-disposition']).toContain("filename*=UTF-8''%E6%A3%80%E4%BF%AE%E8%AE%A1%E5%88%92.pdf");
    expect((await o.people.outsider.client.get(`/api/v1/cases/${id}/attachments/${r.json().id}`)).statusCode).toBe(404);
  });

  it('refuses a file whose content is not what its extension says, a forbidden type and an oversize file, and records nothing', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o);
    const fake = await upload(o.people.drafter.client, id, '报告.pdf', Buffer.from('MZ this is really an exe'));
    expect(fake.statusCode).toBe(415);
    expect(fake.json().error.details[0]).toEqual({ path: 'file', message: '文件内容与扩展名 .pdf 不符' });
    const exe = await upload(o.people.drafter.client, id, 'tool.exe', Buffer.from('MZ...'));
    expect(exe.statusCode).toBe(415);
    const d = (await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json();
    expect(d.attachments).toEqual([]);
    expect(d.timeline.some((e: { action: string }) => e.action === 'attach')).toBe(false);
  });

  it('refuses a file over the upload limit with 413', async () => {
    o = await liaisonOrg(undefined, { LIAISON_UPLOAD_LIMIT: String(1024 * 1024) });
    const { id } = await issuedForm(o);
    const big = await upload(o.people.drafter.client, id, '大文件.pdf', Buffer.concat([pdf, Buffer.alloc(2 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect((await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json().attachments).toEqual([]);
  });
});
