import { describe, expect, it } from 'vitest';
import { buildCalendar, officialCalendarRows } from '../../calendar/index.js';
import { POLICIES } from '../../policy/core.js';
import type { CaseRoles, CaseSnapshot, CaseTypeDef, PartSnapshot, RelRole } from '../engine/definition.js';
import { availableActions, expiryPlan, isRefusal, type Plan, plan, type Refusal } from '../engine/machine.js';
import { caseTypeProblems } from '../engine/validate.js';
import { coalLossNotice } from './coal-loss-notice.js';
import { districtGeologyCommission, latestCommissionDate } from './district-geology-commission.js';
import { incidentReport } from './incident-report.js';
import { latestHandoverDate, workDrawings } from './work-drawings.js';

/** Pure tests of the article-1 and article-2 forms' tables (issue 9 §9): a fixed calendar, the default policies, an injected `now`. */

const cal = buildCalendar({
  timeZone: 'Asia/Shanghai',
  workdayStart: '08:30',
  workdayEnd: '17:30',
  officialYears: [2025, 2026],
  days: officialCalendarRows([2025, 2026]),
});
const DEFAULTS: Record<string, number> = Object.fromEntries(
  Object.entries(POLICIES).flatMap(([k, p]) => (typeof p.default === 'number' ? [[k, p.default] as const] : [])),
);
/** Tuesday 2026-09-29 10:00 in Shanghai. */
const NOW = new Date('2026-09-29T02:00:00.000Z');
const ALL_ROLES: RelRole[] = ['drafter', 'initiator', 'signing_leader', 'receiver', 'handler', 'office', 'supervision', 'approver'];

const snapshot = (def: CaseTypeDef, over: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
  id: 1,
  typeCode: def.code,
  state: 'draft',
  version: 1,
  revision: 0,
  fields: {},
  initiatorUnitId: 10,
  initiatorUnitPath: '/1/10/',
  drafterPersonId: 100,
  signingLeaderPersonId: 101,
  parts: [],
  clocks: [],
  missed: [],
  ...over,
});
const part = (id: number, state: string): PartSnapshot => ({
  id,
  unitId: 20 + id,
  unitPath: `/1/${20 + id}/`,
  role: 'main',
  state,
  handlerPersonId: null,
  dueDate: null,
  overdue: false,
  supervised: false,
});
const roles = (onCase: RelRole[], perPart: Record<number, RelRole[]> = {}): CaseRoles => ({
  onCase: new Set(onCase),
  onPart: new Map(Object.entries(perPart).map(([id, r]) => [Number(id), new Set([...onCase, ...r])])),
});
const run = (def: CaseTypeDef, snap: CaseSnapshot, r: CaseRoles, action: string, input?: unknown, now = NOW, partId: number | null = null) =>
  plan({ def, snap, roles: r, action, partId, input, now, cal, policies: DEFAULTS });
function ok(x: Plan | Refusal): Plan {
  if (isRefusal(x)) throw new Error(`refused: ${JSON.stringify(x)}`);
  return x;
}
function refused(x: Plan | Refusal): Refusal {
  if (!isRefusal(x)) throw new Error(`expected a refusal, got the plan for ${x.action}`);
  return x;
}
const local = (d: Date) => d.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);

describe('the article forms are well-formed case types', () => {
  it.each([districtGeologyCommission, workDrawings, coalLossNotice, incidentReport])('$code declares every state, role and clock it names', (def) => {
    expect(caseTypeProblems(def)).toEqual([]);
  });

  it.each([
    [districtGeologyCommission, { designDate: '2028-10-09', departmentHeadPersonId: 7, chiefEngineerPersonId: 8 }],
    [workDrawings, { workDate: '2026-10-20' }],
    [coalLossNotice, {}],
    [incidentReport, { occurredAt: '2026-09-29T08:00:00+08:00' }],
  ] as const)('$code: an action from a state its table does not list is refused as not in this state', (def, fields) => {
    const actions = [...new Set(def.transitions.map((t) => t.action))];
    const live = def.states.find((s) => s.level === 'case' && !s.final && !s.awaits)?.code ?? 'issued';
    for (const action of actions) {
      const partLevel = def.transitions.find((t) => t.action === action)?.level === 'part';
      for (const s of def.states.filter((x) => x.level === (partLevel ? 'part' : 'case'))) {
        const snap = partLevel ? snapshot(def, { fields, state: live, parts: [part(1, s.code)] }) : snapshot(def, { fields, state: s.code });
        const listed = def.transitions.some((t) => t.action === action && t.from.includes(s.code));
        const r = run(def, snap, roles(ALL_ROLES, { 1: [] }), action, {});
        const kind = isRefusal(r) ? r.kind : 'plan';
        if (listed) expect([action, s.code, kind]).not.toEqual([action, s.code, 'not_in_state']);
        else expect([action, s.code, kind]).toEqual([action, s.code, 'not_in_state']);
      }
    }
  });
});

describe('采区地质说明书委托书 (article 2 一.1): commissioned two years before the design', () => {
  it.each([
    // design date, latest day to submit: two years before, a holiday moves it to the working day before
    ['2028-09-30', '2026-09-30'],
    ['2028-10-03', '2026-09-30'], // 2026-10-03 is in 国庆
    ['2028-10-09', '2026-10-09'], // an ordinary Friday
  ])('design on %s: the latest day to submit is %s', (designDate, latest) => {
    expect(latestCommissionDate(cal, designDate, DEFAULTS)).toBe(latest);
  });

  it.each([
    ['2028-09-29', false, true], // the latest day to submit is today
    ['2028-09-28', false, false],
    ['2028-09-28', true, true],
    ['2028-10-20', false, true],
  ])('a letter for a design on %s (urgent: %s) may be submitted today: %s', (designDate, urgent, allowed) => {
    const snap = snapshot(districtGeologyCommission, { fields: { designDate, urgent, departmentHeadPersonId: 7, chiefEngineerPersonId: 8 } });
    const r = run(districtGeologyCommission, snap, roles(['drafter']), 'submit');
    if (allowed) expect(ok(r).caseTo).toBe('head_signing');
    else expect(refused(r)).toMatchObject({ kind: 'guard', failure: { key: 'COMMISSION_TOO_LATE', params: { designDate, years: 2 } } });
  });

  it('follows the policy: one year ahead is enough where a unit says so', () => {
    expect(latestCommissionDate(cal, '2027-10-20', { ...DEFAULTS, 'commission.districtLeadYears': 1 })).toBe('2026-10-20');
  });

  it('signs like a commission letter, and the report is due the working day before the design', () => {
    const fields = { designDate: '2026-10-08', urgent: true, departmentHeadPersonId: 7, chiefEngineerPersonId: 8 };
    const head = ok(
      run(districtGeologyCommission, snapshot(districtGeologyCommission, { fields, state: 'head_signing' }), roles(['approver']), 'head_sign', {}),
    );
    expect(head.caseTo).toBe('chief_signing');
    const issued = ok(
      run(
        districtGeologyCommission,
        snapshot(districtGeologyCommission, { fields, state: 'chief_signing', parts: [part(1, 'pending')] }),
        roles(['approver']),
        'chief_sign',
        {},
      ),
    );
    expect(issued.partChanges.map((c) => c.to)).toEqual(['awaiting_receipt']);
    const snap = snapshot(districtGeologyCommission, { fields, state: 'issued', parts: [part(1, 'awaiting_receipt')] });
    const received = ok(run(districtGeologyCommission, snap, roles([], { 1: ['receiver'] }), 'receive', { handlerPersonId: 5 }, NOW, 1));
    const deliver = received.startClocks.find((c) => c.code === 'deliver');
    // 2026-10-08 (Thursday, the first working day after 国庆): the working day before is 2026-09-30 (10-01…10-07 off).
    expect(deliver && local(deliver.dueAt)).toBe('2026-09-30 17:30');
  });
});

describe('重要井巷工程设计图纸 (article 2 一.4): three days ahead, the deviation recorded', () => {
  const fields = (workDate: string, urgent = false) => ({ workDate, urgent, chiefEngineerPersonId: 8 });

  it.each([
    ['2026-10-02', false, true], // the latest day is today
    ['2026-10-01', false, false],
    ['2026-10-01', true, true],
  ])('drawings for a work on %s (urgent: %s) may be sent today: %s', (workDate, urgent, allowed) => {
    const r = run(workDrawings, snapshot(workDrawings, { fields: fields(workDate, urgent), parts: [part(1, 'pending')] }), roles(['drafter']), 'send');
    if (allowed) expect(ok(r).caseTo).toBe('sent');
    else expect(refused(r)).toMatchObject({ kind: 'guard', failure: { key: 'NOTICE_TOO_LATE', params: { workDate, days: 3, latest: '2026-09-28' } } });
  });

  it('counts calendar days: the latest day may be a holiday', () => {
    expect(latestHandoverDate(cal, '2026-10-06', DEFAULTS)).toBe('2026-10-03');
  });

  it('asks the survey department to agree before the work: the working day before, 国庆 skipped', () => {
    const p = ok(run(workDrawings, snapshot(workDrawings, { fields: fields('2026-10-08', true), parts: [part(1, 'pending')] }), roles(['drafter']), 'send'));
    expect(p.partChanges.map((c) => c.to)).toEqual(['awaiting_receipt']);
    const agree = p.startClocks.find((c) => c.code === 'agree');
    expect(agree && local(agree.dueAt)).toBe('2026-09-30 17:30');
  });

  it('records the agreed deviation and requirements on the part and closes it', () => {
    const snap = snapshot(workDrawings, { fields: fields('2026-10-20'), state: 'sent', parts: [part(1, 'reviewing')] });
    const input = { deviationMm: 50, requirements: '按总工程师业务会要求控制中线', meetingDate: '2026-09-29' };
    const p = ok(run(workDrawings, snap, roles([], { 1: ['receiver'] }), 'record_agreement', input, NOW, 1));
    expect(p.partChanges.map((c) => c.to)).toEqual(['closed']);
    expect(p.input).toEqual(input);
    expect(p.caseTo).toBe('closed');
    expect(refused(run(workDrawings, snap, roles([], { 1: ['receiver'] }), 'record_agreement', { ...input, deviationMm: -1 }, NOW, 1)).kind).toBe('input');
    expect(refused(run(workDrawings, snap, roles(['drafter'], { 1: [] }), 'record_agreement', input, NOW, 1)).kind).toBe('not_your_role');
  });
});

describe('预防丢煤通知单 (article 2 三.1): to the coal face team, reported to the chief engineer', () => {
  const fields = { chiefEngineerPersonId: 8 };

  it('goes out to the team and tells the chief engineer; the team acknowledges within the notice time', () => {
    const p = ok(run(coalLossNotice, snapshot(coalLossNotice, { fields, parts: [part(1, 'pending')] }), roles(['drafter']), 'issue'));
    expect(p.notices.map((n) => n.to)).toEqual([['receiver'], ['signing_leader']]);
    const ack = p.startClocks.find((c) => c.code === 'acknowledge');
    expect(ack && (ack.dueAt.getTime() - NOW.getTime()) / 3_600_000).toBe(8);
    const issued = snapshot(coalLossNotice, { fields, state: 'issued', parts: [part(1, 'awaiting_ack')] });
    expect(ok(run(coalLossNotice, issued, roles([], { 1: ['receiver'] }), 'acknowledge', {}, NOW, 1)).caseTo).toBe('closed');
  });

  it('refuses a measurement that matches the design: nothing to notify', () => {
    const base = { title: '3105 煤柱', face: '3105', measured: 'pillar', designMeters: 20, body: '煤柱尺寸不符', receiverUnitId: 3, chiefEngineerPersonId: 8 };
    expect(coalLossNotice.fields.safeParse({ ...base, measuredMeters: 20 }).success).toBe(false);
    expect(coalLossNotice.fields.safeParse({ ...base, measuredMeters: 15.5 }).success).toBe(true);
  });

  it('a notice not acknowledged in time is overdue and told to the chief engineer', () => {
    const p = expiryPlan(coalLossNotice, 'acknowledge', 1);
    expect(p.markOverdue).toEqual([1]);
    expect(p.notices[0]?.to).toContain('signing_leader');
  });
});

describe('异常汇报 / 故障报告 (article 1 5.3.3–5.3.4): within 24 hours of the occurrence', () => {
  const fields = (occurredAt: string) => ({ kind: 'fault', occurredAt });

  it.each([
    // occurred at (with its offset), the deadline in Shanghai: 24 natural hours, holidays or not
    ['2026-09-29T08:00:00+08:00', '2026-09-30 08:00'],
    ['2026-09-30T20:15:00+08:00', '2026-10-01 20:15'], // into 国庆: hours are hours
    ['2026-09-28T23:00:00Z', '2026-09-30 07:00'],
  ])('occurred %s: due %s', (occurredAt, due) => {
    const p = ok(run(incidentReport, snapshot(incidentReport, { fields: fields(occurredAt), parts: [part(1, 'pending')] }), roles(['drafter']), 'report'));
    expect(p.partChanges.map((c) => c.to)).toEqual(['awaiting_ack']);
    const clock = p.startClocks.find((c) => c.code === 'report');
    expect(clock && local(clock.dueAt)).toBe(due);
  });

  it('a report sent after the 24 hours is late at once', () => {
    const p = ok(
      run(incidentReport, snapshot(incidentReport, { fields: fields('2026-09-27T08:00:00+08:00'), parts: [part(1, 'pending')] }), roles(['drafter']), 'report'),
    );
    expect(p.startClocks[0]?.dueAt.getTime()).toBeLessThan(NOW.getTime());
  });

  it('follows the policy per unit', () => {
    const p = plan({
      def: incidentReport,
      snap: snapshot(incidentReport, { fields: fields('2026-09-29T08:00:00+08:00'), parts: [part(1, 'pending')] }),
      roles: roles(['drafter']),
      action: 'report',
      partId: null,
      input: undefined,
      now: NOW,
      cal,
      policies: { ...DEFAULTS, 'incident.reportHours': 12 },
    });
    expect(local(ok(p).startClocks[0]?.dueAt as Date)).toBe('2026-09-29 20:00');
  });

  it('the receiver acknowledges and the report is closed; late, it is overdue and the office is told', () => {
    const snap = snapshot(incidentReport, { fields: fields('2026-09-29T08:00:00+08:00'), state: 'reported', parts: [part(1, 'awaiting_ack')] });
    const p = ok(run(incidentReport, snap, roles([], { 1: ['receiver'] }), 'acknowledge', {}, NOW, 1));
    expect(p.caseTo).toBe('closed');
    expect(refused(run(incidentReport, snap, roles(['drafter'], { 1: [] }), 'acknowledge', {}, NOW, 1)).kind).toBe('not_your_role');
    const late = expiryPlan(incidentReport, 'report', 1);
    expect(late.markOverdue).toEqual([1]);
    expect(late.notices[0]?.to).toEqual(['drafter', 'receiver', 'office']);
  });

  it('lists what the reporter may do with a draft', () => {
    expect(availableActions(incidentReport, snapshot(incidentReport), roles(['drafter'])).map((a) => a.action)).toEqual(['report', 'withdraw']);
  });
});
