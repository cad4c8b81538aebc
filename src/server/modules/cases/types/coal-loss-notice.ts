import { z } from 'zod';
import { ui } from '../../../../contracts/cases.js';
import type { CaseTypeDef, TransitionDef } from '../engine/definition.js';

/**
 * 预防丢煤通知单 — seed article 2 (地测 工作联系制度) 三.1: the survey department's measurements of a
 * coal face's floating coal (浮煤) and pillars (煤柱) are what count; when they break the design, the
 * survey head (地测主管) sends a coal loss prevention notice to the coal face team (采煤队) at once and
 * reports to the chief engineer (总工程师). The team acknowledges it like any notice (notice.ts: within
 * `notice.acknowledgeHours`); the chief engineer named on it is told when it goes out and when it is
 * not acknowledged in time.
 */

const Id = z.number().int().positive();
const Note = z.string().trim().max(2000).optional();
const Reason = z.string().trim().min(2).max(2000);
const Meters = z
  .number()
  .min(0)
  .max(10_000)
  .meta(ui({ step: 0.1, unit: 'm' }));

export const CoalLossNoticeFields = z
  .strictObject({
    title: z.string().trim().min(2).max(200),
    /** The coal face (回采工作面). */
    face: z.string().trim().min(1).max(200),
    /** What was measured: a pillar's size or floating coal left behind. */
    measured: z.enum(['pillar', 'floating_coal']),
    /** The design value and the survey department's measurement. */
    designMeters: Meters,
    measuredMeters: Meters,
    /** What breaks the design and what the team must do. */
    body: z.string().trim().min(2).max(10_000),
    /** The coal face team (采煤队). */
    receiverUnitId: Id.meta(ui({ widget: 'receiverUnit' })),
    /** 总工程师, reported to (并向总工程师汇报). */
    chiefEngineerPersonId: Id.meta(ui({ widget: 'signingLeader' })),
  })
  .superRefine((f, ctx) => {
    // A notice only where the measurement breaks the design.
    if (f.measuredMeters === f.designMeters) ctx.addIssue({ code: 'custom', path: ['measuredMeters'], message: 'invalid' });
  });
export type CoalLossNoticeFields = z.infer<typeof CoalLossNoticeFields>;

const transitions: TransitionDef[] = [
  {
    action: 'issue',
    level: 'case',
    from: ['draft'],
    to: 'issued',
    by: ['drafter', 'initiator'],
    partsTo: 'awaiting_ack',
    startClocks: ['acknowledge'],
    notify: [
      { to: ['receiver'], message: 'pc.issued' },
      { to: ['signing_leader'], message: 'pc.reported_to_chief' },
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
    action: 'acknowledge',
    level: 'part',
    from: ['awaiting_ack'],
    to: 'closed',
    by: ['receiver'],
    input: z.strictObject({ note: Note }),
    stopClocks: ['acknowledge'],
    notify: [{ to: ['drafter', 'signing_leader'], message: 'af.acknowledged' }],
  },
];

export const coalLossNotice: CaseTypeDef = {
  code: 'coal_loss_notice',
  version: 1,
  numberPrefix: 'FDM',
  nameZh: '预防丢煤通知单',
  nameEn: 'Coal loss prevention notice',
  fields: CoalLossNoticeFields,
  initialState: 'draft',
  initialPartState: 'pending',
  closedState: 'closed',
  closeWhenAllPartsIn: ['closed', 'cancelled'],
  editableIn: ['draft'],
  bind: (f) => {
    const x = f as Partial<CoalLossNoticeFields>;
    return {
      title: x.title ?? '',
      dueDate: null,
      signingLeaderPersonId: x.chiefEngineerPersonId ?? null,
      receivers: x.receiverUnitId ? [{ unitId: x.receiverUnitId, role: 'main', field: 'receiverUnitId' }] : [],
      fieldOf: { signingLeaderPersonId: 'chiefEngineerPersonId' },
    };
  },
  labels: {
    'field.title': { zh: '标题', en: 'Subject' },
    'field.face': { zh: '回采工作面', en: 'Coal face' },
    'field.measured': { zh: '丈量项目', en: 'Measured' },
    'enum.measured.pillar': { zh: '煤柱尺寸', en: 'Pillar size' },
    'enum.measured.floating_coal': { zh: '浮煤', en: 'Floating coal' },
    'field.designMeters': { zh: '设计规定（米）', en: 'Design (m)' },
    'field.measuredMeters': { zh: '地测丈量（米）', en: 'Measured by survey (m)' },
    'field.body': { zh: '不符合情况及要求', en: 'What breaks the design, what to do' },
    'field.receiverUnitId': { zh: '采煤队', en: 'Coal face team' },
    'field.chiefEngineerPersonId': { zh: '汇报总工程师', en: 'Chief engineer reported to' },
    'hint.issue': {
      zh: '发出后采煤队须在规定时间内确认收到，并同时向总工程师汇报。',
      en: 'Once issued the coal face team must acknowledge it in time; the chief engineer is told.',
    },
    'hint.withdraw': { zh: '撤回后通知单作废，不能恢复。', en: 'A withdrawn notice is void and cannot be restored.' },
    'input.acknowledge.note': { zh: '整改措施（可不填）', en: 'What the team will do (optional)' },
    'task.draft': { zh: '待我发出', en: 'To issue' },
    'task.awaiting_ack': { zh: '待我确认收到', en: 'To acknowledge' },
    'state.draft': { zh: '草稿', en: 'Draft' },
    'state.issued': { zh: '已发出', en: 'Issued' },
    'state.closed': { zh: '已确认收到', en: 'Acknowledged' },
    'state.withdrawn': { zh: '已撤回', en: 'Withdrawn' },
    'state.pending': { zh: '待发出', en: 'Not yet issued' },
    'state.awaiting_ack': { zh: '待确认收到', en: 'Awaiting acknowledgment' },
    'state.cancelled': { zh: '已取消', en: 'Cancelled' },
    'action.issue': { zh: '发出', en: 'Issue' },
    'action.withdraw': { zh: '撤回', en: 'Withdraw' },
    'action.acknowledge': { zh: '确认收到', en: 'Acknowledge' },
    'clock.acknowledge': { zh: '确认收到期限', en: 'Acknowledgment deadline' },
  },
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter' },
    { code: 'issued', level: 'case' },
    { code: 'closed', level: 'case', final: true },
    { code: 'withdrawn', level: 'case', final: true },
    { code: 'pending', level: 'part' },
    { code: 'awaiting_ack', level: 'part', awaits: 'receiver' },
    { code: 'closed', level: 'part', final: true },
    { code: 'cancelled', level: 'part', final: true },
  ],
  transitions,
  clocks: [
    {
      code: 'acknowledge',
      level: 'part',
      rule: { kind: 'hours', policy: 'notice.acknowledgeHours' },
      remindBefore: 'cases.reminderWorkingHours',
      awaits: 'receiver',
      onExpiry: [{ kind: 'markOverdue' }, { kind: 'notify', to: ['receiver', 'drafter', 'office', 'signing_leader'], message: 'pc.ack_overdue' }],
    },
  ],
};
