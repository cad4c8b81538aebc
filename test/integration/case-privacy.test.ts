import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, createUser, login } from '../support/harness.js';
import { act, formFields, issuedForm, type LiaisonOrg, liaisonOrg, partOf } from '../support/liaison-org.js';

/**
 * Drafts are private (issue 8, security 4): until a form is issued only its drafting unit sees it,
 * and its signing leader once it is submitted. A member of an addressed unit finds it by no route:
 * not in a list, the inbox or a search, not by its id, its print view or PDF, an attachment's
 * download, a comment or an upload — each answers as for a case that does not exist.
 */
describe('drafts are private until issued', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const upload = (c: Client, id: number, name = '说明.txt', content = '附件内容') => {
    const b = 'privacy-boundary';
    const payload = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--${b}--\r\n`;
    return o.t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/attachments`,
      payload,
      headers: { cookie: c.cookie as string, 'x-csrf-token': c.csrf as string, 'content-type': `multipart/form-data; boundary=${b}` },
    });
  };

  /** Whether the list's Excel export names the form. */
  const exported = async (c: Client) => {
    const r = await c.get('/api/v1/cases/export.xlsx?tab=all');
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const titles: string[] = [];
    wb.worksheets[0]?.eachRow((row) => titles.push(String(row.getCell(2).value)));
    return titles.includes('检修煤矿皮带机台账核对');
  };

  /** Every way one person could reach a case and its file; the status of each. */
  async function routes(c: Client, id: number, attachmentId: number) {
    const listed = async (query: string) => {
      const r = await c.get(`/api/v1/cases?${query}`);
      expect(r.statusCode).toBe(200);
      return r.json().items.some((x: { id: number }) => x.id === id);
    };
    const status = (r: LightMyRequestResponse) => r.statusCode;
    return {
      listedAll: await listed('tab=all'),
      listedTodo: await listed('tab=todo'),
      listedWatching: await listed('tab=watching'),
      searched: await listed(`tab=all&q=${encodeURIComponent('皮带机')}`),
      exported: await exported(c),
      detail: status(await c.get(`/api/v1/cases/${id}`)),
      print: status(await c.get(`/api/v1/cases/${id}/print`)),
      pdf: status(await c.get(`/api/v1/cases/${id}/print.pdf`)),
      download: status(await c.get(`/api/v1/cases/${id}/attachments/${attachmentId}`)),
      comment: status(await c.post(`/api/v1/cases/${id}/comments`, { text: '我能看到这份草稿' })),
      attach: status(await upload(c, id, '偷传.txt')),
      follow: status(await c.put(`/api/v1/cases/${id}/watch`, { watching: true })),
    };
  }
  const hidden = {
    listedAll: false,
    listedTodo: false,
    listedWatching: false,
    searched: false,
    exported: false,
    detail: 404,
    print: 404,
    pdf: 404,
    download: 404,
    comment: 404,
    attach: 404,
    follow: 404,
  };

  async function draftWithFile() {
    const { drafter } = o.people;
    // The drafter copies a member of the receiving unit in: being copied does not open a draft either.
    const c = await drafter.client.post('/api/v1/cases', {
      type: 'contact_form',
      initiatorUnitId: o.units.ops,
      fields: formFields(o),
      watcherPersonIds: [o.people.worker.personId],
    });
    expect(c.statusCode).toBe(201);
    const id = c.json().id as number;
    const file = await upload(drafter.client, id, '草稿附件.txt');
    expect(file.statusCode).toBe(201);
    return { id, attachmentId: file.json().id as number };
  }

  it('hides a draft and a submitted form from every member of the units it addresses, by every route', async () => {
    o = await liaisonOrg();
    const { id, attachmentId } = await draftWithFile();
    const { receiver, worker, safetyHead } = o.people;
    for (const who of [receiver, worker, safetyHead]) expect(await routes(who.client, id, attachmentId)).toEqual(hidden);

    await act(o.people.drafter.client, id, 'submit');
    for (const who of [receiver, worker, safetyHead]) expect(await routes(who.client, id, attachmentId)).toEqual(hidden);

    // Nothing they tried left a trace: no comment, no file, no follower.
    const d = (await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json();
    expect(d.timeline.filter((e: { action: string }) => e.action === 'comment')).toEqual([]);
    expect(d.attachments.map((a: { name: string }) => a.name)).toEqual(['草稿附件.txt']);

    // Issued: now the receiving units see it, their inbox first.
    await act(o.people.leader.client, id, 'issue');
    const seen = await routes(receiver.client, id, attachmentId);
    expect(seen).toMatchObject({ listedAll: true, listedTodo: true, searched: true, exported: true, detail: 200, print: 200, download: 200, comment: 200 });
    expect(seen.attach).toBe(201);
    // The copied member sees it once it is issued.
    expect((await worker.client.get(`/api/v1/cases/${id}`)).statusCode).toBe(200);
    expect((await worker.client.get('/api/v1/cases?tab=watching')).json().items.map((x: { id: number }) => x.id)).toContain(id);
  });

  it('keeps a withdrawn draft private too', async () => {
    o = await liaisonOrg();
    const { id, attachmentId } = await draftWithFile();
    await act(o.people.drafter.client, id, 'withdraw', { reason: '不再需要' });
    expect(await routes(o.people.receiver.client, id, attachmentId)).toEqual(hidden);
  });

  it('shows a draft to its drafting unit, and to a signing leader from outside it only once it is submitted', async () => {
    o = await liaisonOrg();
    // A head at the root who may sign for 发电部 but holds no case.read of his own.
    const gm = await createUser(o.t, o.admin, { unitId: o.units.root, role: 'unit_head', username: 'gm', name: '刘总' });
    const gmClient = await login(o.t, 'gm', gm.password);
    const colleague = await createUser(o.t, o.admin, { unitId: o.units.ops, role: 'staff', username: 'colleague', name: '发电部同事' });
    const colleagueClient = await login(o.t, 'colleague', colleague.password);
    const c = await o.people.drafter.client.post('/api/v1/cases', {
      type: 'contact_form',
      initiatorUnitId: o.units.ops,
      fields: formFields(o, { signingLeaderPersonId: gm.personId }),
    });
    expect(c.statusCode).toBe(201);
    const id = c.json().id as number;

    // The drafting unit: the drafter's colleague, and the office (case.read over the whole company).
    expect((await colleagueClient.get(`/api/v1/cases/${id}`)).statusCode).toBe(200);
    expect((await o.people.office.client.get(`/api/v1/cases/${id}`)).statusCode).toBe(200);
    // The signing leader is not shown a draft the drafter is still writing.
    expect((await gmClient.get(`/api/v1/cases/${id}`)).statusCode).toBe(404);
    expect((await gmClient.get('/api/v1/cases?tab=all')).json().items).toEqual([]);

    await act(o.people.drafter.client, id, 'submit');
    expect((await gmClient.get(`/api/v1/cases/${id}`)).statusCode).toBe(200);
    expect((await gmClient.get('/api/v1/cases?tab=todo')).json().items.map((x: { id: number }) => x.id)).toEqual([id]);
    // Sent back to the drafter, the leader who read it keeps it (he acted on it); the receivers still do not see it.
    await act(gmClient, id, 'send_back', { reason: '请补充台账范围' });
    expect((await gmClient.get(`/api/v1/cases/${id}`)).statusCode).toBe(200);
    expect((await o.people.receiver.client.get(`/api/v1/cases/${id}`)).statusCode).toBe(404);
  });
});

/**
 * A closed (销号) case is the record of work done and verified (ADR 0005, "closed cases"): it still
 * takes comments — a remark on the record, shown after the closure — but no new attachments, which
 * would change the evidence it was closed on.
 */
describe('a closed case', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  const upload = (c: Client, id: number) => {
    const b = 'closed-boundary';
    const payload = `--${b}\r\nContent-Disposition: form-data; name="file"; filename="补充.txt"\r\nContent-Type: text/plain\r\n\r\n补充材料\r\n--${b}--\r\n`;
    return o.t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${id}/attachments`,
      payload,
      headers: { cookie: c.cookie as string, 'x-csrf-token': c.csrf as string, 'content-type': `multipart/form-data; boundary=${b}` },
    });
  };

  it('takes a comment but refuses an attachment, and records nothing for the refusal', async () => {
    o = await liaisonOrg();
    const { id, detail } = await issuedForm(o, { receivers: [{ unitId: o.units.maint, role: 'main' }] });
    const part = partOf(detail, o.units.maint);
    await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: part });
    await act(o.people.worker.client, id, 'reply', { result: '台账已核对完毕。' });
    const closed = await act(o.people.drafter.client, id, 'accept', {}, { partId: part });
    expect(closed.state).toBe('closed');

    const comment = await o.people.receiver.client.post(`/api/v1/cases/${id}/comments`, { text: '补充说明：台账已归档。' });
    expect(comment.statusCode).toBe(200);
    expect(comment.json().timeline.at(-1)).toMatchObject({ action: 'comment', data: { text: '补充说明：台账已归档。' } });

    const before = (await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json();
    for (const who of [o.people.drafter, o.people.receiver]) {
      const r = await upload(who.client, id);
      expect(r.statusCode).toBe(409);
      expect(r.json().error.code).toBe('CASE_CLOSED');
      expect(r.json().error.message).toBe('已办结的表单不能再添加附件');
    }
    const after = (await o.people.drafter.client.get(`/api/v1/cases/${id}`)).json();
    expect(after.attachments).toEqual(before.attachments);
    expect(after.timeline).toEqual(before.timeline);
    expect(after.version).toBe(before.version);
  });
});
