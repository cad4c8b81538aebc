import { z } from 'zod';
import { ui } from '../../../../contracts/cases.js';
import type { Calendar } from '../../calendar/core.js';
import { deadlineRelative, localDate } from '../../calendar/core.js';
import type { CaseTypeDef, GuardFailure, PolicyNumbers, TransitionDef } from '../engine/definition.js';

/**
 * 重要井巷工程设计图纸 — seed article 2 (地测 工作联系制度) 一.4: for an important work the design
 * drawings go to the survey department (地测) 3 days before the work, so that it has time to review
 * and prepare; the breakthrough deviation (贯通偏差) and the other requirements are agreed at a business
 * meeting (业务会) chaired by the chief engineer (总工程师).
 * - Sending the drawings later than 3 calendar days before the work date is refused unless marked
 *   urgent with a reason (as a late work notice, notice.ts).
 * - The survey department signs for the drawings; once the meeting has agreed, it records the agreed
 *   deviation and requirements on its part (an action input, shown with the case). That must happen
 *   before the work starts: the clock runs to the end of the last working day before the work date.
 */

const Id = z.number().int().positive();
const Text = z.string().trim().min(1).max(200);
const Note = z.string().trim().max(2000).optional();
const Reason = z.string().trim().min(2).max(2000);

export const WorkDrawingsFields = z
  .strictObject({
    title: z.string().trim().min(2).max(200),
    /** The important work (重要井巷工程): a shaft, a main roadway, a breakthrough. */
    work: Text,
    /** The drawings handed over (图号、名称); the files themselves are attachments. */
    body: z.string().trim().min(2).max(10_000),
    workDate: z.iso.date(),
    /** The survey department (地测). */
    receiverUnitId: Id.meta(ui({ widget: 'receiverUnit' })),
    /** 总工程师, who chairs the business meeting; told when the drawings go out. */
    chiefEngineerPersonId: Id.meta(ui({ widget: 'signingLeader' })),
    urgent: z.boolean().optional(),
    urgentReason: Reason.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.urgent && !f.urgentReason) ctx.addIssue({ code: 'custom', path: ['urgentReason'], message: 'required' });
  });
export type WorkDrawingsFields = z.infer<typeof WorkDrawingsFields>;

function policy(policies: PolicyNumbers, key: string): number {
  const v = policies[key];
  if (v === undefined) throw new Error(`policy ${key} not loaded`);
  return v;
}

/** The last day the drawings may go out: the lead time (calendar days) before the work date. */
export function latestHandoverDate(cal: Calendar, workDate: string, policies: PolicyNumbers): string {
  const r = deadlineRelative(cal, {
    anchor: { date: workDate },
    ref: 'fields.workDate',
    direction: 'before',
    n: policy(policies, 'drawings.leadDays'),
    unit: 'calendarDays',
    policy: 'drawings.leadDays',
  });
  return localDate(r.deadline, cal.timeZone);
}

const Agreement = z.strictObject({
  /** 贯通偏差 agreed at the meeting: the largest deviation allowed (mm). */
  deviationMm: z
    .number()
    .min(0)
    .max(100_000)
    .meta(ui({ step: 1, unit: 'mm' })),
  /** The other requirements agreed (有关要求). */
  requirements: z.string().trim().min(2).max(5000),
  meetingDate: z.iso.date().meta(ui({ initial: 'now' })),
});

const transitions: TransitionDef[] = [
  {
    action: 'send',
    level: 'case',
    from: ['draft'],
    to: 'sent',
    by: ['drafter', 'initiator'],
    guard: (g): GuardFailure | null => {
      const f = g.snapshot.fields;
      if (f.urgent === true) return null;
      const workDate = String(f.workDate);
      const latest = latestHandoverDate(g.cal, workDate, g.policies);
      if (localDate(g.now, g.cal.timeZone) <= latest) return null;
      return { key: 'NOTICE_TOO_LATE', params: { workDate, days: policy(g.policies, 'drawings.leadDays'), latest } };
    },
    partsTo: 'awaiting_receipt',
    startClocks: ['agree'],
    notify: [
      { to: ['receiver'], message: 'wd.sent' },
      { to: ['signing_leader'], message: 'wd.sent_to_chief' },
    ],
  },
  {
    action: 'withdraw',
    level: 'case',
    from: ['draft'],
    to: 'withdrawn',
    by: ['drafter'],
    input: z.strictObject({ reason: Reason }).meta(ui({ danger: true })),
    partsTo: 'cancelled',
  },
  {
    action: 'receive',
    level: 'part',
    from: ['awaiting_receipt'],
    to: 'reviewing',
    by: ['receiver'],
    input: z.strictObject({ note: Note }),
    notify: [{ to: ['drafter'], message: 'af.acknowledged' }],
  },
  {
    action: 'record_agreement',
    level: 'part',
    from: ['reviewing'],
    to: 'closed',
    by: ['receiver'],
    input: Agreement,
    stopClocks: ['agree'],
    notify: [{ to: ['drafter', 'signing_leader'], message: 'wd.agreed' }],
  },
];

export const workDrawings: CaseTypeDef = {
  code: 'work_drawings',
  version: 1,
  numberPrefix: 'SJTZ',
  nameZh: '重要井巷工程设计图纸',
  nameEn: 'Drawings for an important work',
  fields: WorkDrawingsFields,
  initialState: 'draft',
  initialPartState: 'pending',
  closedState: 'closed',
  closeWhenAllPartsIn: ['closed', 'cancelled'],
  editableIn: ['draft'],
  policies: ['drawings.leadDays'],
  bind: (f) => {
    const x = f as Partial<WorkDrawingsFields>;
    return {
      title: x.title ?? '',
      dueDate: x.workDate ?? null,
      signingLeaderPersonId: x.chiefEngineerPersonId ?? null,
      receivers: x.receiverUnitId ? [{ unitId: x.receiverUnitId, role: 'main', field: 'receiverUnitId' }] : [],
      fieldOf: { dueDate: 'workDate', signingLeaderPersonId: 'chiefEngineerPersonId' },
    };
  },
  labels: {
    'field.title': { zh: '标题', en: 'Subject' },
    'field.work': { zh: '工程名称', en: 'Work' },
    'field.body': { zh: '提供的设计图纸', en: 'Drawings provided' },
    'field.workDate': { zh: '施工日期', en: 'Work starts on' },
    'field.receiverUnitId': { zh: '地测部门', en: 'Survey department' },
    'field.chiefEngineerPersonId': { zh: '总工程师', en: 'Chief engineer' },
    'field.urgent': { zh: '紧急', en: 'Urgent' },
    'field.urgentReason': { zh: '紧急原因', en: 'Why urgent' },
    'hint.send': {
      zh: '须在施工前3天提供（以制度参数为准）；贯通偏差及有关要求在总工程师主持的业务会上商定。',
      en: "Due 3 days before the work (per policy); the deviation and requirements are agreed at the chief engineer's business meeting.",
    },
    'hint.withdraw': { zh: '撤回后图纸移交作废，不能恢复。', en: 'A withdrawn handover is void and cannot be restored.' },
    'hint.record_agreement': { zh: '记录业务会商定的贯通偏差及有关要求。', en: 'Record the deviation and requirements agreed at the business meeting.' },
    'input.receive.note': { zh: '签收意见（可不填）', en: 'Comment (optional)' },
    'input.record_agreement.deviationMm': { zh: '贯通偏差（毫米）', en: 'Breakthrough deviation (mm)' },
    'input.record_agreement.requirements': { zh: '有关要求', en: 'Requirements' },
    'input.record_agreement.meetingDate': { zh: '业务会日期', en: 'Meeting date' },
    'view.latest.record_agreement.deviationMm': { zh: '商定贯通偏差', en: 'Agreed deviation' },
    'view.latest.record_agreement.requirements': { zh: '商定要求', en: 'Agreed requirements' },
    'task.draft': { zh: '待我提供图纸', en: 'To send the drawings' },
    'task.awaiting_receipt': { zh: '待我签收', en: 'To sign for' },
    'task.reviewing': { zh: '待我记录商定偏差', en: 'To record the agreed deviation' },
    'state.draft': { zh: '草稿', en: 'Draft' },
    'state.sent': { zh: '已提供', en: 'Sent' },
    'state.closed': { zh: '已商定', en: 'Agreed' },
    'state.withdrawn': { zh: '已撤回', en: 'Withdrawn' },
    'state.pending': { zh: '待提供', en: 'Not yet sent' },
    'state.awaiting_receipt': { zh: '待签收', en: 'Awaiting receipt' },
    'state.reviewing': { zh: '审核中，待商定', en: 'Under review, to agree' },
    'state.cancelled': { zh: '已取消', en: 'Cancelled' },
    'action.send': { zh: '提供图纸', en: 'Send the drawings' },
    'action.withdraw': { zh: '撤回', en: 'Withdraw' },
    'action.receive': { zh: '签收', en: 'Sign for them' },
    'action.record_agreement': { zh: '记录商定偏差', en: 'Record the agreement' },
    'clock.agree': { zh: '商定期限（施工前）', en: 'To agree before the work' },
  },
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter' },
    { code: 'sent', level: 'case' },
    { code: 'closed', level: 'case', final: true },
    { code: 'withdrawn', level: 'case', final: true },
    { code: 'pending', level: 'part' },
    { code: 'awaiting_receipt', level: 'part', awaits: 'receiver' },
    { code: 'reviewing', level: 'part', awaits: 'receiver' },
    { code: 'closed', level: 'part', final: true },
    { code: 'cancelled', level: 'part', final: true },
  ],
  transitions,
  clocks: [
    {
      code: 'agree',
      level: 'part',
      // Agreed before the work starts: by the end of the last working day before the work date (国庆 skipped).
      rule: {
        kind: 'relative',
        anchor: { from: 'fields', field: 'workDate' },
        direction: 'before',
        amount: { value: 1, source: 'seed article 2 一.4: 以便保证地测专业有足够的审核、准备时间 — agreed before the work starts (the working day before)' },
        unit: 'workingDays',
      },
      remindBefore: 'cases.reminderWorkingHours',
      awaits: 'receiver',
      onExpiry: [{ kind: 'markOverdue' }, { kind: 'notify', to: ['receiver', 'drafter', 'signing_leader'], message: 'wd.agree_overdue' }],
    },
  ],
};
