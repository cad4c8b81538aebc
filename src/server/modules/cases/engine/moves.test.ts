import { describe, expect, it } from 'vitest';
import { buildCalendar, officialCalendarRows } from '../../calendar/index.js';
import { contactForm } from '../types/contact-form.js';
import type { CaseSnapshot, CaseTypeDef } from './definition.js';
import { creationClocks, expiryMovePlan, isRefusal, movesState, plan } from './machine.js';

/** Pure tests of moves (issue 9 §3): an expiry or a transition effect moving the case or a part, planned like a transition. */
const cal = buildCalendar({ timeZone: 'Asia/Shanghai', workdayStart: '08:30', workdayEnd: '17:30', officialYears: [2026], days: officialCalendarRows([2026]) });
const NOW = new Date('2026-11-02T02:00:00Z'); // Monday 10:00

const def: CaseTypeDef = {
  ...contactForm,
  code: 'moves',
  states: [
    { code: 'open', level: 'case' },
    { code: 'void', level: 'case', final: true },
    { code: 'waiting', level: 'part', awaits: 'receiver' },
    { code: 'late', level: 'part', awaits: 'receiver' },
    { code: 'done', level: 'part', final: true },
  ],
  initialState: 'open',
  initialPartState: 'waiting',
  closeWhenAllPartsIn: undefined,
  closedState: undefined,
  transitions: [
    {
      action: 'answer',
      level: 'part',
      from: ['waiting', 'late'],
      to: 'done',
      by: ['receiver'],
      stopClocks: ['answer', 'chase'],
      ifMissed: [{ clock: 'chase', effects: [{ kind: 'moveTo', level: 'case', state: 'void' }] }],
    },
  ],
  clocks: [
    {
      code: 'answer',
      level: 'part',
      startOn: 'create',
      rule: { kind: 'relative', anchor: { from: 'started' }, direction: 'after', amount: { value: 1, source: '§' }, unit: 'workingDays' },
      awaits: 'receiver',
      onExpiry: [{ kind: 'markOverdue' }, { kind: 'moveTo', level: 'part', state: 'late', startClocks: ['chase'], stopClocks: ['other'] }],
    },
    {
      code: 'chase',
      level: 'part',
      rule: { kind: 'relative', anchor: { from: 'started' }, direction: 'after', amount: { value: 24, source: '§' }, unit: 'hours' },
      awaits: 'receiver',
      onExpiry: [],
    },
    { code: 'other', level: 'part', rule: { kind: 'calendarDays', policy: 'notice.workStartLeadDays' }, awaits: 'receiver', onExpiry: [] },
    { code: 'whole', level: 'case', startOn: 'create', rule: { kind: 'hours', policy: 'notice.acknowledgeHours' }, awaits: 'drafter', onExpiry: [] },
  ],
  editableIn: [],
};
const part = (id: number, state = 'waiting') => ({
  id,
  unitId: 20 + id,
  unitPath: `/1/${20 + id}/`,
  role: 'main' as const,
  state,
  handlerPersonId: null,
  dueDate: null,
  overdue: false,
  supervised: false,
});
const snap = (over: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
  id: 1,
  typeCode: 'moves',
  state: 'open',
  version: 3,
  revision: 0,
  fields: {},
  initiatorUnitId: 10,
  initiatorUnitPath: '/1/10/',
  drafterPersonId: 100,
  signingLeaderPersonId: null,
  parts: [part(1), part(2)],
  clocks: [],
  missed: [],
  ...over,
});
const policies = { 'notice.workStartLeadDays': 3, 'notice.acknowledgeHours': 24 };

describe('moves', () => {
  it('starts the clocks a new case starts on create: a case clock once, a part clock per part', () => {
    const clocks = creationClocks({ def, snap: snap(), now: NOW, cal, policies });
    expect(clocks.map((c) => [c.code, c.partId, c.dueAt.toISOString()])).toEqual([
      ['answer', 1, '2026-11-03T09:30:00.000Z'],
      ['answer', 2, '2026-11-03T09:30:00.000Z'],
      ['whole', null, '2026-11-03T02:00:00.000Z'],
    ]);
  });

  it('moves the part whose clock ran out, with the clocks the move starts and stops, leaving the fired clock alone', () => {
    const s = snap({
      clocks: [
        { id: 7, code: 'answer', partId: 1, dueAt: '2026-11-02T01:00:00Z', startedAt: '2026-10-30T01:00:00Z' },
        { id: 8, code: 'other', partId: 1, dueAt: '2026-11-09T01:00:00Z', startedAt: '2026-10-30T01:00:00Z' },
        { id: 9, code: 'other', partId: 2, dueAt: '2026-11-09T01:00:00Z', startedAt: '2026-10-30T01:00:00Z' },
      ],
    });
    const p = expiryMovePlan({ def, snap: s, now: NOW, cal, policies, clock: { id: 7, code: 'answer', partId: 1 } });
    expect(movesState(p)).toBe(true);
    expect(p.partChanges).toEqual([{ partId: 1, from: 'waiting', to: 'late', set: {} }]);
    expect(p.markOverdue).toEqual([1]);
    expect(p.stopClocks).toEqual([{ id: 8, code: 'other', partId: 1, missed: false }]);
    expect(p.startClocks.map((c) => [c.code, c.partId, c.dueAt.toISOString()])).toEqual([['chase', 1, '2026-11-03T02:00:00.000Z']]);
    expect(p.caseTo).toBe('open');
  });

  it('an expiry without a move changes no state', () => {
    const p = expiryMovePlan({ def, snap: snap(), now: NOW, cal, policies, clock: { id: 1, code: 'chase', partId: 1 } });
    expect(movesState(p)).toBe(false);
  });

  it('a transition effect on a missed clock moves the case into a final state, stopping every clock it leaves running', () => {
    const s = snap({
      parts: [part(1, 'late'), part(2)],
      clocks: [
        { id: 5, code: 'chase', partId: 1, dueAt: '2026-11-01T01:00:00Z', startedAt: '2026-10-30T01:00:00Z' },
        { id: 6, code: 'answer', partId: 2, dueAt: '2026-11-09T01:00:00Z', startedAt: '2026-10-30T01:00:00Z' },
      ],
    });
    const roles = { onCase: new Set<never>(), onPart: new Map([[1, new Set(['receiver' as const])]]) };
    const p = plan({ def, snap: s, roles, action: 'answer', partId: 1, input: {}, now: NOW, cal, policies });
    if (isRefusal(p)) throw new Error(p.kind);
    expect(p.caseTo).toBe('void');
    expect(p.partChanges).toEqual([{ partId: 1, from: 'late', to: 'done', set: {} }]);
    expect(p.stopClocks.map((c) => [c.id, c.missed])).toEqual([
      [5, true],
      [6, false],
    ]);
  });
});
