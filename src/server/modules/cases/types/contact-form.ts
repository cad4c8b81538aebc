import { z } from 'zod';
import { ContactFormFieldsInput, ui } from '../../../../contracts/cases.js';
import type { CaseTypeDef, GuardContext, GuardFailure, TransitionDef } from '../engine/definition.js';

/**
 * 工作联系单 — seed article 8, DOMAIN.md §3. The case is the form; each receiving unit has its own
 * part (主办 or 协办) with its own clocks, and the form closes when every part is closed.
 */

const Reason = z.string().trim().min(2).max(2000);
const DateString = z.iso.date();

export const ContactFormFields = ContactFormFieldsInput;
export type ContactFormFields = z.infer<typeof ContactFormFields>;

const OPEN_PART_STATES = ['awaiting_sign', 'objected', 'in_progress', 'extension_requested', 'replied'] as const;

const completeClockDue = (g: GuardContext) => g.clocks.find((c) => c.code === 'complete' && c.partId === g.part?.id);

const transitions: TransitionDef[] = [
  // ---- the form as a whole ----
  {
    action: 'submit',
    level: 'case',
    from: ['draft', 'revising'],
    to: 'pending_issue',
    by: ['drafter', 'initiator'],
    notify: [{ to: ['signing_leader'], message: 'cf.submitted' }],
  },
  {
    action: 'issue',
    level: 'case',
    from: ['pending_issue'],
    to: 'issued',
    by: ['signing_leader'],
    partsTo: 'awaiting_sign',
    startClocks: ['sign'],
    newRevision: true,
    notify: [
      { to: ['receiver'], message: 'cf.issued' },
      { to: ['drafter'], message: 'cf.issued_to_drafter' },
    ],
  },
  {
    action: 'send_back',
    level: 'case',
    from: ['pending_issue'],
    to: 'draft',
    by: ['signing_leader'],
    input: z.strictObject({ reason: Reason }).meta(ui({ danger: true })),
    notify: [{ to: ['drafter'], message: 'cf.sent_back' }],
  },
  {
    action: 'withdraw',
    level: 'case',
    from: ['draft', 'pending_issue', 'revising'],
    to: 'withdrawn',
    by: ['drafter'],
    input: z.strictObject({ reason: Reason }).meta(ui({ danger: true })),
    partsTo: 'cancelled',
  },

  // ---- each receiving unit's part ----
  {
    action: 'sign',
    level: 'part',
    from: ['awaiting_sign'],
    to: 'in_progress',
    by: ['receiver'],
    input: z.strictObject({
      handlerPersonId: z
        .number()
        .int()
        .positive()
        .meta(ui({ widget: 'partMember' })),
      note: z.string().trim().max(2000).optional(),
    }),
    setPart: { handlerPersonId: 'handlerPersonId' },
    membersOfPartUnit: ['handlerPersonId'],
    stopClocks: ['sign'],
    startClocks: ['complete'],
    notify: [{ to: ['drafter', 'handler'], message: 'cf.signed' }],
  },
  {
    action: 'object',
    level: 'part',
    from: ['awaiting_sign'],
    to: 'objected',
    by: ['receiver'],
    input: z.strictObject({ about: z.enum(['requirement', 'deadline']), reason: Reason }),
    stopClocks: ['sign'],
    notify: [{ to: ['signing_leader', 'drafter'], message: 'cf.objected' }],
  },
  {
    action: 'reject_objection',
    level: 'part',
    from: ['objected'],
    to: 'awaiting_sign',
    by: ['signing_leader'],
    input: z.strictObject({ reason: Reason }),
    startClocks: ['sign'],
    notify: [{ to: ['receiver', 'drafter'], message: 'cf.objection_rejected' }],
  },
  {
    action: 'uphold_objection',
    level: 'part',
    from: ['objected'],
    to: 'pending',
    by: ['signing_leader'],
    input: z.strictObject({ reason: Reason }),
    caseTo: 'revising',
    otherPartsTo: 'pending',
    stopClocks: ['sign', 'complete', 'review', 'supervise'],
    notify: [{ to: ['drafter', 'receiver'], message: 'cf.objection_upheld' }],
  },
  {
    action: 'progress',
    level: 'part',
    from: ['in_progress', 'extension_requested'],
    to: null,
    by: ['receiver', 'handler'],
    input: z.strictObject({ note: z.string().trim().min(1).max(5000) }),
    notify: [{ to: ['drafter'], message: 'cf.progress' }],
  },
  {
    action: 'request_extension',
    level: 'part',
    from: ['in_progress'],
    to: 'extension_requested',
    by: ['receiver', 'handler'],
    input: z.strictObject({ dueDate: DateString.meta(ui({ notBefore: 'partDueNext' })), reason: Reason }),
    guard: (g): GuardFailure | null => {
      const clock = completeClockDue(g);
      // 延期 must be asked before the deadline (issue 4 §4); afterwards the form is simply late.
      if (clock && new Date(clock.dueAt) <= g.now) return { key: 'EXTENSION_TOO_LATE', params: { due: clock.dueAt } };
      const current = g.part?.dueDate;
      if (current && String(g.input.dueDate) <= current) return { key: 'EXTENSION_NOT_LATER', params: { current } };
      return null;
    },
    setPart: { requestedDueDate: 'dueDate' },
    notify: [{ to: ['signing_leader', 'drafter'], message: 'cf.extension_requested' }],
  },
  {
    action: 'grant_extension',
    level: 'part',
    from: ['extension_requested'],
    to: 'in_progress',
    by: ['signing_leader'],
    input: z.strictObject({
      dueDate: DateString.meta(ui({ notBefore: 'partDueNext', initial: 'requestedDueDate' })),
      reason: z.string().trim().max(2000).optional(),
    }),
    guard: (g) => {
      const current = g.part?.dueDate;
      if (current && String(g.input.dueDate) <= current) return { key: 'EXTENSION_NOT_LATER', params: { current } };
      return null;
    },
    setPart: { dueDate: 'dueDate' },
    stopClocks: ['complete'],
    startClocks: ['complete'],
    notify: [{ to: ['receiver', 'handler', 'drafter'], message: 'cf.extension_granted' }],
  },
  {
    action: 'refuse_extension',
    level: 'part',
    from: ['extension_requested'],
    to: 'in_progress',
    by: ['signing_leader'],
    input: z.strictObject({ reason: Reason }),
    notify: [{ to: ['receiver', 'handler'], message: 'cf.extension_refused' }],
  },
  {
    action: 'reply',
    level: 'part',
    from: ['in_progress', 'extension_requested'],
    to: 'replied',
    by: ['receiver', 'handler'],
    input: z.strictObject({ result: z.string().trim().min(2).max(10_000) }),
    stopClocks: ['complete'],
    startClocks: ['review'],
    notify: [{ to: ['drafter'], message: 'cf.replied' }],
  },
  {
    action: 'accept',
    level: 'part',
    from: ['replied'],
    to: 'closed',
    by: ['drafter', 'initiator'],
    input: z.strictObject({ note: z.string().trim().max(2000).optional() }),
    stopClocks: ['review', 'supervise'],
    notify: [{ to: ['receiver', 'handler'], message: 'cf.accepted' }],
  },
  {
    action: 'return',
    level: 'part',
    from: ['replied'],
    to: 'in_progress',
    by: ['drafter', 'initiator'],
    input: z.strictObject({ reason: Reason, dueDate: DateString.meta(ui({ notBefore: 'today' })) }).meta(ui({ danger: true })),
    setPart: { dueDate: 'dueDate' },
    stopClocks: ['review'],
    startClocks: ['complete'],
    // 未达到完成标准, 且超出完成时限 (seed article 8, 考核): returned after the deadline had passed.
    ifMissed: [{ clock: 'complete', effects: [{ kind: 'proposeAssessment', rule: 'contact_form.substandard_late' }] }],
    notify: [{ to: ['receiver', 'handler'], message: 'cf.returned' }],
  },

  // ---- supervision (督察督办), through the office ----
  {
    action: 'request_supervision',
    level: 'part',
    from: [...OPEN_PART_STATES],
    to: null,
    by: ['drafter', 'initiator'],
    input: z.strictObject({ reason: Reason }),
    // Asking does not escalate: the office decides.
    notify: [{ to: ['office'], message: 'cf.supervision_requested' }],
  },
  {
    action: 'escalate',
    level: 'part',
    from: [...OPEN_PART_STATES],
    to: null,
    by: ['office'],
    supervision: 'start',
    input: z.strictObject({ note: Reason }),
    startClocks: ['supervise'],
    notify: [{ to: ['supervision', 'signing_leader', 'receiver'], message: 'cf.escalated' }],
  },
  {
    action: 'supervision_note',
    level: 'part',
    from: [...OPEN_PART_STATES],
    to: null,
    by: ['supervision'],
    supervision: 'during',
    input: z.strictObject({ note: z.string().trim().min(1).max(5000) }),
    notify: [{ to: ['receiver', 'drafter'], message: 'cf.supervision_note' }],
  },
  {
    action: 'supervision_result',
    level: 'part',
    from: [...OPEN_PART_STATES, 'closed'],
    to: null,
    by: ['supervision'],
    supervision: 'end',
    input: z.strictObject({ result: z.string().trim().min(2).max(5000) }),
    stopClocks: ['supervise'],
    notify: [{ to: ['office', 'drafter', 'signing_leader'], message: 'cf.supervision_result' }],
  },
];

export const contactForm: CaseTypeDef = {
  code: 'contact_form',
  version: 1,
  numberPrefix: 'LXD',
  nameZh: '工作联系单',
  nameEn: 'Work contact form',
  fields: ContactFormFields,
  initialState: 'draft',
  initialPartState: 'pending',
  closedState: 'closed',
  closeWhenAllPartsIn: ['closed', 'cancelled'],
  editableIn: ['draft', 'revising'],
  // A draft may be unfinished (issue 8): what is missing binds to nothing.
  bind: (f) => {
    const x = f as Partial<ContactFormFields>;
    return {
      title: x.title ?? '',
      dueDate: x.dueDate ?? null,
      signingLeaderPersonId: x.signingLeaderPersonId ?? null,
      receivers: (x.receivers ?? []).filter((r) => Number.isInteger(r?.unitId)),
    };
  },
  labels: {
    // The fields, for the forms and the field view the web builds from the schema (issue 9 §1).
    'field.title': { zh: '标题', en: 'Subject' },
    'field.body': { zh: '工作内容及要求', en: 'Work and requirements' },
    'field.dueDate': { zh: '完成时限', en: 'Due date' },
    'field.receivers': { zh: '收单单位', en: 'Receiving units' },
    'field.unitId': { zh: '收单单位', en: 'Receiving unit' },
    'field.role': { zh: '职责', en: 'Role' },
    'enum.role.main': { zh: '主办', en: 'Lead' },
    'enum.role.assist': { zh: '协办', en: 'Assisting' },
    'field.signingLeaderPersonId': { zh: '签发领导', en: 'Signing leader' },
    'view.closedAt': { zh: '销号时间', en: 'Closed at' },
    // What the inbox says I must do in each state (issue 8): "待我签收 · 剩 1天".
    'task.draft': { zh: '待我提交签发', en: 'To submit' },
    'task.pending_issue': { zh: '待我签发', en: 'To sign and issue' },
    'task.revising': { zh: '待我修改重发', en: 'To revise' },
    'task.awaiting_sign': { zh: '待我签收', en: 'To sign for' },
    'task.objected': { zh: '待我裁定异议', en: 'To rule on an objection' },
    'task.in_progress': { zh: '待我办理', en: 'To do' },
    'task.extension_requested': { zh: '待我审批延期', en: 'To decide an extension' },
    'task.replied': { zh: '待我验收', en: 'To review the reply' },
    'state.draft': { zh: '草稿', en: 'Draft' },
    'state.pending_issue': { zh: '待签发', en: 'Awaiting signature' },
    'state.issued': { zh: '已签发', en: 'Issued' },
    'state.revising': { zh: '修改后重新发起', en: 'Being revised' },
    'state.closed': { zh: '已销号', en: 'Closed' },
    'state.withdrawn': { zh: '已撤回', en: 'Withdrawn' },
    'state.pending': { zh: '待发出', en: 'Not yet issued' },
    'state.awaiting_sign': { zh: '待签收', en: 'Awaiting sign-off' },
    'state.objected': { zh: '异议待裁定', en: 'Objection pending' },
    'state.in_progress': { zh: '办理中', en: 'In progress' },
    'state.extension_requested': { zh: '延期待批', en: 'Extension requested' },
    'state.replied': { zh: '已回复待审核', en: 'Replied, awaiting review' },
    'state.cancelled': { zh: '已取消', en: 'Cancelled' },
    'action.submit': { zh: '提交签发', en: 'Submit for signature' },
    'action.issue': { zh: '签发', en: 'Sign and issue' },
    'action.send_back': { zh: '退回', en: 'Send back' },
    'action.withdraw': { zh: '撤回', en: 'Withdraw' },
    'action.sign': { zh: '签收', en: 'Sign for it' },
    'action.object': { zh: '提出异议', en: 'Object' },
    'action.reject_objection': { zh: '异议不成立', en: 'Reject objection' },
    'action.uphold_objection': { zh: '异议成立', en: 'Uphold objection' },
    'action.progress': { zh: '报告进展', en: 'Report progress' },
    'action.request_extension': { zh: '申请延期', en: 'Request extension' },
    'action.grant_extension': { zh: '批准延期', en: 'Grant extension' },
    'action.refuse_extension': { zh: '不批准延期', en: 'Refuse extension' },
    'action.reply': { zh: '填写回复单', en: 'File reply' },
    'action.accept': { zh: '验收销号', en: 'Accept and close' },
    'action.return': { zh: '退回重办', en: 'Return for rework' },
    'action.request_supervision': { zh: '申请督办', en: 'Ask for supervision' },
    'action.escalate': { zh: '纳入督办', en: 'Escalate to supervision' },
    'action.supervision_note': { zh: '督办意见', en: 'Supervision note' },
    'action.supervision_result': { zh: '督办结果', en: 'Supervision result' },
    'clock.sign': { zh: '签收/异议期限', en: 'Sign-or-object deadline' },
    // What each action's dialog says and asks (the web builds it from the input's schema).
    'hint.submit': { zh: '提交后由签发领导审核签发。', en: 'The signing leader reviews and issues the form.' },
    'hint.issue': { zh: '签发后联系单送达收单单位，签收期限开始计时。', en: 'Once issued the form reaches the receiving units and their time to sign starts.' },
    'hint.withdraw': { zh: '撤回后联系单作废，不能恢复。', en: 'A withdrawn form is void and cannot be restored.' },
    'hint.reply': { zh: '写明完成情况；发单单位审核通过后销号。', en: 'Say what was done; the initiating unit reviews it and closes the form.' },
    'input.object.about': { zh: '异议事项', en: 'Objection about' },
    'enum.about.requirement': { zh: '工作要求', en: 'The requirements' },
    'enum.about.deadline': { zh: '完成时限', en: 'The due date' },
    'input.progress.note': { zh: '进展情况', en: 'Progress' },
    'input.request_extension.dueDate': { zh: '延期至', en: 'Extend until' },
    'input.grant_extension.dueDate': { zh: '延期至', en: 'Extend until' },
    'input.grant_extension.reason': { zh: '说明（可不填）', en: 'Note (optional)' },
    'input.reply.result': { zh: '工作回复（完成情况）', en: 'Reply (what was done)' },
    'input.return.dueDate': { zh: '重新回复期限', en: 'New reply due' },
    'input.escalate.note': { zh: '说明', en: 'Note' },
    'input.supervision_note.note': { zh: '督办意见', en: 'Supervision note' },
    'input.supervision_result.result': { zh: '督办结果', en: 'Supervision result' },
    'clock.complete': { zh: '完成时限', en: 'Completion deadline' },
    'clock.review': { zh: '审核期限', en: 'Review deadline' },
    'clock.supervise': { zh: '督办期限', en: 'Supervision deadline' },
  },
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter' },
    { code: 'pending_issue', level: 'case', awaits: 'signing_leader' },
    { code: 'issued', level: 'case' },
    { code: 'revising', level: 'case', awaits: 'drafter' },
    { code: 'closed', level: 'case', final: true },
    { code: 'withdrawn', level: 'case', final: true },
    { code: 'pending', level: 'part' },
    { code: 'awaiting_sign', level: 'part', awaits: 'receiver' },
    { code: 'objected', level: 'part', awaits: 'signing_leader' },
    { code: 'in_progress', level: 'part', awaits: 'handler' },
    { code: 'extension_requested', level: 'part', awaits: 'signing_leader' },
    { code: 'replied', level: 'part', awaits: 'drafter' },
    { code: 'closed', level: 'part', final: true },
    { code: 'cancelled', level: 'part', final: true },
  ],
  transitions,
  clocks: [
    {
      code: 'sign',
      level: 'part',
      rule: { kind: 'workingDays', policy: 'contactForm.signWorkingDays' },
      remindBefore: 'cases.reminderWorkingHours',
      awaits: 'receiver',
      onExpiry: [
        { kind: 'markOverdue' },
        { kind: 'notify', to: ['office', 'signing_leader', 'receiver'], message: 'cf.sign_overdue' },
        { kind: 'proposeAssessment', rule: 'contact_form.no_sign_in_time' },
      ],
    },
    {
      code: 'complete',
      level: 'part',
      rule: { kind: 'date', from: 'part', field: 'dueDate' },
      remindBefore: 'cases.reminderWorkingHours',
      awaits: 'handler',
      onExpiry: [
        { kind: 'markOverdue' },
        { kind: 'notify', to: ['handler', 'receiver', 'drafter'], message: 'cf.complete_overdue' },
        { kind: 'proposeAssessment', rule: 'contact_form.finished_late' },
      ],
    },
    {
      code: 'review',
      level: 'part',
      rule: { kind: 'workingDays', policy: 'contactForm.reviewWorkingDays' },
      awaits: 'drafter',
      onExpiry: [{ kind: 'notify', to: ['drafter', 'office'], message: 'cf.review_overdue' }],
    },
    {
      code: 'supervise',
      level: 'part',
      rule: { kind: 'workingDays', policy: 'contactForm.supervisionWorkingDays' },
      awaits: 'supervision',
      onExpiry: [{ kind: 'notify', to: ['supervision', 'office'], message: 'cf.supervision_overdue' }],
    },
  ],
};
