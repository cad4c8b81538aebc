import { afterEach, describe, expect, it } from 'vitest';
import { buildPrintModel, type CaseDetailData, chooseCjkFont, findCjkFont, PRINT_TEXT } from '../../src/server/modules/cases/index.js';
import zhCN from '../../src/web/i18n/zh-CN.js';
import { act, formFields, issuedForm, type LiaisonOrg, liaisonOrg, partOf } from '../support/liaison-org.js';

/** The paper 工作联系单 on A4 (issue 4): the HTML print view and the PDF, on both databases. */

const HOUR = 60 * 60 * 1000;

/** Issued 09-29 10:00, 检修部 signs 11:00, replies 10-09 09:00, the drafter closes it 10-09 14:00 (Asia/Shanghai). */
async function closedForMaint(o: LiaisonOrg, extra: Record<string, unknown> = {}) {
  const { id, detail } = await issuedForm(o, extra);
  const maint = partOf(detail, o.units.maint);
  o.clock.advance(HOUR);
  await act(o.people.receiver.client, id, 'sign', { handlerPersonId: o.people.worker.personId }, { partId: maint });
  o.clock.set('2026-10-09T01:00:00.000Z');
  await act(o.people.worker.client, id, 'reply', { result: '台账已核对完毕，发现3处不符并已整改。<b>附表</b>' });
  o.clock.set('2026-10-09T06:00:00.000Z');
  await act(o.people.drafter.client, id, 'accept', { note: '同意销号' }, { partId: maint });
  o.clock.set('2026-10-10T02:30:00.000Z');
  return id;
}

describe('printing a work contact form', () => {
  let o: LiaisonOrg;
  afterEach(() => o?.t.close());

  it('prints the form as a self-contained A4 page with the receivers, signatures as names and times, and the reply', async () => {
    o = await liaisonOrg();
    const id = await closedForMaint(o);
    const res = await o.people.drafter.client.get(`/api/v1/cases/${id}/print`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    const html = res.body;
    expect(html).toContain('@page { size: A4; margin: 15mm; }');
    expect(html).toContain('<meta name="viewport"');
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('<h1>工作联系单</h1>');
    expect(html).toContain('LXD-2026-0001');
    expect(html).toContain('<th>发单单位</th><td>发电部</td>');
    expect(html).toContain('<td colspan="3">检修部（主办）、安监部（协办）</td>');
    expect(html).toContain('请检修部于完成日期前核对皮带机检修台账，并回复核对结果。');
    expect(html).toContain('<th>完成时限</th><td>2026-10-20</td>');
    // 签发领导: who signed and when, from the timeline's issue entry.
    expect(html).toContain('<th>签发领导</th><td>李签发　2026-09-29 10:00</td>');
    // 检修部: signed for, handler, reply, closed.
    expect(html).toContain('<h2>收单单位：检修部（主办）</h2>');
    expect(html).toContain('<th>签收</th><td>王检修　2026-09-29 11:00</td><th>承办人</th><td>赵师傅</td>');
    expect(html).toContain('<h3>工作回复单</h3>');
    expect(html).toContain('台账已核对完毕，发现3处不符并已整改。&lt;b&gt;附表&lt;/b&gt;');
    expect(html).toContain('<th>回复人</th><td colspan="3">赵师傅　2026-10-09 09:00</td>');
    expect(html).toContain('<th>审核意见</th><td>销号：同意销号</td><th>审核人</th><td>张起草　2026-10-09 14:00</td>');
    expect(html).toContain('签收/异议期限：2026-09-30 17:30（按时）');
    expect(html).toContain('完成时限：2026-10-20 17:30（按时）');
    // 安监部 has not signed yet, and so has no reply.
    expect(html).toContain('<h2>收单单位：安监部（协办）</h2>');
    expect(html).toContain('<th>签收</th><td>未签收</td>');
    expect(html).toContain('（尚未回复）');
    // The paper's signature block: who signs, and the date, by hand.
    expect(html).toContain('<h2>签字栏</h2><table class="signatures">');
    for (const who of ['签发领导', '检修部签收', '安监部签收', '发单单位审核'])
      expect(html).toContain(`<th>${who}（签字）</th><td></td><th>日期</th><td></td>`);
    // No English and no library's name on a Chinese print.
    expect(html).toContain('打印时间 2026-10-10 10:30　由工作联络系统生成');
    expect(html.replace(/<style>[\s\S]*?<\/style>/, '')).not.toMatch(/Liaison|pdfmake|PDFKit/i);
    // Every receiver may print it too.
    expect((await o.people.safetyHead.client.get(`/api/v1/cases/${id}/print`)).statusCode).toBe(200);
  });

  it('escapes user text, so a form cannot inject markup or scripts into the page', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o, {
      title: '核对"台账"<script>alert(1)</script>',
      body: '请处理 <img src=x onerror=alert(1)> & </td></tr></table><script>document.title="x"</script>',
    });
    const html = (await o.people.drafter.client.get(`/api/v1/cases/${id}/print`)).body;
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('核对&quot;台账&quot;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('请处理 &lt;img src=x onerror=alert(1)&gt; &amp; &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;');
  });

  it('shows a draft as not yet issued, and translates the headings for English users', async () => {
    o = await liaisonOrg();
    const c = await o.people.drafter.client.post('/api/v1/cases', { type: 'contact_form', initiatorUnitId: o.units.ops, fields: formFields(o) });
    const id = c.json().id;
    const zh = (await o.people.drafter.client.get(`/api/v1/cases/${id}/print`)).body;
    expect(zh).toContain('<th>签发领导</th><td>李签发（未签发）</td>');
    const en = await o.people.drafter.client.get(`/api/v1/cases/${id}/print`, { cookie: `${o.people.drafter.client.cookie}; liaison_lang=en` });
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('<h1>Work contact form</h1>');
    expect(en.body).toContain('<th>Signing leader</th><td>李签发 (not yet issued)</td>');
    expect(en.body).toContain('检修部 (lead), 安监部 (assisting)');
    expect(en.body).not.toContain('签发领导');
  });

  it('hides the form from people who may not see the case (404), for the page and the PDF', async () => {
    o = await liaisonOrg();
    const { id } = await issuedForm(o);
    for (const url of [`/api/v1/cases/${id}/print`, `/api/v1/cases/${id}/print.pdf`, `/api/v1/cases/${id + 100}/print`]) {
      const res = await o.people.outsider.client.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.body).not.toContain('皮带机');
    }
    const anonymous = await o.t.app.inject({ method: 'GET', url: `/api/v1/cases/${id}/print` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('makes an A4 PDF with the CJK font embedded and a Chinese file name', async () => {
    o = await liaisonOrg();
    const id = await closedForMaint(o);
    const res = await o.people.drafter.client.get(`/api/v1/cases/${id}/print.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="_____-LXD-2026-0001.pdf"; filename*=UTF-8''${encodeURIComponent('工作联系单-LXD-2026-0001.pdf')}`,
    );
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    // A subset of Noto Sans CJK SC (or the CJK font fc-list found), embedded, regular and bold.
    expect(text).toMatch(/\/FontFile[23]? /);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJKsc-Regular/);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansCJKsc-Bold/);
    expect(text).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
    expect(pdf.length).toBeLessThan(1_000_000);
    // The PDF's creator and producer are the product, in Chinese: no English, no library's name.
    expect(text).not.toMatch(/Liaison|pdfmake|PDFKit/i);
    // A PDF text string: UTF-16BE with its byte-order mark, backslashes and parentheses escaped.
    const pdfString = (v: string) => {
      const bytes = [...Buffer.from(`\ufeff${v}`, 'utf16le').swap16()];
      return Buffer.from(`(${bytes.map((b) => ([0x5c, 0x28, 0x29].includes(b) ? `\\${String.fromCharCode(b)}` : String.fromCharCode(b))).join('')})`, 'latin1');
    };
    expect(pdf.includes(pdfString('工作联络'))).toBe(true);
  });
});

describe('printing other case types', () => {
  it('prints their head, parts and every signature from the timeline, under their own name', () => {
    const event = (id: number, action: string, label: string, actor: string, at: string, data: Record<string, unknown> | null = null) => ({
      id,
      at,
      actor,
      action,
      label,
      partId: null,
      unitName: null,
      fromState: null,
      toState: null,
      revision: 1,
      data,
    });
    const detail = {
      type: 'commission_letter',
      typeName: '委托书',
      number: 'WTS-2026-0001',
      title: '回采工作面地质说明书',
      stateLabel: '已签发',
      revision: 1,
      fields: { title: '回采工作面地质说明书', body: '请提交3101工作面地质说明书。' },
      initiatorUnit: { id: 1, name: '地测科' },
      drafter: { id: 1, name: '张测量' },
      signingLeader: null,
      parts: [{ id: 7, unit: { id: 2, name: '综采队' }, role: 'main', state: 'in_progress', stateLabel: '办理中', handler: null, dueDate: null }],
      deadlines: [],
      attachments: [],
      timeline: [
        event(1, 'create', '起草', '张测量', '2026-09-29T01:00:00.000Z'),
        event(2, 'head_sign', '部长签字', '王部长', '2026-09-29T02:00:00.000Z', { note: '同意' }),
        event(3, 'comment', '评论', '王部长', '2026-09-29T02:30:00.000Z', { text: '不打印' }),
      ],
    } as unknown as CaseDetailData;
    const m = buildPrintModel(detail, { timeZone: 'Asia/Shanghai', now: new Date('2026-09-30T00:00:00.000Z'), lang: 'zh-CN' });
    expect(m.title).toBe('委托书');
    expect(m.fileName).toBe('委托书-WTS-2026-0001.pdf');
    const labels = m.sections.flatMap((s) => s.rows.flatMap((r) => r.map((c) => c.label)));
    expect(labels).not.toContain('签发领导');
    expect(m.sections.map((s) => s.heading)).toEqual([null, '受托单位：综采队', '签字记录', '签字栏']);
    // 委托书应由总工程师、部长签字 (seed 2), and the commissioned unit signs for it.
    expect(m.sections[3]?.rows.map((r) => r[0].label)).toEqual(['部长（签字）', '总工程师（签字）', '综采队签收（签字）']);
    expect(m.sections[3]?.signatures).toBe(true);
    expect(m.sections[2]?.rows).toEqual([
      [{ label: '起草', value: '张测量　2026-09-29 09:00' }],
      [{ label: '部长签字', value: '王部长　2026-09-29 10:00\n同意' }],
    ]);
  });
});

describe('the same words on screen and in print', () => {
  const t = PRINT_TEXT['zh-CN'];
  it('names the handler, deadlines and their states as the case page does (承办人, 按时, 超期)', () => {
    const d = zhCN.caseDetail;
    expect(t.handler).toBe(d.handler);
    expect(t.handler).toBe('承办人');
    expect(t.deadlineState).toEqual(d.deadlineState);
    expect(t.deadlineState.met).toBe('按时');
    expect([t.body, t.dueDate, t.caseDeadlines, t.deadlines, t.initiator, t.drafter, t.signingLeader]).toEqual([
      d.body,
      d.dueDate,
      d.caseDeadlines,
      d.caseDeadlines,
      d.initiatorUnit,
      d.drafter,
      d.signingLeader,
    ]);
  });
  it("names a notice's and a commission letter's fields and signers as their forms do", () => {
    const n = zhCN.notice;
    expect(t.notice.kinds).toEqual(n.kinds);
    expect(t.notice.workDate).toEqual(n.workDate);
    expect(t.notice.strataKinds).toEqual(n.strataKinds);
    expect([t.notice.kind, t.notice.roadway, t.notice.zone, t.notice.safeDistance, t.notice.headingA, t.notice.headingB, t.notice.strata]).toEqual([
      n.kind,
      n.roadway,
      n.zone,
      n.safeDistanceLabel,
      n.headingA,
      n.headingB,
      n.strata,
    ]);
    expect([t.notice.distance, t.notice.urgentReason, t.notice.site]).toEqual([n.distanceLabel, n.urgentReason, zhCN.noticeSite.site]);
    expect([t.bodyOf.notice, t.receiversOf.notice, t.bodyOf.commission_letter, t.receiversOf.commission_letter]).toEqual([
      n.body,
      n.receivers,
      zhCN.commission.body,
      zhCN.commission.receiverUnit,
    ]);
    expect([t.sign.departmentHead, t.sign.chiefEngineer, t.sign.operator, t.sign.reviewer, t.sign.permitter]).toEqual([
      zhCN.commission.departmentHead,
      zhCN.commission.chiefEngineer,
      zhCN.ticket.operator,
      zhCN.ticket.reviewer,
      zhCN.ticket.permitter,
    ]);
  });
});

describe('printing a notice', () => {
  const notice = (fields: Record<string, unknown>) =>
    ({
      type: 'notice',
      typeName: '通知单',
      number: 'TZD-2026-0001',
      title: String(fields.title),
      stateLabel: '已发出',
      revision: 1,
      fields,
      initiatorUnit: { id: 1, name: '地测科' },
      drafter: { id: 1, name: '张测量' },
      signingLeader: null,
      parts: [{ id: 7, unit: { id: 2, name: '掘进一队' }, role: 'main', state: 'awaiting_ack', stateLabel: '待确认', handler: null, dueDate: null }],
      deadlines: [],
      attachments: [],
      timeline: [],
    }) as unknown as CaseDetailData;
  const rowsOf = (fields: Record<string, unknown>) =>
    buildPrintModel(notice(fields), { timeZone: 'Asia/Shanghai', now: new Date('2026-09-30T00:00:00.000Z'), lang: 'zh-CN' }).sections;

  it('prints only the fields of its kind: a work notice its date (and site, when given), no roadway; a breakthrough its headings', () => {
    const work = rowsOf({ kind: 'work_start', title: '2号锅炉检修开工通知单', body: '下月开工。', workDate: '2026-10-20', receiverUnitIds: [2] });
    const labels = work[0]!.rows.flatMap((r) => r.map((c) => c.label));
    expect(labels).toEqual(expect.arrayContaining(['收文单位', '通知类型', '开工日期', '通知内容']));
    expect(labels).not.toContain('巷道');
    expect(labels).not.toContain('施工地点');
    expect(work[0]!.rows).toContainEqual([{ label: '通知类型', value: '开工通知单' }]);
    expect(work.map((s) => s.heading)).toEqual([null, '收文单位：掘进一队', '签字栏']);
    expect(work[2]!.rows.map((r) => r[0].label)).toEqual(['发出单位（签字）', '掘进一队确认收到（签字）']);

    const site = rowsOf({ kind: 'work_stop', title: '停工', body: '停工。', roadway: '3105运输巷', workDate: '2026-10-20', receiverUnitIds: [2] });
    expect(site[0]!.rows).toContainEqual([
      { label: '施工地点', value: '3105运输巷' },
      { label: '停工日期', value: '2026-10-20' },
    ]);

    const through = rowsOf({
      kind: 'breakthrough',
      title: '贯通',
      body: '贯通。',
      headingA: '3105运输巷掘进头',
      headingB: '3105回风巷掘进头',
      strata: 'coal',
      distanceMeters: 18.5,
      receiverUnitIds: [2],
    });
    expect(through[0]!.rows).toContainEqual([
      { label: '岩性', value: '煤巷' },
      { label: '起草时两头距离', value: '18.5 米' },
    ]);
    expect(through[0]!.rows.flatMap((r) => r.map((c) => c.label))).not.toContain('巷道');
  });
});

describe('finding a CJK font for the PDF', () => {
  const listing = [
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc|NotoSansCJKjp-Regular|Noto Sans CJK JP|80|',
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc|NotoSansMonoCJKsc-Regular|Noto Sans Mono CJK SC|80|100',
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc|NotoSansCJKsc-Bold|Noto Sans CJK SC|200|',
    '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc|NotoSansCJKsc-Regular|Noto Sans CJK SC|80|',
    '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc|NotoSerifCJKsc-Regular|Noto Serif CJK SC|80|',
  ].join('\n');

  it('prefers Noto Sans CJK SC, regular and bold, by their PostScript names inside the collections', () => {
    expect(chooseCjkFont(listing)).toEqual({
      family: 'Noto Sans CJK SC',
      normal: { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' },
      bold: { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', postscriptName: 'NotoSansCJKsc-Bold' },
    });
  });

  it('falls back to any outline CJK font, using the regular face for bold when there is none', () => {
    const wqy = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc|WenQuanYiMicroHei|WenQuanYi Micro Hei|80|\n/x/a.pcf.gz||Song|80|';
    expect(chooseCjkFont(wqy)).toEqual({
      family: 'WenQuanYi Micro Hei',
      normal: { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', postscriptName: 'WenQuanYiMicroHei' },
      bold: { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', postscriptName: 'WenQuanYiMicroHei' },
    });
    expect(chooseCjkFont('/x/ukai.ttf||AR PL UKai CN|80|')?.normal).toEqual({ file: '/x/ukai.ttf', postscriptName: null });
  });

  it('finds nothing in bitmap fonts or collections without a face name', () => {
    expect(chooseCjkFont('')).toBeNull();
    expect(chooseCjkFont('/x/wenquanyi_12pt.pcf||WenQuanYi Bitmap Song|80|\n/x/c.ttc||Some CJK|80|')).toBeNull();
  });

  it('looks at the usual Noto paths when fontconfig is missing', async () => {
    const font = await findCjkFont(async () => null);
    const installed = await findCjkFont();
    // On a machine with fonts-noto-cjk (as CI installs) both find it; without any CJK font, neither does.
    expect(font?.normal.postscriptName ?? null).toBe(installed ? 'NotoSansCJKsc-Regular' : null);
  });
});
