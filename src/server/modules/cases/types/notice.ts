import { z } from 'zod';
import { ui } from '../../../../contracts/cases.js';
import { addDays, localDate } from '../../calendar/core.js';
import type { BranchContext, CaseTypeDef, GuardFailure, PolicyNumbers, TransitionDef } from '../engine/definition.js';

/**
 * 通知单 — seed article 2 (地测 工作联系制度 二), DOMAIN.md §3 "related forms": notices the receiving
 * units must acknowledge (确认收到).
 * - 开工/停工/复工通知单: the production unit gives them 3 days before the work (二.1); a later one is
 *   refused unless marked urgent with a reason.
 * - 危险区通知单: before a heading enters a danger zone, at the prescribed safe distance (二.3).
 * - 贯通通知单: two headings approaching each other; the survey department records measured distances,
 *   and the one at or below 20 m in coal (15 m in rock) issues the notice; after it is acknowledged
 *   one heading stops (二.4).
 */

const Id = z.number().int().positive();
const Text = z.string().trim().min(1).max(200);
const Note = z.string().trim().max(2000).optional();
const Reason = z.string().trim().min(2).max(2000);

export const WORK_KINDS = ['work_start', 'work_stop', 'work_resume'] as const;
export const NOTICE_KINDS = [...WORK_KINDS, 'danger_zone', 'breakthrough'] as const;

const common = {
  title: z.string().trim().min(2).max(200),
  body: z.string().trim().min(2).max(10_000),
  receiverUnitIds: z
    .array(Id.meta(ui({ widget: 'receiverUnit' })))
    .min(1)
    .max(20)
    .refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate_unit' }),
  /** 主管领导, told when the notice goes out (a major safety question, 二.3). */
  leaderPersonId: Id.meta(ui({ widget: 'signingLeader' })).optional(),
};

const WorkNotice = z
  .strictObject({
    ...common,
    kind: z.enum(WORK_KINDS),
    /**
     * Where the work starts, stops or resumes: a roadway (巷道) in a mine, any site elsewhere. Optional:
     * the coal-mine fields belong to the kinds that need them (issue 8, first use 9); only the danger
     * zone names its roadway, and a breakthrough its two headings.
     */
    roadway: Text.optional(),
    workDate: z.iso.date(),
    /** Given later than the lead time: only when marked urgent, with the reason. */
    urgent: z.boolean().optional(),
    urgentReason: Reason.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.urgent && !f.urgentReason) ctx.addIssue({ code: 'custom', path: ['urgentReason'], message: 'required' });
  });

const DangerZoneNotice = z.strictObject({
  ...common,
  kind: z.literal('danger_zone'),
  roadway: Text,
  /** The danger ahead: old workings (老空), an aquifer, a water-conducting fault… */
  zone: z.string().trim().min(2).max(2000),
  safeDistanceMeters: z.number().min(0).max(10_000).optional(),
});

const BreakthroughNotice = z
  .strictObject({
    ...common,
    kind: z.literal('breakthrough'),
    /** The two headings driven towards each other. */
    headingA: Text,
    headingB: Text,
    strata: z.enum(['coal', 'rock']),
    /** The distance between the two heads when the notice was drafted (m). */
    distanceMeters: z.number().min(0).max(100_000),
  })
  .superRefine((f, ctx) => {
    if (f.headingA === f.headingB) ctx.addIssue({ code: 'custom', path: ['headingB'], message: 'invalid' });
  });

export const NoticeFields = z.discriminatedUnion('kind', [WorkNotice, DangerZoneNotice, BreakthroughNotice]);
export type NoticeFields = z.infer<typeof NoticeFields>;

type Kind = (typeof NOTICE_KINDS)[number];
const kindOf = (s: { fields: Record<string, unknown> }) => s.fields.kind as Kind;
const isBreakthrough = (s: { fields: Record<string, unknown> }) => kindOf(s) === 'breakthrough';
const notBreakthrough = (s: { fields: Record<string, unknown> }) => kindOf(s) !== 'breakthrough';
const isWork = (kind: Kind) => (WORK_KINDS as readonly string[]).includes(kind);

function policy(policies: PolicyNumbers, key: string): number {
  const v = policies[key];
  if (v === undefined) throw new Error(`policy ${key} not loaded`);
  return v;
}

/** Two heads this close or closer need a breakthrough notice: 20 m in coal, 15 m in rock (policy). */
export function breakthroughThreshold(fields: Record<string, unknown>, policies: PolicyNumbers): number {
  return policy(policies, fields.strata === 'rock' ? 'notice.breakthroughRockMeters' : 'notice.breakthroughCoalMeters');
}
const within = (b: BranchContext) => Number(b.input.distanceMeters) <= breakthroughThreshold(b.snapshot.fields, b.policies);

/** The last day a work notice may go out: the lead time before the work date. */
export function latestIssueDate(workDate: string, policies: PolicyNumbers): string {
  return addDays(workDate, -policy(policies, 'notice.workStartLeadDays'));
}

const MeasureInput = z.strictObject({
  distanceMeters: z
    .number()
    .min(0)
    .max(100_000)
    .meta(ui({ step: 0.5, unit: 'm' })),
  note: Note,
});

const issues = {
  partsTo: 'awaiting_ack',
  startClocks: ['acknowledge'],
  newRevision: true,
  notify: [
    { to: ['receiver'], message: 'nt.issued' },
    { to: ['signing_leader'], message: 'nt.issued_to_leader' },
  ],
} as const satisfies Partial<TransitionDef>;

const transitions: TransitionDef[] = [
  {
    action: 'issue',
    level: 'case',
    from: ['draft'],
    to: 'issued',
    by: ['drafter', 'initiator'],
    onlyIf: notBreakthrough,
    guard: (g): GuardFailure | null => {
      const f = g.snapshot.fields;
      if (!isWork(kindOf(g.snapshot)) || f.urgent === true) return null;
      const workDate = String(f.workDate);
      const latest = latestIssueDate(workDate, g.policies);
      if (localDate(g.now, g.cal.timeZone) <= latest) return null;
      return { key: 'NOTICE_TOO_LATE', params: { workDate, days: policy(g.policies, 'notice.workStartLeadDays'), latest } };
    },
    ...issues,
  },
  // A breakthrough notice goes out when a measured distance reaches the threshold; farther off it is only recorded.
  {
    action: 'measure',
    level: 'case',
    from: ['draft', 'monitoring'],
    to: 'issued',
    by: ['drafter', 'initiator'],
    onlyIf: isBreakthrough,
    input: MeasureInput,
    when: within,
    ...issues,
    notify: [
      { to: ['receiver'], message: 'nt.breakthrough_issued' },
      { to: ['signing_leader'], message: 'nt.breakthrough_issued' },
    ],
  },
  {
    action: 'measure',
    level: 'case',
    from: ['draft', 'monitoring'],
    to: 'monitoring',
    by: ['drafter', 'initiator'],
    onlyIf: isBreakthrough,
    input: MeasureInput,
    when: (b) => !within(b),
  },
  {
    action: 'withdraw',
    level: 'case',
    from: ['draft', 'monitoring'],
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
    onlyIf: notBreakthrough,
    input: z.strictObject({ note: Note }),
    stopClocks: ['acknowledge'],
    notify: [{ to: ['drafter'], message: 'nt.acknowledged' }],
  },
  {
    action: 'acknowledge',
    level: 'part',
    from: ['awaiting_ack'],
    to: 'acknowledged',
    by: ['receiver'],
    onlyIf: isBreakthrough,
    input: z.strictObject({ note: Note }),
    stopClocks: ['acknowledge'],
    notify: [{ to: ['drafter'], message: 'nt.acknowledged' }],
  },
  {
    action: 'stop_heading',
    level: 'part',
    from: ['acknowledged'],
    to: 'heading_stopped',
    by: ['receiver'],
    onlyIf: isBreakthrough,
    input: z.strictObject({ heading: z.enum(['A', 'B']).meta(ui({ optionLabelField: 'heading{value}' })), note: Note }).meta(ui({ danger: true })),
    // One heading stops once every receiving unit has the notice.
    guard: (g) => {
      const waiting = g.snapshot.parts.filter((p) => p.state === 'awaiting_ack');
      if (waiting.length === 0) return null;
      return { key: 'NOT_ALL_ACKNOWLEDGED', params: { count: waiting.length } };
    },
    caseTo: 'heading_stopped',
    otherPartsTo: 'closed',
    notify: [{ to: ['drafter', 'signing_leader', 'receiver'], message: 'nt.heading_stopped' }],
  },
];

export const notice: CaseTypeDef = {
  code: 'notice',
  version: 1,
  numberPrefix: 'TZD',
  nameZh: '通知单',
  nameEn: 'Notice',
  fields: NoticeFields,
  initialState: 'draft',
  initialPartState: 'pending',
  closedState: 'closed',
  closeWhenAllPartsIn: ['closed', 'cancelled'],
  editableIn: ['draft'],
  policies: ['notice.workStartLeadDays', 'notice.breakthroughCoalMeters', 'notice.breakthroughRockMeters'],
  // A draft may be unfinished (issue 8): what is missing binds to nothing.
  bind: (f) => {
    const x = f as Partial<NoticeFields> & { workDate?: string };
    return {
      title: x.title ?? '',
      dueDate: x.kind === 'work_start' || x.kind === 'work_stop' || x.kind === 'work_resume' ? (x.workDate ?? null) : null,
      signingLeaderPersonId: x.leaderPersonId ?? null,
      receivers: (x.receiverUnitIds ?? []).map((unitId, i) => ({ unitId, role: 'main' as const, field: `receiverUnitIds.${i}` })),
      fieldOf: { dueDate: 'workDate', signingLeaderPersonId: 'leaderPersonId' },
    };
  },
  labels: {
    // The fields, for the forms and the field view the web builds from the schema (issue 9 §1).
    'field.kind': { zh: '通知类型', en: 'Kind of notice' },
    'enum.kind.work_start': { zh: '开工通知单', en: 'Work start notice' },
    'enum.kind.work_stop': { zh: '停工通知单', en: 'Work stop notice' },
    'enum.kind.work_resume': { zh: '复工通知单', en: 'Work resumption notice' },
    'enum.kind.danger_zone': { zh: '危险区通知单', en: 'Danger zone notice' },
    'enum.kind.breakthrough': { zh: '贯通通知单', en: 'Breakthrough notice' },
    'field.title': { zh: '标题', en: 'Subject' },
    'field.body': { zh: '通知内容', en: 'Notice' },
    'field.receiverUnitIds': { zh: '收文单位', en: 'Units notified' },
    'field.leaderPersonId': { zh: '主管领导', en: 'Leader in charge' },
    'field.roadway': { zh: '施工地点', en: 'Site' },
    'field.danger_zone.roadway': { zh: '巷道', en: 'Roadway' },
    'field.workDate': { zh: '日期', en: 'Date' },
    'field.work_start.workDate': { zh: '开工日期', en: 'Start date' },
    'field.work_stop.workDate': { zh: '停工日期', en: 'Stop date' },
    'field.work_resume.workDate': { zh: '复工日期', en: 'Resumption date' },
    'field.urgent': { zh: '紧急通知', en: 'Urgent' },
    'field.urgentReason': { zh: '紧急原因', en: 'Why urgent' },
    'field.zone': { zh: '危险区情况', en: 'Danger ahead' },
    'field.safeDistanceMeters': { zh: '安全距离', en: 'Safe distance' },
    'field.headingA': { zh: '掘进头 A', en: 'Heading A' },
    'field.headingB': { zh: '掘进头 B', en: 'Heading B' },
    'field.strata': { zh: '岩性', en: 'Strata' },
    'enum.strata.coal': { zh: '煤巷', en: 'Coal' },
    'enum.strata.rock': { zh: '岩巷', en: 'Rock' },
    'field.distanceMeters': { zh: '当前两头距离', en: 'Distance between the heads' },
    'view.distanceMeters': { zh: '起草时两头距离', en: 'Distance when drafted' },
    // The latest value an action recorded, shown with the fields: 最近测量 26.5 米（时间）.
    'view.latest.measure.distanceMeters': { zh: '最近测量', en: 'Last measured' },
    // What each action's dialog says and asks (the web builds it from the input's schema).
    'hint.issue': { zh: '发出后各收文单位须在规定时间内确认收到。', en: 'Once issued, each unit notified must acknowledge it in time.' },
    'hint.withdraw': { zh: '撤回后通知单作废，不能恢复。', en: 'A withdrawn notice is void and cannot be restored.' },
    'hint.measure': {
      zh: '距离到贯通通知距离以内（煤巷 20 m、岩巷 15 m，以制度参数为准）时通知单随即发出，否则只记录这次测量。',
      en: 'Within the breakthrough distance (20 m in coal, 15 m in rock, per policy) the notice goes out at once; farther off the measurement is only recorded.',
    },
    'hint.stop_heading': { zh: '所有收文单位确认收到后，停止其中一头掘进。', en: 'Once every unit has acknowledged, one of the headings stops.' },
    'input.measure.distanceMeters': { zh: '两头距离（米）', en: 'Distance between the heads (m)' },
    'input.stop_heading.heading': { zh: '停止掘进的一头', en: 'Heading to stop' },
    // What the inbox says I must do in each state (issue 8): "待我签收 · 剩 1天".
    'task.draft': { zh: '待我发出', en: 'To issue' },
    'task.monitoring': { zh: '待我录入距离', en: 'To record the distance' },
    'task.awaiting_ack': { zh: '待我确认收到', en: 'To acknowledge' },
    'task.acknowledged': { zh: '待我停头', en: 'To stop a heading' },
    'state.draft': { zh: '草稿', en: 'Draft' },
    'state.monitoring': { zh: '贯通测量中', en: 'Measuring the approach' },
    'state.issued': { zh: '已发出', en: 'Issued' },
    'state.closed': { zh: '已确认收到', en: 'Acknowledged' },
    'state.heading_stopped': { zh: '已停止一头掘进', en: 'One heading stopped' },
    'state.withdrawn': { zh: '已撤回', en: 'Withdrawn' },
    'state.pending': { zh: '待发出', en: 'Not yet issued' },
    'state.awaiting_ack': { zh: '待确认收到', en: 'Awaiting acknowledgment' },
    'state.acknowledged': { zh: '已确认收到，待停头', en: 'Acknowledged, a heading to stop' },
    'state.cancelled': { zh: '已取消', en: 'Cancelled' },
    'action.issue': { zh: '发出', en: 'Issue' },
    'action.measure': { zh: '录入两头距离', en: 'Record the distance' },
    'action.withdraw': { zh: '撤回', en: 'Withdraw' },
    'action.acknowledge': { zh: '确认收到', en: 'Acknowledge' },
    'action.stop_heading': { zh: '停止一头掘进', en: 'Stop one heading' },
    'clock.acknowledge': { zh: '确认收到期限', en: 'Acknowledgment deadline' },
  },
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter' },
    { code: 'monitoring', level: 'case', awaits: 'drafter' },
    { code: 'issued', level: 'case' },
    { code: 'closed', level: 'case', final: true },
    { code: 'heading_stopped', level: 'case', final: true },
    { code: 'withdrawn', level: 'case', final: true },
    { code: 'pending', level: 'part' },
    { code: 'awaiting_ack', level: 'part', awaits: 'receiver' },
    { code: 'acknowledged', level: 'part', awaits: 'receiver' },
    { code: 'closed', level: 'part', final: true },
    { code: 'heading_stopped', level: 'part', final: true },
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
      onExpiry: [{ kind: 'markOverdue' }, { kind: 'notify', to: ['receiver', 'drafter', 'office', 'signing_leader'], message: 'nt.ack_overdue' }],
    },
  ],
};
