import { z } from 'zod';
import { ui } from '../../../../contracts/cases.js';
import type { CaseTypeDef, ClockDef, Effect, TransitionDef } from '../engine/definition.js';

/**
 * 委托书 — seed article 2 (地测 工作联系制度), DOMAIN.md §3 "related forms". Safety-related work
 * between the survey department and a production unit goes by commission letter, signed by the
 * department head (部长) and the chief engineer (总工程师) in that order; the receiving unit signs
 * for it and the delivery term counts from that receipt: 15 days for a heading's geological report,
 * 30 for a coal face's, otherwise a date agreed in the letter (一.3 "商定提交时间").
 */

const Reason = z.string().trim().min(2).max(2000);
const Note = z.string().trim().max(2000).optional();
const Id = z.number().int().positive();

/** heading: 掘进工作面地质说明书 (15 days); coal_face: 回采工作面地质说明书 (30 days); agreed: a date agreed per letter. */
export const ReportKind = z.enum(['heading', 'coal_face', 'agreed']);

export const CommissionLetterFields = z
  .strictObject({
    title: z.string().trim().min(2).max(200),
    /** What is commissioned: the work, the roadway or face, the drawings provided. */
    body: z.string().trim().min(2).max(10_000),
    reportKind: ReportKind,
    /** The agreed delivery date; only for `agreed` (the fixed terms count from receipt). */
    dueDate: z.iso.date().optional(),
    receiverUnitId: Id.meta(ui({ widget: 'receiverUnit' })),
    /** 部长: signs first, a head of the initiating unit or a leader above it. */
    departmentHeadPersonId: Id.meta(ui({ widget: 'signingLeader', signedBy: 'head_sign' })),
    /** 总工程师: signs second and issues the letter, a leader over the initiating unit. */
    chiefEngineerPersonId: Id.meta(ui({ widget: 'signingLeader', signedBy: 'chief_sign' })),
  })
  .superRefine((f, ctx) => {
    if (f.reportKind === 'agreed' && !f.dueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'required' });
    if (f.reportKind !== 'agreed' && f.dueDate) ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'invalid' });
    if (f.departmentHeadPersonId === f.chiefEngineerPersonId) ctx.addIssue({ code: 'custom', path: ['chiefEngineerPersonId'], message: 'invalid' });
  });
export type CommissionLetterFields = z.infer<typeof CommissionLetterFields>;

const kindIs = (kind: z.infer<typeof ReportKind>) => (s: { fields: Record<string, unknown> }) => s.fields.reportKind === kind;

/** The delivery clock each report kind starts on receipt. */
const DELIVER_CLOCKS = { heading: 'deliver_heading', coal_face: 'deliver_coal_face', agreed: 'deliver_agreed' } as const;
const ALL_DELIVER = Object.values(DELIVER_CLOCKS);

const receive = (kind: keyof typeof DELIVER_CLOCKS): TransitionDef => ({
  action: 'receive',
  level: 'part',
  from: ['awaiting_receipt'],
  to: 'in_progress',
  by: ['receiver'],
  onlyIf: kindIs(kind),
  input: z.strictObject({ handlerPersonId: Id.meta(ui({ widget: 'partMember' })), note: Note }),
  setPart: { handlerPersonId: 'handlerPersonId' },
  membersOfPartUnit: ['handlerPersonId'],
  stopClocks: ['receipt'],
  startClocks: [DELIVER_CLOCKS[kind]],
  notify: [{ to: ['drafter', 'handler'], message: 'cl.received' }],
});

const transitions: TransitionDef[] = [
  // ---- the letter: drafted, signed by 部长 then 总工程师 ----
  {
    action: 'submit',
    level: 'case',
    from: ['draft'],
    to: 'head_signing',
    by: ['drafter', 'initiator'],
    notify: [{ to: ['approver'], message: 'cl.submitted' }],
  },
  {
    action: 'head_sign',
    level: 'case',
    from: ['head_signing'],
    to: 'chief_signing',
    by: ['approver'],
    input: z.strictObject({ note: Note }),
    notify: [{ to: ['approver'], message: 'cl.submitted' }],
  },
  {
    action: 'chief_sign',
    level: 'case',
    from: ['chief_signing'],
    to: 'issued',
    by: ['approver'],
    input: z.strictObject({ note: Note }),
    partsTo: 'awaiting_receipt',
    startClocks: ['receipt'],
    newRevision: true,
    notify: [
      { to: ['receiver'], message: 'cl.issued' },
      { to: ['drafter'], message: 'cl.issued_to_drafter' },
    ],
  },
  {
    action: 'send_back',
    level: 'case',
    from: ['head_signing', 'chief_signing'],
    to: 'draft',
    by: ['approver'],
    input: z.strictObject({ reason: Reason }).meta(ui({ danger: true })),
    notify: [{ to: ['drafter'], message: 'cl.sent_back' }],
  },
  {
    action: 'withdraw',
    level: 'case',
    from: ['draft', 'head_signing', 'chief_signing'],
    to: 'withdrawn',
    by: ['drafter'],
    input: z.strictObject({ reason: Reason }).meta(ui({ danger: true })),
    partsTo: 'cancelled',
  },

  // ---- the receiving unit: signs for it, the term runs from then ----
  receive('heading'),
  receive('coal_face'),
  receive('agreed'),
  {
    action: 'progress',
    level: 'part',
    from: ['in_progress'],
    to: null,
    by: ['receiver', 'handler'],
    input: z.strictObject({ note: z.string().trim().min(1).max(5000) }),
    notify: [{ to: ['drafter'], message: 'cl.progress' }],
  },
  {
    action: 'deliver',
    level: 'part',
    from: ['in_progress'],
    to: 'delivered',
    by: ['receiver', 'handler'],
    // The report itself is attached to the part (POST /cases/:id/attachments with partId).
    input: z.strictObject({ result: z.string().trim().min(2).max(10_000) }),
    stopClocks: ALL_DELIVER,
    notify: [{ to: ['drafter'], message: 'cl.delivered' }],
  },
  {
    action: 'accept',
    level: 'part',
    from: ['delivered'],
    to: 'closed',
    by: ['drafter', 'initiator'],
    input: z.strictObject({ note: Note }),
    notify: [{ to: ['receiver', 'handler'], message: 'cl.accepted' }],
  },
  {
    action: 'return',
    level: 'part',
    from: ['delivered'],
    to: 'in_progress',
    by: ['drafter', 'initiator'],
    // Rework is due on a date agreed with the receiver.
    input: z.strictObject({ reason: Reason, dueDate: z.iso.date().meta(ui({ notBefore: 'today' })) }).meta(ui({ danger: true })),
    setPart: { dueDate: 'dueDate' },
    startClocks: ['deliver_agreed'],
    notify: [{ to: ['receiver', 'handler'], message: 'cl.returned' }],
  },
];

/**
 * A late delivery is marked and reported. Seed article 2 names no assessment for it and no existing
 * rule fits (the ledger's rules are the contact form's, seed article 8): a rule such as
 * `commission_letter.delivered_late` would be added here as `proposeAssessment` once it exists.
 */
const lateDelivery: readonly Effect[] = [
  { kind: 'markOverdue' },
  { kind: 'notify', to: ['handler', 'receiver', 'drafter', 'signing_leader'], message: 'cl.deliver_overdue' },
  { kind: 'proposeAssessment', rule: 'commission_letter.delivered_late' },
];

const deliverClock = (code: string, rule: ClockDef['rule']): ClockDef => ({
  code,
  level: 'part',
  rule,
  remindBefore: 'cases.reminderWorkingHours',
  awaits: 'handler',
  onExpiry: lateDelivery,
});

export const commissionLetter: CaseTypeDef = {
  code: 'commission_letter',
  version: 1,
  numberPrefix: 'WTS',
  nameZh: '委托书',
  nameEn: 'Commission letter',
  fields: CommissionLetterFields,
  initialState: 'draft',
  initialPartState: 'pending',
  closedState: 'closed',
  closeWhenAllPartsIn: ['closed', 'cancelled'],
  editableIn: ['draft'],
  // A draft may be unfinished (issue 8): what is missing binds to nothing.
  bind: (f) => {
    const x = f as Partial<CommissionLetterFields>;
    const named = [
      { field: 'departmentHeadPersonId', personId: x.departmentHeadPersonId, roles: ['unit_head', 'leader'] },
      { field: 'chiefEngineerPersonId', personId: x.chiefEngineerPersonId, roles: ['leader'] },
    ];
    return {
      title: x.title ?? '',
      dueDate: x.dueDate ?? null,
      // The chief engineer's signature issues the letter; they also rule on what follows from it.
      signingLeaderPersonId: x.chiefEngineerPersonId ?? null,
      receivers: x.receiverUnitId ? [{ unitId: x.receiverUnitId, role: 'main', field: 'receiverUnitId' }] : [],
      named: named.flatMap((n) => (n.personId ? [{ ...n, personId: n.personId }] : [])),
    };
  },
  labels: {
    // The fields, for the forms and the field view the web builds from the schema (issue 9 §1).
    'field.title': { zh: '标题', en: 'Subject' },
    'field.body': { zh: '委托内容', en: 'What is commissioned' },
    'field.reportKind': { zh: '委托成果', en: 'Deliverable' },
    'enum.reportKind.heading': { zh: '掘进工作面地质说明书', en: 'Geological report for a heading' },
    'enum.reportKind.coal_face': { zh: '回采工作面地质说明书', en: 'Geological report for a coal face' },
    'enum.reportKind.agreed': { zh: '其他（商定提交日期）', en: 'Other (agreed date)' },
    'field.dueDate': { zh: '商定提交日期', en: 'Agreed delivery date' },
    'field.receiverUnitId': { zh: '受托单位', en: 'Commissioned unit' },
    'field.departmentHeadPersonId': { zh: '部长', en: 'Department head' },
    'field.chiefEngineerPersonId': { zh: '总工程师', en: 'Chief engineer' },
    // What each action's dialog says and asks (the web builds it from the input's schema).
    'hint.submit': {
      zh: '提交后依次由部长、总工程师签字，签字后委托书发给受托单位。',
      en: 'The department head and then the chief engineer sign; then the letter goes to the commissioned unit.',
    },
    'hint.withdraw': { zh: '撤回后委托书作废，不能恢复。', en: 'A withdrawn letter is void and cannot be restored.' },
    'hint.receive': { zh: '签收后开始计算提交期限。', en: 'The time to deliver counts from now.' },
    'hint.deliver': { zh: '成果文件请在“附件”中上传，归属选本单位。', en: 'Upload the report under Attachments, belonging to your unit.' },
    'hint.accept': { zh: '验收后本单位的委托办结。', en: "Accepting closes your unit's part of the letter." },
    'input.head_sign.note': { zh: '签字意见（可不填）', en: 'Comment (optional)' },
    'input.chief_sign.note': { zh: '签字意见（可不填）', en: 'Comment (optional)' },
    'input.progress.note': { zh: '进展情况', en: 'Progress' },
    'input.deliver.result': { zh: '交付说明', en: 'What is delivered' },
    'input.return.dueDate': { zh: '重新回复期限', en: 'New reply due' },
    // What the inbox says I must do in each state (issue 8): "待我签收 · 剩 1天".
    'task.draft': { zh: '待我提交', en: 'To submit' },
    'task.head_signing': { zh: '待我签字', en: 'To sign' },
    'task.chief_signing': { zh: '待我签字', en: 'To sign' },
    'task.awaiting_receipt': { zh: '待我签收', en: 'To sign for' },
    'task.in_progress': { zh: '待我提交成果', en: 'To deliver' },
    'task.delivered': { zh: '待我验收', en: 'To accept' },
    'state.draft': { zh: '草稿', en: 'Draft' },
    'state.head_signing': { zh: '待部长签字', en: 'Awaiting the department head' },
    'state.chief_signing': { zh: '待总工程师签字', en: 'Awaiting the chief engineer' },
    'state.issued': { zh: '已发出', en: 'Issued' },
    'state.closed': { zh: '已验收', en: 'Accepted' },
    'state.withdrawn': { zh: '已撤回', en: 'Withdrawn' },
    'state.pending': { zh: '待发出', en: 'Not yet issued' },
    'state.awaiting_receipt': { zh: '待签收', en: 'Awaiting receipt' },
    'state.in_progress': { zh: '办理中', en: 'In progress' },
    'state.delivered': { zh: '已交付待验收', en: 'Delivered, awaiting acceptance' },
    'state.cancelled': { zh: '已取消', en: 'Cancelled' },
    'action.submit': { zh: '提交签字', en: 'Submit for signatures' },
    'action.head_sign': { zh: '部长签字', en: 'Department head signs' },
    'action.chief_sign': { zh: '总工程师签字', en: 'Chief engineer signs' },
    'action.send_back': { zh: '退回', en: 'Send back' },
    'action.withdraw': { zh: '撤回', en: 'Withdraw' },
    'action.receive': { zh: '签收', en: 'Sign for it' },
    'action.progress': { zh: '报告进展', en: 'Report progress' },
    'action.deliver': { zh: '交付成果', en: 'Deliver' },
    'action.accept': { zh: '验收', en: 'Accept' },
    'action.return': { zh: '退回重做', en: 'Return for rework' },
    'clock.receipt': { zh: '签收期限', en: 'Receipt deadline' },
    'clock.deliver_heading': { zh: '掘进地质说明书提交期限（接到委托书后15天）', en: 'Heading geological report (15 days after receipt)' },
    'clock.deliver_coal_face': { zh: '回采工作面地质说明书提交期限（接到委托书后30天）', en: 'Coal face geological report (30 days after receipt)' },
    'clock.deliver_agreed': { zh: '商定的提交期限', en: 'Agreed delivery date' },
  },
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter' },
    { code: 'head_signing', level: 'case', awaits: 'approver', approver: 'departmentHeadPersonId' },
    { code: 'chief_signing', level: 'case', awaits: 'approver', approver: 'chiefEngineerPersonId' },
    { code: 'issued', level: 'case' },
    { code: 'closed', level: 'case', final: true },
    { code: 'withdrawn', level: 'case', final: true },
    { code: 'pending', level: 'part' },
    { code: 'awaiting_receipt', level: 'part', awaits: 'receiver' },
    { code: 'in_progress', level: 'part', awaits: 'handler' },
    { code: 'delivered', level: 'part', awaits: 'drafter' },
    { code: 'closed', level: 'part', final: true },
    { code: 'cancelled', level: 'part', final: true },
  ],
  transitions,
  clocks: [
    {
      code: 'receipt',
      level: 'part',
      rule: { kind: 'workingDays', policy: 'commission.receiptWorkingDays' },
      remindBefore: 'cases.reminderWorkingHours',
      awaits: 'receiver',
      onExpiry: [{ kind: 'markOverdue' }, { kind: 'notify', to: ['receiver', 'drafter', 'office'], message: 'cl.receipt_overdue' }],
    },
    deliverClock('deliver_heading', { kind: 'calendarDays', policy: 'commission.headingReportDays' }),
    deliverClock('deliver_coal_face', { kind: 'calendarDays', policy: 'commission.coalFaceReportDays' }),
    deliverClock('deliver_agreed', { kind: 'date', from: 'part', field: 'dueDate' }),
  ],
};
