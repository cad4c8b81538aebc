import type { Lang } from '../../../platform/http/messages.js';
import { localDateTime } from '../../calendar/core.js';
import type { CasesService } from '../cases.service.js';

/**
 * The printed 工作联系单 (seed article 8) as plain data: labelled rows in sections, shared by the
 * HTML print view and the PDF so both show the same thing. Pure: the case detail, the time zone
 * and the print time come in as arguments. Values are raw user text; each renderer escapes them.
 */

export type CaseDetailData = Awaited<ReturnType<CasesService['detail']>>;

export interface PrintCell {
  label: string;
  value: string;
}
/** One cell spans the whole row; two cells share it (label | value | label | value). */
export type PrintRow = [PrintCell] | [PrintCell, PrintCell];

export interface PrintSection {
  /** No heading for the form's own head. */
  heading: string | null;
  /** 1: a receiving unit; 2: the reply form inside it. */
  level: 1 | 2;
  rows: PrintRow[];
  /** The signature block: blank cells, tall enough to sign and date by hand. */
  signatures?: true;
}

export interface PrintModel {
  lang: Lang;
  /** The case type's name: 工作联系单 */
  title: string;
  number: string;
  /** For <title> and the PDF's metadata. */
  docTitle: string;
  /** Download name of the PDF, e.g. 工作联系单-LXD-2026-0001.pdf. */
  fileName: string;
  initiatorUnit: string;
  sections: PrintSection[];
  /** 打印时间 … 由工作联络系统生成 */
  footer: string;
  printedAt: string;
  /** The product's name in the reader's language, for the PDF's creator and producer. */
  appName: string;
}

/** The print's words; the Chinese ones are the screen's (see print.test.ts). */
export const PRINT_TEXT = {
  'zh-CN': {
    number: '编号',
    state: '状态',
    revision: (n: number) => `第${n}版`,
    subject: '标题',
    initiator: '发单单位',
    drafter: '起草人',
    receivers: '收单单位（主办/协办）',
    main: '主办',
    assist: '协办',
    body: '工作内容及要求',
    bodyOf: { commission_letter: '委托内容', notice: '通知内容' } as Record<string, string>,
    receiversOf: { commission_letter: '受托单位', notice: '收文单位' } as Record<string, string>,
    dueDate: '完成时限',
    signingLeader: '签发领导',
    notIssued: '未签发',
    attachments: '附件',
    caseDeadlines: '期限',
    receiverUnit: '收单单位',
    signed: '签收',
    notSigned: '未签收',
    objection: '异议',
    about: { requirement: '对工作要求', deadline: '对完成时限' } as Record<string, string>,
    objectionRejected: '异议不成立',
    objectionUpheld: '异议成立',
    handler: '承办人',
    partDue: '完成时限',
    partState: '办理状态',
    overdue: '超期',
    supervised: '督办中',
    extension: '延期',
    extensionAsked: (d: string) => `申请延期至 ${d}`,
    extensionGranted: (d: string) => `批准延期至 ${d}`,
    extensionRefused: '不批准延期',
    reply: '工作回复单',
    result: '办理结果',
    notReplied: '（尚未回复）',
    repliedBy: '回复人',
    review: '审核意见',
    reviewer: '审核人',
    accepted: '销号',
    returned: '退回',
    returnedDue: (d: string) => `重新完成日期 ${d}`,
    awaitingReview: '待审核',
    deadlines: '期限',
    signatures: '签字记录',
    deadlineState: { running: '计时中', met: '按时', missed: '超期', fired: '已超期' } as Record<string, string>,
    footer: (at: string) => `打印时间 ${at}　由工作联络系统生成`,
    appName: '工作联络',
    system: '系统',
    onBehalfOf: (actor: string, principal: string) => `${actor}（代 ${principal}）`,
    signatureBlock: '签字栏',
    signHere: (who: string) => `${who}（签字）`,
    signDate: '日期',
    sign: {
      signingLeader: '签发领导',
      unitSigns: (unit: string) => `${unit}签收`,
      review: '发单单位审核',
      departmentHead: '部长',
      chiefEngineer: '总工程师',
      issuer: '发出单位',
      unitAcknowledges: (unit: string) => `${unit}确认收到`,
      operator: '填票人',
      reviewer: '审核人/监护人',
      permitter: '值长/许可人',
    },
    notice: {
      kind: '通知类型',
      kinds: {
        work_start: '开工通知单',
        work_stop: '停工通知单',
        work_resume: '复工通知单',
        danger_zone: '危险区通知单',
        breakthrough: '贯通通知单',
      } as Record<string, string>,
      site: '施工地点',
      roadway: '巷道',
      workDate: { work_start: '开工日期', work_stop: '停工日期', work_resume: '复工日期' } as Record<string, string>,
      urgentReason: '紧急原因',
      zone: '危险区情况',
      safeDistance: '安全距离',
      headingA: '掘进头 A',
      headingB: '掘进头 B',
      strata: '岩性',
      strataKinds: { coal: '煤巷', rock: '岩巷' } as Record<string, string>,
      distance: '起草时两头距离',
      meters: (v: number) => `${v} 米`,
    },
    sep: '；',
    colon: '：',
    paren: (s: string) => `（${s}）`,
    list: '、',
  },
  en: {
    number: 'No.',
    state: 'Status',
    revision: (n: number) => `revision ${n}`,
    subject: 'Subject',
    initiator: 'Issuing unit',
    drafter: 'Drafted by',
    receivers: 'Receiving units (lead/assisting)',
    main: 'lead',
    assist: 'assisting',
    body: 'Requirements',
    bodyOf: { commission_letter: 'What is commissioned', notice: 'Notice' } as Record<string, string>,
    receiversOf: { commission_letter: 'Commissioned unit', notice: 'Units notified' } as Record<string, string>,
    dueDate: 'Due date',
    signingLeader: 'Signing leader',
    notIssued: 'not yet issued',
    attachments: 'Attachments',
    caseDeadlines: 'Deadlines',
    receiverUnit: 'Receiving unit',
    signed: 'Signed for',
    notSigned: 'not signed for',
    objection: 'Objection',
    about: { requirement: 'to the requirements', deadline: 'to the deadline' } as Record<string, string>,
    objectionRejected: 'Objection rejected',
    objectionUpheld: 'Objection upheld',
    handler: 'Handler',
    partDue: 'Due date',
    partState: 'Status',
    overdue: 'overdue',
    supervised: 'under supervision',
    extension: 'Extension',
    extensionAsked: (d: string) => `asked until ${d}`,
    extensionGranted: (d: string) => `granted until ${d}`,
    extensionRefused: 'refused',
    reply: 'Reply form (工作回复单)',
    result: 'Result',
    notReplied: '(no reply yet)',
    repliedBy: 'Replied by',
    review: 'Review',
    reviewer: 'Reviewed by',
    accepted: 'Accepted and closed (销号)',
    returned: 'Returned',
    returnedDue: (d: string) => `new due date ${d}`,
    awaitingReview: 'awaiting review',
    deadlines: 'Deadlines',
    signatures: 'Signatures',
    deadlineState: { running: 'running', met: 'met', missed: 'missed', fired: 'missed (expired)' } as Record<string, string>,
    footer: (at: string) => `Printed ${at} by Liaison`,
    appName: 'Liaison',
    system: 'System',
    onBehalfOf: (actor: string, principal: string) => `${actor} (for ${principal})`,
    signatureBlock: 'Sign here',
    signHere: (who: string) => `${who} (signature)`,
    signDate: 'Date',
    sign: {
      signingLeader: 'Signing leader',
      unitSigns: (unit: string) => `${unit}, signed for`,
      review: 'Issuing unit, review',
      departmentHead: 'Department head',
      chiefEngineer: 'Chief engineer',
      issuer: 'Issuing unit',
      unitAcknowledges: (unit: string) => `${unit}, acknowledged`,
      operator: 'Filled in by',
      reviewer: 'Reviewer / guardian',
      permitter: 'Shift supervisor / permit',
    },
    notice: {
      kind: 'Kind of notice',
      kinds: {
        work_start: 'Work-start notice',
        work_stop: 'Work-stop notice',
        work_resume: 'Work-resume notice',
        danger_zone: 'Danger-zone notice',
        breakthrough: 'Breakthrough notice',
      } as Record<string, string>,
      site: 'Work site',
      roadway: 'Roadway',
      workDate: { work_start: 'Start date', work_stop: 'Stop date', work_resume: 'Resume date' } as Record<string, string>,
      urgentReason: 'Why urgent',
      zone: 'Danger zone',
      safeDistance: 'Safe distance',
      headingA: 'Heading A',
      headingB: 'Heading B',
      strata: 'Strata',
      strataKinds: { coal: 'coal', rock: 'rock' } as Record<string, string>,
      distance: 'Distance when drafted',
      meters: (v: number) => `${v} m`,
    },
    sep: '; ',
    colon: ': ',
    paren: (s: string) => ` (${s})`,
    list: ', ',
  },
} as const;

type Entry = CaseDetailData['timeline'][number];

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));

export function buildPrintModel(d: CaseDetailData, opts: { timeZone: string; now: Date; lang: Lang }): PrintModel {
  const t = PRINT_TEXT[opts.lang];
  const at = (iso: string) => {
    const l = localDateTime(new Date(iso), opts.timeZone);
    return `${l.date} ${l.time}`;
  };
  /** A signature: the name and the time. */
  /** Who acted: a person, or the system (issue 9 §5: a case it created, a state it moved). */
  /** A deputy acting for their principal (委托代理, issue 9 §2): 王五（代 李四）. */
  const who = (e: Entry) => (e.actorKind === 'system' ? t.system : e.onBehalfOf ? t.onBehalfOf(e.actor ?? '', e.onBehalfOf.name) : (e.actor ?? ''));
  const sig = (e: Entry | undefined) => (e ? `${who(e)}　${at(e.at)}` : '');
  const f = d.fields;
  const roleLabel = (role: string) => (role === 'main' ? t.main : t.assist);

  // The form as issued last: earlier rounds (before an upheld objection) stay on the timeline only.
  const issueIndex = d.timeline.findLastIndex((e) => e.action === 'issue');
  const issue = issueIndex >= 0 ? d.timeline[issueIndex] : undefined;
  const current = issueIndex >= 0 ? d.timeline.slice(issueIndex + 1) : [];

  // Other case types have no paper layout of their own yet: they print their head, their parts and
  // every signature from the timeline.
  const isContactForm = d.type === 'contact_form';
  const live = d.parts.filter((p) => p.state !== 'cancelled');
  const parts = live.length ? live : d.parts;

  const head: PrintRow[] = [
    [
      { label: t.number, value: d.number },
      { label: t.state, value: d.revision > 1 ? `${d.stateLabel}${t.paren(t.revision(d.revision))}` : d.stateLabel },
    ],
    [{ label: t.subject, value: str(f.title) || d.title }],
    [
      { label: t.initiator, value: d.initiatorUnit.name },
      { label: t.drafter, value: sig(d.timeline.find((e) => e.action === 'create')) || d.drafter.name },
    ],
    [
      {
        label: t.receiversOf[d.type] ?? t.receivers,
        value: parts.map((p) => (d.type === 'contact_form' ? `${p.unit.name}${t.paren(roleLabel(p.role))}` : p.unit.name)).join(t.list),
      },
    ],
  ];
  if (d.type === 'notice') head.push(...noticeRows(t, f));
  if (isContactForm || str(f.body)) head.push([{ label: t.bodyOf[d.type] ?? t.body, value: str(f.body) }]);
  if (isContactForm)
    head.push([
      { label: t.dueDate, value: str(f.dueDate) },
      { label: t.signingLeader, value: issue ? sig(issue) : `${d.signingLeader?.name ?? ''}${t.paren(t.notIssued)}` },
    ]);
  else if (str(f.dueDate)) head.push([{ label: t.dueDate, value: str(f.dueDate) }]);
  if (d.attachments.length) head.push([{ label: t.attachments, value: d.attachments.map((a) => a.name).join(t.list) }]);
  const deadlineLines = (partId: number | null) =>
    d.deadlines
      .filter((c) => c.partId === partId)
      .map((c) => `${c.clockLabel}${t.colon}${at(c.dueAt)}${t.paren(t.deadlineState[c.state] ?? c.state)}`)
      .join('\n');
  const caseDeadlines = deadlineLines(null);
  if (caseDeadlines) head.push([{ label: t.caseDeadlines, value: caseDeadlines }]);

  const sections: PrintSection[] = [{ heading: null, level: 1, rows: head }];

  for (const p of parts) {
    if (!isContactForm) {
      const rows: PrintRow[] = [
        [
          { label: t.partState, value: p.stateLabel },
          { label: t.handler, value: p.handler?.name ?? '—' },
        ],
        [{ label: t.partDue, value: p.dueDate ?? '—' }],
      ];
      const lines = deadlineLines(p.id);
      if (lines) rows.push([{ label: t.deadlines, value: lines }]);
      // Only the contact form has lead and assisting units; each type names its receivers in its own words.
      sections.push({ heading: `${t.receiversOf[d.type] ?? t.receiverUnit}${t.colon}${p.unit.name}`, level: 1, rows });
      continue;
    }
    const events = current.filter((e) => e.partId === p.id);
    const last = (...actions: string[]) => events.findLast((e) => actions.includes(e.action));
    const sign = last('sign');
    const rows: PrintRow[] = [
      [
        { label: t.signed, value: sign ? sig(sign) : issue ? t.notSigned : '—' },
        { label: t.handler, value: p.handler?.name ?? '—' },
      ],
    ];
    const objections = events
      .filter((e) => ['object', 'reject_objection', 'uphold_objection'].includes(e.action))
      .map((e) => {
        const what =
          e.action === 'object'
            ? `${t.about[str(e.data?.about)] ?? ''}${t.colon}${str(e.data?.reason)}`
            : `${e.action === 'reject_objection' ? t.objectionRejected : t.objectionUpheld}${t.colon}${str(e.data?.reason)}`;
        return `${what}${t.paren(sig(e))}`;
      });
    if (objections.length) rows.push([{ label: t.objection, value: objections.join('\n') }]);
    const flags = [p.overdue ? t.overdue : '', p.supervised ? t.supervised : ''].filter(Boolean).join(t.list);
    rows.push([
      { label: t.partDue, value: p.dueDate ?? '—' },
      { label: t.partState, value: flags ? `${p.stateLabel}${t.paren(flags)}` : p.stateLabel },
    ]);
    const extensions = events
      .filter((e) => ['request_extension', 'grant_extension', 'refuse_extension'].includes(e.action))
      .map((e) => {
        const reason = str(e.data?.reason);
        const what =
          e.action === 'request_extension'
            ? t.extensionAsked(str(e.data?.dueDate))
            : e.action === 'grant_extension'
              ? t.extensionGranted(str(e.data?.dueDate))
              : t.extensionRefused;
        return `${what}${reason ? `${t.colon}${reason}` : ''}${t.paren(sig(e))}`;
      });
    if (extensions.length) rows.push([{ label: t.extension, value: extensions.join('\n') }]);
    sections.push({ heading: `${t.receiverUnit}${t.colon}${p.unit.name}${t.paren(roleLabel(p.role))}`, level: 1, rows });

    // 《工作回复单》: the latest reply and the review that answered it.
    const replyIndex = events.findLastIndex((e) => e.action === 'reply');
    const reply = replyIndex >= 0 ? events[replyIndex] : undefined;
    const review = replyIndex >= 0 ? events.slice(replyIndex + 1).findLast((e) => e.action === 'accept' || e.action === 'return') : undefined;
    let verdict = reply ? t.awaitingReview : '—';
    if (review?.action === 'accept') verdict = str(review.data?.note) ? `${t.accepted}${t.colon}${str(review.data?.note)}` : t.accepted;
    if (review?.action === 'return')
      verdict = `${t.returned}${t.colon}${str(review.data?.reason)}${review.data?.dueDate ? t.paren(t.returnedDue(str(review.data.dueDate))) : ''}`;
    const replyRows: PrintRow[] = [
      [{ label: t.result, value: reply ? str(reply.data?.result) : t.notReplied }],
      [{ label: t.repliedBy, value: reply ? sig(reply) : '—' }],
      [
        { label: t.review, value: verdict },
        { label: t.reviewer, value: review ? sig(review) : '—' },
      ],
    ];
    const lines = deadlineLines(p.id);
    if (lines) replyRows.push([{ label: t.deadlines, value: lines }]);
    sections.push({ heading: t.reply, level: 2, rows: replyRows });
  }

  if (!isContactForm) {
    // What someone signed, and what the system decided (a move, a case it created); not its expiry notes.
    const bySystem = (e: Entry) => e.actorKind === 'system' && (e.action === 'moved' || e.action === 'create');
    const signed = d.timeline.filter((e) => (e.actor || bySystem(e)) && !['comment', 'attach', 'edit'].includes(e.action));
    const rows = signed.map((e): PrintRow => {
      const why = str(e.data?.reason ?? e.data?.note ?? e.data?.result);
      return [{ label: e.unitName ? `${e.label}${t.paren(e.unitName)}` : e.label, value: `${sig(e)}${why ? `\n${why}` : ''}` }];
    });
    if (rows.length) sections.push({ heading: t.signatures, level: 1, rows });
  }

  const signatures = signatureRows(t, d.type, parts);
  if (signatures.length) sections.push({ heading: t.signatureBlock, level: 1, rows: signatures, signatures: true });

  const printedAt = at(opts.now.toISOString());
  const fileStem = opts.lang === 'en' ? d.typeName.toLowerCase().replace(/\s+/g, '-') : d.typeName;
  return {
    lang: opts.lang,
    title: d.typeName,
    number: d.number,
    docTitle: `${d.typeName} ${d.number}`,
    fileName: `${fileStem}-${d.number}.pdf`,
    initiatorUnit: d.initiatorUnit.name,
    sections,
    footer: t.footer(printedAt),
    printedAt,
    appName: t.appName,
  };
}

type Words = (typeof PRINT_TEXT)[Lang];

/** A 通知单's own fields, only those of its kind (a roadway only where the kind has one), in the screen's words. */
function noticeRows(t: Words, f: Record<string, unknown>): PrintRow[] {
  const n = t.notice;
  const kind = str(f.kind);
  const rows: PrintRow[] = [[{ label: n.kind, value: n.kinds[kind] ?? kind }]];
  const cell = (label: string, value: unknown) => (str(value) ? [{ label, value: str(value) }] : []);
  const meters = (v: unknown) => (typeof v === 'number' ? n.meters(v) : '');
  const pair = (...cells: PrintCell[][]) => {
    const c = cells.flat();
    for (let i = 0; i < c.length; i += 2) rows.push(c[i + 1] ? [c[i]!, c[i + 1]!] : [c[i]!]);
  };
  if (kind in n.workDate) {
    pair(cell(n.site, f.roadway), cell(n.workDate[kind] ?? '', f.workDate));
    if (f.urgent === true) pair(cell(n.urgentReason, f.urgentReason));
  } else if (kind === 'danger_zone') {
    pair(cell(n.roadway, f.roadway), cell(n.safeDistance, meters(f.safeDistanceMeters)));
    pair(cell(n.zone, f.zone));
  } else if (kind === 'breakthrough') {
    pair(cell(n.headingA, f.headingA), cell(n.headingB, f.headingB));
    pair(cell(n.strata, n.strataKinds[str(f.strata)] ?? str(f.strata)), cell(n.distance, meters(f.distanceMeters)));
  }
  return rows;
}

/**
 * The signature block of the paper form (签字栏): whoever signs the paper signs here, with the date,
 * by hand. The contact form is signed and issued by a leader, signed for by each receiving unit and
 * reviewed by the issuing unit (seed article 8); a commission letter is signed by the department head
 * and the chief engineer and signed for (seed 2, 委托书应由总工程师、部长签字); a notice is sent and
 * acknowledged by each unit; an operation ticket is signed before the operation (seed article 1).
 */
function signatureRows(t: Words, type: string, parts: readonly { unit: { name: string } }[]): PrintRow[] {
  const s = t.sign;
  const who: string[] =
    type === 'contact_form'
      ? [s.signingLeader, ...parts.map((p) => s.unitSigns(p.unit.name)), s.review]
      : type === 'commission_letter'
        ? [s.departmentHead, s.chiefEngineer, ...parts.map((p) => s.unitSigns(p.unit.name))]
        : type === 'notice'
          ? [s.issuer, ...parts.map((p) => s.unitAcknowledges(p.unit.name))]
          : type === 'operation_ticket'
            ? [s.operator, s.reviewer, s.permitter]
            : [];
  return who.map(
    (w): PrintRow => [
      { label: t.signHere(w), value: '' },
      { label: t.signDate, value: '' },
    ],
  );
}
