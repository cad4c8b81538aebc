import { z } from 'zod';
import { ui } from '../../../../contracts/cases.js';
import type { CaseTypeDef, TransitionDef } from '../engine/definition.js';

/**
 * 异常汇报 / 故障报告 — seed article 1 (热电厂发电部 工作联系汇报制度) 5.3.3–5.3.4:
 * - an anomaly (异常现象) is reported to the 发电部 specialist (专业主管) and safety officer (安全员)
 *   within 24 hours (5.3.3);
 * - after a fault (故障), the shift leader (值长) or team leader (班长) files a fault report with the
 *   发电部 within 24 hours (5.3.4).
 * Both count 24 hours from the time it happened (a field of the report), not from when it was written:
 * the clock runs until each person reported to acknowledges the report, and a report that reaches
 * them late marks their part overdue and tells the reporter, them and the office.
 *
 * Routed up the reporting chain (逐级汇报, issue 9 §2), not to a unit the reporter picks: each person
 * reported to is a person part, resolved from the reporter's way up when the report is drafted or
 * edited —
 * - an anomaly: the nearest specialist (专业主管) and the nearest safety officer (安全员) in the
 *   reporter's unit or above it (their role codes are the policies roles.specialist, roles.safetyOfficer);
 * - a fault: the chain above the reporter up to the department head (rank 40, 单位负责人): a team
 *   leader's goes to the shift leader and the head, a shift leader's to the head.
 * Nobody to report to (the post is not filled above the reporter) is refused naming the kind.
 *
 * The 24-hour clock starts when the report is sent, not when its draft is created (`startOn: 'create'`):
 * a draft may be saved without the time of the occurrence (issue 8) and edited until it is sent, so the
 * time the clock counts from is fixed only then. The deadline is the same either way (anchored on the
 * field); a report sent after it is late at once.
 */

const Note = z.string().trim().max(2000).optional();
const Reason = z.string().trim().min(2).max(2000);

export const INCIDENT_KINDS = ['anomaly', 'fault'] as const;

export const IncidentReportFields = z.strictObject({
  title: z.string().trim().min(2).max(200),
  /** anomaly: 异常汇报 (5.3.3); fault: 故障报告 (5.3.4). */
  kind: z.enum(INCIDENT_KINDS),
  /** When it happened: the 24 hours count from here. */
  occurredAt: z.iso.datetime({ offset: true }).meta(ui({ notAfter: 'endOfToday', initial: 'now' })),
  /** The equipment or system concerned (设备). */
  equipment: z.string().trim().min(1).max(200),
  /** What happened, what was seen. */
  body: z.string().trim().min(2).max(10_000),
  /** What was done about it so far (处理情况). */
  measures: z.string().trim().max(5000).optional(),
});
export type IncidentReportFields = z.infer<typeof IncidentReportFields>;

const transitions: TransitionDef[] = [
  {
    action: 'report',
    level: 'case',
    from: ['draft'],
    to: 'reported',
    by: ['drafter', 'initiator'],
    partsTo: 'awaiting_ack',
    startClocks: ['report'],
    notify: [{ to: ['receiver'], message: 'ir.reported' }],
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
    stopClocks: ['report'],
    notify: [{ to: ['drafter'], message: 'af.acknowledged' }],
  },
];

/** The department head's rank in the reporting chain (DEFAULT_ROLES unit_head): where a fault report stops. */
const DEPARTMENT_HEAD_RANK = 40;

export const incidentReport: CaseTypeDef = {
  code: 'incident_report',
  // 2: routed up the reporting chain to persons (issue 9 §2); version 1 named a receiving unit.
  version: 2,
  numberPrefix: 'YCHB',
  nameZh: '异常汇报/故障报告',
  nameEn: 'Anomaly or fault report',
  fields: IncidentReportFields,
  initialState: 'draft',
  initialPartState: 'pending',
  closedState: 'closed',
  closeWhenAllPartsIn: ['closed', 'cancelled'],
  editableIn: ['draft'],
  roles: {
    specialist: { kind: 'chain', above: 'drafter', pick: { kind: 'firstWithRole', role: { policy: 'roles.specialist' } } },
    safety_officer: { kind: 'chain', above: 'drafter', pick: { kind: 'firstWithRole', role: { policy: 'roles.safetyOfficer' } } },
    chain_to_head: { kind: 'chain', above: 'drafter', pick: { kind: 'upToRank', rank: DEPARTMENT_HEAD_RANK } },
  },
  bind: (f) => {
    const x = f as Partial<IncidentReportFields>;
    return {
      title: x.title ?? '',
      dueDate: null,
      signingLeaderPersonId: null,
      receivers:
        x.kind === 'anomaly'
          ? [
              { peopleInRole: 'specialist', role: 'main', field: 'kind' },
              { peopleInRole: 'safety_officer', role: 'main', field: 'kind' },
            ]
          : x.kind === 'fault'
            ? [{ peopleInRole: 'chain_to_head', role: 'main', field: 'kind' }]
            : [],
    };
  },
  labels: {
    'field.title': { zh: '标题', en: 'Subject' },
    'field.kind': { zh: '汇报类型', en: 'Kind of report' },
    'enum.kind.anomaly': { zh: '异常汇报', en: 'Anomaly report' },
    'enum.kind.fault': { zh: '故障报告', en: 'Fault report' },
    'field.occurredAt': { zh: '发生时间', en: 'Occurred at' },
    'field.equipment': { zh: '设备/系统', en: 'Equipment or system' },
    'field.body': { zh: '异常或故障情况', en: 'What happened' },
    'field.measures': { zh: '处理情况', en: 'What was done' },
    // The parts are the people reported to (person parts), not receiving units.
    'section.parts': { zh: '汇报对象', en: 'Reported to' },
    'role.specialist': { zh: '专业主管', en: 'specialist' },
    'role.safety_officer': { zh: '安全员', en: 'safety officer' },
    'role.chain_to_head': { zh: '上级（逐级至部门负责人）', en: 'superior (up the chain to the department head)' },
    'hint.report': {
      zh: '须在发生后24小时内汇报（以制度参数为准），由汇报对象逐一确认收到。',
      en: 'Due within 24 hours of the occurrence (per policy); each person reported to acknowledges it.',
    },
    'hint.withdraw': { zh: '撤回后汇报作废，不能恢复。', en: 'A withdrawn report is void and cannot be restored.' },
    'input.acknowledge.note': { zh: '处理意见（可不填）', en: 'Comment (optional)' },
    'task.draft': { zh: '待我汇报', en: 'To report' },
    'task.awaiting_ack': { zh: '待我确认收到', en: 'To acknowledge' },
    'state.draft': { zh: '草稿', en: 'Draft' },
    'state.reported': { zh: '已汇报', en: 'Reported' },
    'state.closed': { zh: '已确认收到', en: 'Acknowledged' },
    'state.withdrawn': { zh: '已撤回', en: 'Withdrawn' },
    'state.pending': { zh: '待汇报', en: 'Not yet reported' },
    'state.awaiting_ack': { zh: '待确认收到', en: 'Awaiting acknowledgment' },
    'state.cancelled': { zh: '已取消', en: 'Cancelled' },
    'action.report': { zh: '汇报', en: 'Report' },
    'action.withdraw': { zh: '撤回', en: 'Withdraw' },
    'action.acknowledge': { zh: '确认收到', en: 'Acknowledge' },
    'clock.report': { zh: '汇报期限（发生后24小时内）', en: 'Report deadline (24 hours after the occurrence)' },
  },
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter' },
    { code: 'reported', level: 'case' },
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
      code: 'report',
      level: 'part',
      rule: {
        kind: 'relative',
        anchor: { from: 'fields', field: 'occurredAt' },
        direction: 'after',
        amount: { policy: 'incident.reportHours' },
        unit: 'hours',
      },
      remindBefore: 'cases.reminderWorkingHours',
      awaits: 'receiver',
      onExpiry: [{ kind: 'markOverdue' }, { kind: 'notify', to: ['drafter', 'receiver', 'office'], message: 'ir.overdue' }],
    },
  ],
};
