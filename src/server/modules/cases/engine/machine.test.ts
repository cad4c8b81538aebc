import { describe, expect, it } from 'vitest';
import { buildCalendar, officialCalendarRows } from '../../calendar/index.js';
import { POLICIES } from '../../policy/core.js';
import { commissionLetter } from '../types/commission-letter.js';
import { contactForm } from '../types/contact-form.js';
import { notice } from '../types/notice.js';
import { operationTicket } from '../types/operation-ticket.js';
import type { CaseRoles, CaseSnapshot, CaseTypeDef, PartSnapshot, RelRole } from './definition.js';
import { availableActions, expiryPlan, isRefusal, type Plan, type PlanArgs, plan, type Refusal } from './machine.js';

/** Pure tests of the transition tables: a fixed calendar, the default policies, an injected `now`. */

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

function snapshot(over: Partial<CaseSnapshot> = {}): CaseSnapshot {
  return {
    id: 1,
    typeCode: 'contact_form',
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
  };
}
function part(id: number, over: Partial<PartSnapshot> = {}): PartSnapshot {
  return {
    id,
    unitId: 20 + id,
    unitPath: `/1/${20 + id}/`,
    role: 'main',
    state: 'awaiting_sign',
    handlerPersonId: null,
    dueDate: '2026-10-20',
    overdue: false,
    supervised: false,
    ...over,
  };
}
/** Roles on the case, plus per part (a part also has the case's roles). */
function roles(onCase: RelRole[], perPart: Record<number, RelRole[]> = {}, parts: number[] = []): CaseRoles {
  const ids = new Set([...parts, ...Object.keys(perPart).map(Number)]);
  return { onCase: new Set(onCase), onPart: new Map([...ids].map((id) => [id, new Set([...onCase, ...(perPart[id] ?? [])])])) };
}
function run(def: CaseTypeDef, snap: CaseSnapshot, r: CaseRoles, action: string, input?: unknown, extra: Partial<PlanArgs> = {}) {
  return plan({ def, snap, roles: r, action, partId: null, input, now: NOW, cal, policies: DEFAULTS, ...extra });
}
function ok(x: Plan | Refusal): Plan {
  if (isRefusal(x)) throw new Error(`refused: ${JSON.stringify(x)}`);
  return x;
}
function refused(x: Plan | Refusal): Refusal {
  if (!isRefusal(x)) throw new Error(`expected a refusal, got the plan for ${x.action}`);
  return x;
}

/**
 * The table is the only way: for every action and every state, with every role held, the engine
 * refuses as "not in this state" exactly when no transition of the table starts there.
 */
function checkTableIsTheOnlyWay(def: CaseTypeDef, fields: Record<string, unknown>) {
  const actions = [...new Set(def.transitions.map((t) => t.action))];
  const caseStates = def.states.filter((s) => s.level === 'case').map((s) => s.code);
  const partStates = def.states.filter((s) => s.level === 'part').map((s) => s.code);
  const liveCase = def.states.find((s) => s.level === 'case' && !s.final && !s.awaits)?.code;
  let checked = 0;
  for (const action of actions) {
    const partLevel = def.transitions.find((t) => t.action === action)?.level === 'part';
    const states = partLevel ? partStates : caseStates;
    for (const state of states) {
      const snap = partLevel
        ? snapshot({ typeCode: def.code, fields, state: liveCase ?? 'issued', parts: [part(1, { state })] })
        : snapshot({ typeCode: def.code, fields, state, parts: [] });
      const listed = def.transitions.some(
        (t) => t.action === action && t.from.includes(state) && (!t.onlyIf || t.onlyIf(snap)) && (t.supervision === undefined || t.supervision === 'start'),
      );
      const r = run(def, snap, roles(ALL_ROLES, {}, [1]), action, {});
      const kind = isRefusal(r) ? r.kind : 'plan';
      if (listed) expect([action, state, kind]).not.toEqual([action, state, 'not_in_state']);
      else expect([action, state, kind]).toEqual([action, state, 'not_in_state']);
      expect(kind).not.toBe('not_your_role');
      checked++;
    }
  }
  return checked;
}

describe('every case type: a transition not in the table is impossible', () => {
  it.each([
    ['contact_form', contactForm, {}],
    ['commission_letter', commissionLetter, { reportKind: 'heading', departmentHeadPersonId: 7, chiefEngineerPersonId: 8 }],
    ['notice (work start)', notice, { kind: 'work_start', workDate: '2026-10-20' }],
    ['notice (breakthrough)', notice, { kind: 'breakthrough', strata: 'coal' }],
    ['operation_ticket', operationTicket, { reviewerPersonId: 7, permitterPersonId: 8 }],
  ] as const)('%s', (_name, def, fields) => {
    expect(checkTableIsTheOnlyWay(def, { ...fields })).toBeGreaterThan(10);
  });

  it('answers an action no table has as unknown', () => {
    expect(refused(run(contactForm, snapshot(), roles(ALL_ROLES), 'approve_everything'))).toEqual({ kind: 'unknown_action' });
  });
});

describe('work contact form', () => {
  const issued = (parts: PartSnapshot[], over: Partial<CaseSnapshot> = {}) => snapshot({ state: 'issued', revision: 1, parts, ...over });

  it("refuses 'reply' before 'sign' with the allowed actions", () => {
    const snap = issued([part(1)]);
    const r = refused(run(contactForm, snap, roles([], { 1: ['receiver'] }), 'reply', { result: '完成了' }));
    expect(r).toEqual({
      kind: 'not_in_state',
      allowed: [
        { action: 'sign', partId: 1 },
        { action: 'object', partId: 1 },
      ],
    });
  });

  it('refuses an action of the state to someone without the relational role', () => {
    const snap = issued([part(1)]);
    expect(refused(run(contactForm, snap, roles(['drafter', 'initiator'], {}, [1]), 'sign', { handlerPersonId: 5 }))).toEqual({ kind: 'not_your_role' });
    expect(refused(run(contactForm, snapshot({ state: 'pending_issue' }), roles(['drafter']), 'issue'))).toEqual({ kind: 'not_your_role' });
  });

  it('validates the input before anything happens', () => {
    const r = refused(run(contactForm, issued([part(1)]), roles([], { 1: ['receiver'] }), 'object', { about: 'deadline' }));
    expect(r.kind).toBe('input');
    expect(r.kind === 'input' && r.issues.map((i) => i.path.join('.'))).toEqual(['reason']);
  });

  it('issues: every part waits for a signature by the next working day, in a new revision', () => {
    const snap = snapshot({ state: 'pending_issue', parts: [part(1, { state: 'pending' }), part(2, { state: 'pending', role: 'assist' })] });
    const p = ok(run(contactForm, snap, roles(['signing_leader']), 'issue'));
    expect(p.caseTo).toBe('issued');
    expect(p.newRevision).toBe(true);
    expect(p.partChanges.map((c) => [c.partId, c.to])).toEqual([
      [1, 'awaiting_sign'],
      [2, 'awaiting_sign'],
    ]);
    expect(p.startClocks.map((c) => [c.code, c.partId, c.dueAt.toISOString()])).toEqual([
      ['sign', 1, '2026-09-30T09:30:00.000Z'],
      ['sign', 2, '2026-09-30T09:30:00.000Z'],
    ]);
    expect(p.notices.map((n) => n.message)).toEqual(['cf.issued', 'cf.issued_to_drafter']);
  });

  it('counts a sign clock over the National Day week', () => {
    const snap = snapshot({ state: 'pending_issue', parts: [part(1, { state: 'pending' })] });
    const p = ok(run(contactForm, snap, roles(['signing_leader']), 'issue', undefined, { now: new Date('2026-09-30T02:00:00.000Z') }));
    expect(p.startClocks[0]?.dueAt.toISOString()).toBe('2026-10-08T09:30:00.000Z');
  });

  it('implies the part when only one fits, and asks for it otherwise', () => {
    const snap = issued([part(1, { state: 'replied' }), part(2, { state: 'replied' })]);
    expect(refused(run(contactForm, snap, roles(['drafter'], {}, [1, 2]), 'accept', {}))).toEqual({ kind: 'part_required' });
    const p = ok(run(contactForm, snap, roles(['drafter'], {}, [1, 2]), 'accept', {}, { partId: 2 }));
    expect(p.partChanges).toEqual([{ partId: 2, from: 'replied', to: 'closed', set: {} }]);
    expect(p.caseTo).toBe('issued');
  });

  it('closes the form when the last part closes', () => {
    const snap = issued([part(1, { state: 'closed' }), part(2, { state: 'replied' })]);
    const p = ok(run(contactForm, snap, roles(['drafter'], {}, [1, 2]), 'accept', {}, { partId: 2 }));
    expect(p.caseTo).toBe('closed');
  });

  it('proposes an assessment for a substandard reply only when it was also late', () => {
    const clocks = [{ id: 9, code: 'review', partId: 1, dueAt: '2026-10-22T09:30:00.000Z', startedAt: NOW.toISOString() }];
    const back = (missed: CaseSnapshot['missed']) =>
      ok(
        run(contactForm, issued([part(1, { state: 'replied' })], { clocks, missed }), roles(['drafter'], {}, [1]), 'return', {
          reason: '不合格',
          dueDate: '2026-10-30',
        }),
      );
    expect(back([]).proposals).toEqual([]);
    expect(back([{ code: 'complete', partId: 1 }]).proposals).toEqual([{ rule: 'contact_form.substandard_late', partId: 1 }]);
    expect(back([]).stopClocks).toEqual([{ id: 9, code: 'review', partId: 1, missed: false }]);
  });

  it('refuses an extension asked for after the deadline (guard)', () => {
    const clocks = [{ id: 3, code: 'complete', partId: 1, dueAt: '2026-09-28T09:30:00.000Z', startedAt: '2026-09-20T02:00:00.000Z' }];
    const snap = issued([part(1, { state: 'in_progress' })], { clocks });
    const r = refused(run(contactForm, snap, roles([], { 1: ['handler', 'receiver'] }), 'request_extension', { dueDate: '2026-10-30', reason: '备件未到' }));
    expect(r).toEqual({ kind: 'guard', failure: { key: 'EXTENSION_TOO_LATE', params: { due: '2026-09-28T09:30:00.000Z' } } });
  });

  it('does not let part actions happen while the form itself is not live', () => {
    const snap = snapshot({ state: 'revising', parts: [part(1, { state: 'awaiting_sign' })] });
    expect(refused(run(contactForm, snap, roles([], { 1: ['receiver'] }), 'sign', { handlerPersonId: 5 })).kind).toBe('not_in_state');
    expect(availableActions(contactForm, snap, roles([], { 1: ['receiver'] }))).toEqual([]);
  });

  it('says what a missed sign clock does', () => {
    expect(expiryPlan(contactForm, 'sign', 4)).toEqual({
      notices: [{ to: ['office', 'signing_leader', 'receiver'], partId: 4, message: 'cf.sign_overdue' }],
      proposals: [{ rule: 'contact_form.no_sign_in_time', partId: 4 }],
      markOverdue: [4],
    });
    expect(expiryPlan(contactForm, 'no_such_clock', 4)).toEqual({ notices: [], proposals: [], markOverdue: [] });
  });
});

describe('operation ticket: named approvals in order', () => {
  const fields = { reviewerPersonId: 7, permitterPersonId: 8 };
  const at = (state: string) => snapshot({ typeCode: 'operation_ticket', state, fields, signingLeaderPersonId: null });

  it('lets only the approver whose turn it is sign', () => {
    expect(ok(run(operationTicket, at('awaiting_review'), roles(['approver']), 'review', {})).caseTo).toBe('awaiting_permit');
    // The permitter out of turn: permitting is not possible yet (with what they may do), reviewing is not theirs.
    expect(refused(run(operationTicket, at('awaiting_review'), roles([]), 'permit', {}))).toEqual({ kind: 'not_in_state', allowed: [] });
    expect(refused(run(operationTicket, at('awaiting_review'), roles(['signing_leader', 'initiator']), 'review', {}))).toEqual({ kind: 'not_your_role' });
    expect(ok(run(operationTicket, at('awaiting_permit'), roles(['approver']), 'permit', {})).caseTo).toBe('may_start');
  });

  it("refuses to start before 'may start', telling the operator what they may do", () => {
    for (const state of ['draft', 'awaiting_review', 'awaiting_permit']) {
      const r = refused(run(operationTicket, at(state), roles(['drafter', 'initiator']), 'start', {}));
      expect(r.kind).toBe('not_in_state');
      expect(r.kind === 'not_in_state' && r.allowed.map((a) => a.action)).toContain('void');
    }
    expect(ok(run(operationTicket, at('may_start'), roles(['drafter']), 'start', {})).caseTo).toBe('in_operation');
  });

  it("reaches 'may start' only through the reviewer's and then the shift supervisor's signatures", () => {
    // Every path of the table from the draft to 'may start', as the list of actions taken.
    const paths: string[][] = [];
    const walk = (state: string, seen: string[], actions: string[]) => {
      if (state === 'may_start') return void paths.push(actions);
      for (const t of operationTicket.transitions) {
        if (!t.from.includes(state) || !t.to || seen.includes(t.to)) continue;
        walk(t.to, [...seen, t.to], [...actions, t.action]);
      }
    };
    walk(operationTicket.initialState, [operationTicket.initialState], []);
    expect(paths).toEqual([['submit', 'review', 'permit']]);
    // And the approvers named for those steps are the fields of the ticket, in that order.
    expect(operationTicket.states.filter((s) => s.approver).map((s) => [s.code, s.approver])).toEqual([
      ['awaiting_review', 'reviewerPersonId'],
      ['awaiting_permit', 'permitterPersonId'],
      ['executed', 'permitterPersonId'],
    ]);
  });

  it('refuses a ticket whose operator names themselves as an approver', () => {
    const own = snapshot({ typeCode: 'operation_ticket', state: 'draft', fields: { reviewerPersonId: 100, permitterPersonId: 8 }, drafterPersonId: 100 });
    expect(refused(run(operationTicket, own, roles(['drafter']), 'submit')).kind).toBe('guard');
    expect(ok(run(operationTicket, at('draft'), roles(['drafter']), 'submit')).caseTo).toBe('awaiting_review');
  });

  it('records the completion time as given, and refuses a malformed one', () => {
    const p = ok(run(operationTicket, at('in_operation'), roles(['drafter']), 'complete', { completedAt: '2026-09-29T10:40:00+08:00' }));
    expect(p.input).toEqual({ completedAt: '2026-09-29T10:40:00+08:00' });
    expect(refused(run(operationTicket, at('in_operation'), roles(['drafter']), 'complete', { completedAt: '10:40' })).kind).toBe('input');
  });
});

describe('commission letter', () => {
  const fields = (reportKind: string, extra: Record<string, unknown> = {}) => ({ reportKind, departmentHeadPersonId: 7, chiefEngineerPersonId: 8, ...extra });
  const letter = (reportKind: string, over: Partial<CaseSnapshot> = {}) =>
    snapshot({
      typeCode: 'commission_letter',
      state: 'issued',
      fields: fields(reportKind),
      parts: [part(1, { state: 'awaiting_receipt', dueDate: null })],
      ...over,
    });

  it('is issued by the chief engineer after the department head, waiting for receipt by the next working day', () => {
    const head = ok(
      run(commissionLetter, letter('heading', { state: 'head_signing', parts: [part(1, { state: 'pending' })] }), roles(['approver']), 'head_sign', {}),
    );
    expect([head.caseTo, head.partChanges]).toEqual(['chief_signing', []]);
    const chief = ok(
      run(commissionLetter, letter('heading', { state: 'chief_signing', parts: [part(1, { state: 'pending' })] }), roles(['approver']), 'chief_sign', {}),
    );
    expect(chief.caseTo).toBe('issued');
    expect(chief.partChanges.map((c) => c.to)).toEqual(['awaiting_receipt']);
    expect(chief.startClocks.map((c) => [c.code, c.dueAt.toISOString()])).toEqual([['receipt', '2026-09-30T09:30:00.000Z']]);
  });

  it.each([
    ['heading', 'deliver_heading', '2026-10-15T09:30:00.000Z'],
    ['coal_face', 'deliver_coal_face', '2026-10-30T09:30:00.000Z'],
    ['agreed', 'deliver_agreed', '2026-11-02T09:30:00.000Z'],
  ])('counts the %s delivery term from receipt', (kind, clock, due) => {
    const snap = letter(kind, { fields: fields(kind, kind === 'agreed' ? { dueDate: '2026-11-02' } : {}) });
    if (kind === 'agreed') snap.parts = [part(1, { state: 'awaiting_receipt', dueDate: '2026-11-02' })];
    const received = new Date('2026-09-30T02:00:00.000Z');
    const p = ok(run(commissionLetter, snap, roles([], { 1: ['receiver'] }), 'receive', { handlerPersonId: 5 }, { now: received }));
    expect(p.startClocks.map((c) => [c.code, c.dueAt.toISOString()])).toEqual([[clock, due]]);
    expect(p.partChanges[0]).toMatchObject({ to: 'in_progress', set: { handlerPersonId: 5 } });
  });

  it('takes the terms from the policy', () => {
    const snap = letter('heading');
    const p = ok(
      run(
        commissionLetter,
        snap,
        roles([], { 1: ['receiver'] }),
        'receive',
        { handlerPersonId: 5 },
        { policies: { ...DEFAULTS, 'commission.headingReportDays': 10 } },
      ),
    );
    expect(p.startClocks[0]?.dueAt.toISOString()).toBe('2026-10-09T09:30:00.000Z');
  });

  it('marks a late delivery overdue, reports it and proposes the late-delivery assessment', () => {
    expect(expiryPlan(commissionLetter, 'deliver_heading', 1)).toEqual({
      notices: [{ to: ['handler', 'receiver', 'drafter', 'signing_leader'], partId: 1, message: 'cl.deliver_overdue' }],
      proposals: [{ rule: 'commission_letter.delivered_late', partId: 1 }],
      markOverdue: [1],
    });
  });
});

describe('notice: kinds and a branch on the measured distance', () => {
  const breakthrough = (strata: 'coal' | 'rock', over: Partial<CaseSnapshot> = {}) =>
    snapshot({
      typeCode: 'notice',
      state: 'monitoring',
      fields: { kind: 'breakthrough', strata, headingA: 'A', headingB: 'B' },
      signingLeaderPersonId: null,
      parts: [part(1, { state: 'pending', dueDate: null }), part(2, { state: 'pending', dueDate: null })],
      ...over,
    });
  const measure = (snap: CaseSnapshot, distanceMeters: number, policies = DEFAULTS) =>
    run(notice, snap, roles(['drafter', 'initiator']), 'measure', { distanceMeters }, { policies });

  it.each([
    ['coal', 20.1, 'monitoring'],
    ['coal', 20, 'issued'],
    ['rock', 15.5, 'monitoring'],
    ['rock', 15, 'issued'],
    ['rock', 0, 'issued'],
  ] as const)('in %s at %s m the case goes to %s', (strata, d, to) => {
    expect(ok(measure(breakthrough(strata), d)).caseTo).toBe(to);
  });

  it('issues: every receiver must acknowledge within a shift (8 natural hours)', () => {
    const p = ok(measure(breakthrough('coal'), 12));
    expect(p.partChanges.map((c) => c.to)).toEqual(['awaiting_ack', 'awaiting_ack']);
    expect(p.startClocks.map((c) => [c.code, c.partId, c.dueAt.toISOString()])).toEqual([
      ['acknowledge', 1, '2026-09-29T10:00:00.000Z'],
      ['acknowledge', 2, '2026-09-29T10:00:00.000Z'],
    ]);
    expect(p.newRevision).toBe(true);
  });

  it('follows the policy threshold, and checks the distance', () => {
    expect(ok(measure(breakthrough('coal'), 22, { ...DEFAULTS, 'notice.breakthroughCoalMeters': 25 })).caseTo).toBe('issued');
    expect(refused(measure(breakthrough('coal'), -1)).kind).toBe('input');
  });

  it('keeps actions to their kind', () => {
    const work = snapshot({
      typeCode: 'notice',
      state: 'draft',
      fields: { kind: 'work_start', workDate: '2026-10-20' },
      parts: [part(1, { state: 'pending' })],
    });
    expect(refused(run(notice, work, roles(['drafter']), 'measure', { distanceMeters: 3 })).kind).toBe('not_in_state');
    expect(refused(run(notice, breakthrough('coal', { state: 'draft' }), roles(['drafter']), 'issue')).kind).toBe('not_in_state');
    expect(availableActions(notice, breakthrough('coal', { state: 'draft' }), roles(['drafter'])).map((a) => a.action)).toEqual(['measure', 'withdraw']);
    expect(availableActions(notice, work, roles(['drafter'])).map((a) => a.action)).toEqual(['issue', 'withdraw']);
  });

  it.each([
    ['2026-10-02', false, true], // the latest day to give it is today
    ['2026-10-01', false, false],
    ['2026-10-01', true, true], // urgent
  ])('a work notice for %s (urgent: %s) may be issued today: %s', (workDate, urgent, allowed) => {
    const snap = snapshot({ typeCode: 'notice', state: 'draft', fields: { kind: 'work_start', workDate, urgent }, parts: [part(1, { state: 'pending' })] });
    const r = run(notice, snap, roles(['drafter']), 'issue');
    if (allowed) expect(ok(r).caseTo).toBe('issued');
    else expect(refused(r)).toMatchObject({ kind: 'guard', failure: { key: 'NOTICE_TOO_LATE', params: { latest: '2026-09-28' } } });
  });

  it('stops one heading once every receiver acknowledged; the other receivers are done', () => {
    const waiting = breakthrough('coal', { state: 'issued', parts: [part(1, { state: 'acknowledged' }), part(2, { state: 'awaiting_ack' })] });
    expect(refused(run(notice, waiting, roles([], { 1: ['receiver'] }, [2]), 'stop_heading', { heading: 'A' })).kind).toBe('guard');
    const all = breakthrough('coal', { state: 'issued', parts: [part(1, { state: 'acknowledged' }), part(2, { state: 'acknowledged' })] });
    const p = ok(run(notice, all, roles([], { 2: ['receiver'] }, [1]), 'stop_heading', { heading: 'B' }));
    expect(p.caseTo).toBe('heading_stopped');
    expect(p.partChanges.map((c) => [c.partId, c.to])).toEqual([
      [2, 'heading_stopped'],
      [1, 'closed'],
    ]);
    expect(p.input).toEqual({ heading: 'B' });
  });

  it('closes a work notice when every receiver has acknowledged it', () => {
    const snap = snapshot({
      typeCode: 'notice',
      state: 'issued',
      fields: { kind: 'work_start', workDate: '2026-10-20' },
      parts: [part(1, { state: 'closed' }), part(2, { state: 'awaiting_ack' })],
    });
    expect(ok(run(notice, snap, roles([], { 2: ['receiver'] }, [1]), 'acknowledge', {})).caseTo).toBe('closed');
  });
});

describe('the tables are consistent', () => {
  it.each([contactForm, commissionLetter, notice, operationTicket].map((d) => [d.code, d] as const))('%s', (_code, def) => {
    const caseStates = new Set(def.states.filter((s) => s.level === 'case').map((s) => s.code));
    const partStates = new Set(def.states.filter((s) => s.level === 'part').map((s) => s.code));
    const clocks = new Set(def.clocks.map((c) => c.code));
    for (const t of def.transitions) {
      const own = t.level === 'case' ? caseStates : partStates;
      for (const f of t.from) expect(own, `${t.action} from ${f}`).toContain(f);
      if (t.to) expect(own, `${t.action} to ${t.to}`).toContain(t.to);
      if (t.partsTo) expect(partStates).toContain(t.partsTo);
      if (t.otherPartsTo) expect(partStates).toContain(t.otherPartsTo);
      if (t.caseTo) expect(caseStates).toContain(t.caseTo);
      for (const c of [...(t.startClocks ?? []), ...(t.stopClocks ?? [])]) expect(clocks, `${t.action} clock ${c}`).toContain(c);
      expect(def.labels[`action.${t.action}`], `label of ${t.action}`).toBeDefined();
    }
    for (const s of def.states) expect(def.labels[`state.${s.code}`], `label of ${s.code}`).toBeDefined();
    for (const c of def.clocks) expect(def.labels[`clock.${c.code}`], `label of ${c.code}`).toBeDefined();
    expect(caseStates).toContain(def.initialState);
    // Approval states name a field of the type, and wait for the approver.
    for (const s of def.states.filter((x) => x.approver)) expect(s.awaits).toBe('approver');
  });
});
