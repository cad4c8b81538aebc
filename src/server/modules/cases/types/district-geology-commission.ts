import { z } from 'zod';
import { ui } from '../../../../contracts/cases.js';
import { type Calendar, deadlineRelative, localDate } from '../../calendar/core.js';
import type { CaseTypeDef, GuardFailure, PolicyNumbers, TransitionDef } from '../engine/definition.js';
import { commissionLetter } from './commission-letter.js';

/**
 * 采区地质说明书委托书 — seed article 2 (地测 工作联系制度) 一.1: the district geological report a
 * district design needs (采区设计所需采区地质说明书) is commissioned by letter two years before the
 * design (在设计前两年提交委托书).
 *
 * A commission letter in all but its term, so it takes the letter's signing chain (部长, then 总工程师,
 * then the commissioned unit signs for it) and its names. It is its own type rather than a fourth
 * report kind of `commission_letter` because that type keeps its own web component (its paper layout,
 * `CommissionLetterItems.tsx`, with the kinds listed by hand): this one has no web code of its own and
 * is drawn from `GET /case-types` (issue 9 §9).
 * - The latest day to submit it: `commission.districtLeadYears` (2) years before the design date, moved
 *   to the previous working day when that is a holiday; later it is refused unless marked urgent with
 *   a reason (as a late work notice, notice.ts).
 * - The report is due by the end of the last working day before the design date, counted from receipt.
 */

const Id = z.number().int().positive();
const Note = z.string().trim().max(2000).optional();
const Reason = z.string().trim().min(2).max(2000);

export const DistrictGeologyCommissionFields = z
  .strictObject({
    title: z.string().trim().min(2).max(200),
    /** The mining district (采区) to be designed. */
    district: z.string().trim().min(1).max(200),
    body: z.string().trim().min(2).max(10_000),
    /** When the district design starts (采区设计日期). */
    designDate: z.iso.date(),
    receiverUnitId: Id.meta(ui({ widget: 'receiverUnit' })),
    departmentHeadPersonId: Id.meta(ui({ widget: 'signingLeader', signedBy: 'head_sign' })),
    chiefEngineerPersonId: Id.meta(ui({ widget: 'signingLeader', signedBy: 'chief_sign' })),
    urgent: z.boolean().optional(),
    urgentReason: Reason.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.urgent && !f.urgentReason) ctx.addIssue({ code: 'custom', path: ['urgentReason'], message: 'required' });
    if (f.departmentHeadPersonId === f.chiefEngineerPersonId) ctx.addIssue({ code: 'custom', path: ['chiefEngineerPersonId'], message: 'invalid' });
  });
export type DistrictGeologyCommissionFields = z.infer<typeof DistrictGeologyCommissionFields>;

function policy(policies: PolicyNumbers, key: string): number {
  const v = policies[key];
  if (v === undefined) throw new Error(`policy ${key} not loaded`);
  return v;
}

/** The last day the letter may be submitted: N years before the design date, on a working day (earlier when that is a holiday). */
export function latestCommissionDate(cal: Calendar, designDate: string, policies: PolicyNumbers): string {
  const r = deadlineRelative(cal, {
    anchor: { date: designDate },
    ref: 'fields.designDate',
    direction: 'before',
    n: policy(policies, 'commission.districtLeadYears'),
    unit: 'years',
    policy: 'commission.districtLeadYears',
    nonWorkingDay: 'previous',
  });
  return localDate(r.deadline, cal.timeZone);
}

/** The letter's own transitions, as they are, except submitting (checked against the lead time) and the kinds' receipts and rework. */
const shared = commissionLetter.transitions.filter((t) => ['head_sign', 'chief_sign', 'send_back', 'withdraw', 'progress', 'accept'].includes(t.action));

const transitions: TransitionDef[] = [
  {
    action: 'submit',
    level: 'case',
    from: ['draft'],
    to: 'head_signing',
    by: ['drafter', 'initiator'],
    guard: (g): GuardFailure | null => {
      const f = g.snapshot.fields;
      if (f.urgent === true) return null;
      const designDate = String(f.designDate);
      const latest = latestCommissionDate(g.cal, designDate, g.policies);
      if (localDate(g.now, g.cal.timeZone) <= latest) return null;
      return { key: 'COMMISSION_TOO_LATE', params: { designDate, years: policy(g.policies, 'commission.districtLeadYears'), latest } };
    },
    notify: [{ to: ['approver'], message: 'cl.submitted' }],
  },
  ...shared,
  {
    action: 'receive',
    level: 'part',
    from: ['awaiting_receipt'],
    to: 'in_progress',
    by: ['receiver'],
    input: z.strictObject({ handlerPersonId: Id.meta(ui({ widget: 'partMember' })), note: Note }),
    setPart: { handlerPersonId: 'handlerPersonId' },
    membersOfPartUnit: ['handlerPersonId'],
    stopClocks: ['receipt'],
    startClocks: ['deliver'],
    notify: [{ to: ['drafter', 'handler'], message: 'cl.received' }],
  },
  {
    action: 'deliver',
    level: 'part',
    from: ['in_progress'],
    to: 'delivered',
    by: ['receiver', 'handler'],
    input: z.strictObject({ result: z.string().trim().min(2).max(10_000) }),
    stopClocks: ['deliver'],
    notify: [{ to: ['drafter'], message: 'cl.delivered' }],
  },
  {
    action: 'return',
    level: 'part',
    from: ['delivered'],
    to: 'in_progress',
    by: ['drafter', 'initiator'],
    input: z.strictObject({ reason: Reason }).meta(ui({ danger: true })),
    startClocks: ['deliver'],
    notify: [{ to: ['receiver', 'handler'], message: 'cl.returned' }],
  },
];

const receipt = commissionLetter.clocks.find((c) => c.code === 'receipt');
if (!receipt) throw new Error('commission_letter: receipt clock');

export const districtGeologyCommission: CaseTypeDef = {
  ...commissionLetter,
  code: 'district_geology_commission',
  numberPrefix: 'CQWT',
  nameZh: '采区地质说明书委托书',
  nameEn: 'District geological report commission',
  fields: DistrictGeologyCommissionFields,
  policies: ['commission.districtLeadYears'],
  bind: (f) => {
    const x = f as Partial<DistrictGeologyCommissionFields>;
    const named = [
      { field: 'departmentHeadPersonId', personId: x.departmentHeadPersonId, roles: ['unit_head', 'leader'] },
      { field: 'chiefEngineerPersonId', personId: x.chiefEngineerPersonId, roles: ['leader'] },
    ];
    return {
      title: x.title ?? '',
      dueDate: x.designDate ?? null,
      signingLeaderPersonId: x.chiefEngineerPersonId ?? null,
      receivers: x.receiverUnitId ? [{ unitId: x.receiverUnitId, role: 'main', field: 'receiverUnitId' }] : [],
      named: named.flatMap((n) => (n.personId ? [{ ...n, personId: n.personId }] : [])),
      fieldOf: { dueDate: 'designDate' },
    };
  },
  labels: {
    ...Object.fromEntries(
      Object.entries(commissionLetter.labels).filter(([k]) => !k.startsWith('clock.deliver_') && !k.includes('reportKind') && k !== 'field.dueDate'),
    ),
    'field.district': { zh: '采区', en: 'Mining district' },
    'field.body': { zh: '委托内容（采区设计所需地质资料）', en: 'What the district design needs' },
    'field.designDate': { zh: '采区设计日期', en: 'District design date' },
    'field.urgent': { zh: '紧急', en: 'Urgent' },
    'field.urgentReason': { zh: '紧急原因', en: 'Why urgent' },
    'hint.submit': {
      zh: '须在采区设计前两年提交委托书（以制度参数为准）；提交后依次由部长、总工程师签字。',
      en: 'Due two years before the district design (per policy); the department head and then the chief engineer sign.',
    },
    'input.return.reason': { zh: '退回原因', en: 'Why returned' },
    'clock.deliver': { zh: '采区地质说明书提交期限（设计日期前）', en: 'District geological report (before the design date)' },
  },
  transitions,
  clocks: [
    receipt,
    {
      code: 'deliver',
      level: 'part',
      rule: {
        kind: 'relative',
        anchor: { from: 'fields', field: 'designDate' },
        direction: 'before',
        amount: { value: 1, source: 'seed article 2 一.1: 采区设计所需采区地质说明书 — the report is there before the design starts (the working day before)' },
        unit: 'workingDays',
      },
      remindBefore: 'cases.reminderWorkingHours',
      awaits: 'handler',
      onExpiry: [{ kind: 'markOverdue' }, { kind: 'notify', to: ['handler', 'receiver', 'drafter', 'signing_leader'], message: 'cl.deliver_overdue' }],
    },
  ],
};
