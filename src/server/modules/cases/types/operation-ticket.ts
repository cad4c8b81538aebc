import { z } from 'zod';
import { ui } from '../../../../contracts/cases.js';
import type { CaseTypeDef, TransitionDef } from '../engine/definition.js';

/**
 * 停、送电操作票 — seed article 1 (热电厂发电部 工作联系汇报制度 5.1.7): equipment is switched off or
 * on only with a ticket, after the leaders concerned (and the users affected) agree and sign it.
 * The ticket is filled in and signed by the operator (填票人), then signed by the reviewer (审核人/
 * 监护人) and the shift supervisor (值长/许可人), strictly in that order; only then may the operation
 * start (可以操作). Execution and close follow. There are no receiving units: every step is the case's.
 */

const Id = z.number().int().positive();
const Note = z.string().trim().max(2000).optional();
const Reason = z.string().trim().min(2).max(2000);

export const OperationTicketFields = z
  .strictObject({
    /** 操作任务 */
    title: z.string().trim().min(2).max(200),
    operation: z.enum(['power_off', 'power_on']),
    equipment: z.string().trim().min(1).max(200),
    /** 操作步骤, in order. */
    steps: z.array(z.string().trim().min(1).max(500)).min(1).max(100),
    plannedAt: z.iso.datetime({ offset: true }).optional(),
    /** The users affected that were contacted (相关用户). */
    usersContacted: z.string().trim().max(500).optional(),
    /** 审核人/监护人: a member of the initiating unit. */
    reviewerPersonId: Id.meta(ui({ widget: 'unitMember', signedBy: 'review' })),
    /** 值长/许可人: a shift leader (or unit head, leader) over the initiating unit. */
    permitterPersonId: Id.meta(ui({ widget: 'signingLeader', signedBy: 'permit' })),
  })
  .refine((f) => f.reviewerPersonId !== f.permitterPersonId, { path: ['permitterPersonId'], message: 'invalid' });
export type OperationTicketFields = z.infer<typeof OperationTicketFields>;

const transitions: TransitionDef[] = [
  {
    action: 'submit',
    level: 'case',
    from: ['draft'],
    to: 'awaiting_review',
    by: ['drafter'],
    // The operator does not review or permit their own ticket.
    guard: (g) =>
      [g.snapshot.fields.reviewerPersonId, g.snapshot.fields.permitterPersonId].includes(g.snapshot.drafterPersonId) ? { key: 'OWN_TICKET' } : null,
    notify: [{ to: ['approver'], message: 'ot.awaiting_signature' }],
  },
  {
    action: 'review',
    level: 'case',
    from: ['awaiting_review'],
    to: 'awaiting_permit',
    by: ['approver'],
    input: z.strictObject({ note: Note }),
    notify: [{ to: ['approver'], message: 'ot.awaiting_signature' }],
  },
  {
    action: 'permit',
    level: 'case',
    from: ['awaiting_permit'],
    to: 'may_start',
    by: ['approver'],
    input: z.strictObject({ note: Note }),
    notify: [{ to: ['drafter'], message: 'ot.may_start' }],
  },
  {
    action: 'send_back',
    level: 'case',
    from: ['awaiting_review', 'awaiting_permit'],
    to: 'draft',
    by: ['approver'],
    input: z.strictObject({ reason: Reason }).meta(ui({ danger: true })),
    notify: [{ to: ['drafter'], message: 'ot.sent_back' }],
  },
  {
    action: 'start',
    level: 'case',
    from: ['may_start'],
    to: 'in_operation',
    by: ['drafter'],
    input: z.strictObject({ note: Note }),
  },
  {
    action: 'complete',
    level: 'case',
    from: ['in_operation'],
    to: 'executed',
    by: ['drafter'],
    input: z.strictObject({ completedAt: z.iso.datetime({ offset: true }).meta(ui({ notAfter: 'endOfToday', initial: 'now' })), note: Note }),
    notify: [{ to: ['approver'], message: 'ot.completed' }],
  },
  {
    action: 'close',
    level: 'case',
    from: ['executed'],
    to: 'closed',
    by: ['approver'],
    input: z.strictObject({ note: Note }),
    notify: [{ to: ['drafter'], message: 'ot.closed' }],
  },
  {
    action: 'void',
    level: 'case',
    from: ['draft', 'awaiting_review', 'awaiting_permit', 'may_start'],
    to: 'voided',
    by: ['drafter'],
    input: z.strictObject({ reason: Reason }).meta(ui({ danger: true })),
  },
];

export const operationTicket: CaseTypeDef = {
  code: 'operation_ticket',
  version: 1,
  numberPrefix: 'CZP',
  nameZh: '停送电操作票',
  nameEn: 'Switching operation ticket',
  fields: OperationTicketFields,
  initialState: 'draft',
  initialPartState: 'pending',
  editableIn: ['draft'],
  // A draft may be unfinished (issue 8): a person not yet named binds to nothing.
  bind: (f) => {
    const x = f as Partial<OperationTicketFields>;
    const named = [
      { field: 'reviewerPersonId', personId: x.reviewerPersonId, roles: [] },
      { field: 'permitterPersonId', personId: x.permitterPersonId, roles: ['shift_leader', 'unit_head', 'leader'] },
    ];
    return {
      title: x.title ?? '',
      dueDate: null,
      // No signing leader: the named approvers below sign, in the order of the states.
      signingLeaderPersonId: null,
      receivers: [],
      named: named.flatMap((n) => (n.personId ? [{ ...n, personId: n.personId }] : [])),
    };
  },
  labels: {
    // The fields, for the forms and the field view the web builds from the schema (issue 9 §1).
    'field.title': { zh: '操作任务', en: 'Operation task' },
    'field.operation': { zh: '操作类型', en: 'Operation' },
    'enum.operation.power_off': { zh: '停电', en: 'Power off' },
    'enum.operation.power_on': { zh: '送电', en: 'Power on' },
    'field.equipment': { zh: '设备名称及编号', en: 'Equipment and number' },
    'field.steps': { zh: '操作步骤', en: 'Steps' },
    'field.plannedAt': { zh: '计划操作时间', en: 'Planned for' },
    'field.usersContacted': { zh: '已联系的相关用户', en: 'Users contacted' },
    'field.reviewerPersonId': { zh: '审核人/监护人', en: 'Reviewer / guardian' },
    'field.permitterPersonId': { zh: '值长/许可人', en: 'Shift supervisor / permitter' },
    'view.drafter': { zh: '填票人', en: 'Operator' },
    'view.latest.complete.completedAt': { zh: '操作完成时间', en: 'Completed at' },
    // What each action's dialog says and asks (the web builds it from the input's schema).
    'hint.submit': {
      zh: '签字后依次由审核人、值长签字许可，许可后方可操作。',
      en: 'The reviewer and then the shift supervisor sign; the operation may start once permitted.',
    },
    'hint.start': { zh: '开始后请按步骤逐项操作。', en: 'Carry out the steps one by one, in order.' },
    'hint.close': { zh: '终结后操作票归档，不能再修改。', en: 'A closed ticket is filed and cannot change.' },
    'hint.void': { zh: '作废后操作票不能再使用。', en: 'A voided ticket cannot be used any more.' },
    'input.review.note': { zh: '签字意见（可不填）', en: 'Comment (optional)' },
    'input.permit.note': { zh: '签字意见（可不填）', en: 'Comment (optional)' },
    'input.complete.completedAt': { zh: '操作完成时间', en: 'Completed at' },
    // What the inbox says I must do in each state (issue 8): "待我签收 · 剩 1天".
    'task.draft': { zh: '待我签字', en: 'To sign' },
    'task.awaiting_review': { zh: '待我审核', en: 'To review' },
    'task.awaiting_permit': { zh: '待我许可', en: 'To permit' },
    'task.may_start': { zh: '待我操作', en: 'To start' },
    'task.in_operation': { zh: '待我完成操作', en: 'To finish' },
    'task.executed': { zh: '待我终结', en: 'To close' },
    'state.draft': { zh: '填票中', en: 'Being filled in' },
    'state.awaiting_review': { zh: '待审核人签字', en: 'Awaiting the reviewer' },
    'state.awaiting_permit': { zh: '待值长许可', en: 'Awaiting the shift supervisor' },
    'state.may_start': { zh: '可以操作', en: 'May start' },
    'state.in_operation': { zh: '操作中', en: 'Operating' },
    'state.executed': { zh: '操作完成', en: 'Executed' },
    'state.closed': { zh: '已终结', en: 'Closed' },
    'state.voided': { zh: '已作废', en: 'Voided' },
    'action.create': { zh: '填票', en: 'Filled in' },
    'action.submit': { zh: '填票人签字', en: 'Operator signs' },
    'action.review': { zh: '审核人签字', en: 'Reviewer signs' },
    'action.permit': { zh: '值长许可', en: 'Shift supervisor permits' },
    'action.send_back': { zh: '退回', en: 'Send back' },
    'action.start': { zh: '开始操作', en: 'Start' },
    'action.complete': { zh: '操作完成', en: 'Operation done' },
    'action.close': { zh: '终结', en: 'Close' },
    'action.void': { zh: '作废', en: 'Void' },
  },
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter' },
    // The approval chain, in order: each state names the field of the person whose signature it waits for.
    { code: 'awaiting_review', level: 'case', awaits: 'approver', approver: 'reviewerPersonId' },
    { code: 'awaiting_permit', level: 'case', awaits: 'approver', approver: 'permitterPersonId' },
    { code: 'may_start', level: 'case', awaits: 'drafter' },
    { code: 'in_operation', level: 'case', awaits: 'drafter' },
    // The shift supervisor closes the executed ticket.
    { code: 'executed', level: 'case', awaits: 'approver', approver: 'permitterPersonId' },
    { code: 'closed', level: 'case', final: true },
    { code: 'voided', level: 'case', final: true },
  ],
  transitions,
  clocks: [],
};
