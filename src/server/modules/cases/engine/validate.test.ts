import { describe, expect, it } from 'vitest';
import { CaseTypeView } from '../../../../contracts/cases.js';
import { commissionLetter } from '../types/commission-letter.js';
import { contactForm } from '../types/contact-form.js';
import { notice } from '../types/notice.js';
import { operationTicket } from '../types/operation-ticket.js';
import type { CaseTypeDef, ClockDef, TransitionDef } from './definition.js';
import { describeCaseType } from './describe.js';
import { CaseTypeError, caseTypeProblems, type TypeProblem, validateCaseType } from './validate.js';

/** A small valid type; each bad input below changes one field of it. */
const clock: ClockDef = {
  code: 'answer',
  level: 'part',
  rule: { kind: 'workingDays', policy: 'contactForm.signWorkingDays' },
  awaits: 'receiver',
  onExpiry: [],
};
const open: TransitionDef = { action: 'open', level: 'case', from: ['draft'], to: 'open', by: ['drafter'], partsTo: 'waiting', startClocks: ['answer'] };
const base: CaseTypeDef = {
  code: 'probe',
  version: 1,
  numberPrefix: 'PR',
  nameZh: '测试',
  nameEn: 'Probe',
  fields: contactForm.fields,
  states: [
    { code: 'draft', level: 'case', awaits: 'drafter' },
    { code: 'open', level: 'case' },
    { code: 'closed', level: 'case', final: true },
    { code: 'waiting', level: 'part', awaits: 'receiver' },
    { code: 'done', level: 'part', final: true },
  ],
  initialState: 'draft',
  initialPartState: 'waiting',
  transitions: [open, { action: 'answer', level: 'part', from: ['waiting'], to: 'done', by: ['receiver'], stopClocks: ['answer'] }],
  clocks: [clock],
  editableIn: ['draft'],
  bind: () => ({ title: '', dueDate: null, signingLeaderPersonId: null, receivers: [] }),
  labels: {},
};
const withTransition = (over: Partial<TransitionDef>): CaseTypeDef => ({ ...base, transitions: [{ ...open, ...over }, ...base.transitions.slice(1)] });
const withClock = (over: Partial<ClockDef>): CaseTypeDef => ({ ...base, clocks: [{ ...clock, ...over } as ClockDef] });

describe('validateCaseType: a type naming what it does not declare is refused, with the field named', () => {
  it('accepts the four case types the server runs, and the probe type', () => {
    for (const def of [contactForm, commissionLetter, notice, operationTicket, base]) expect(caseTypeProblems(def)).toEqual([]);
  });

  const cases: [string, CaseTypeDef, TypeProblem][] = [
    ['an initial state that is not declared', { ...base, initialState: 'drat' }, { field: 'initialState', value: 'drat', kind: 'undeclared_state' }],
    [
      'a part state used as the initial part state that is a case state',
      { ...base, initialPartState: 'open' },
      { field: 'initialPartState', value: 'open', kind: 'undeclared_state' },
    ],
    [
      'a transition from an undeclared state',
      withTransition({ from: ['draft', 'limbo'] }),
      { field: 'transitions[0].from[1]', value: 'limbo', kind: 'undeclared_state' },
    ],
    ['a transition to an undeclared state', withTransition({ to: 'opened' }), { field: 'transitions[0].to', value: 'opened', kind: 'undeclared_state' }],
    [
      'parts moved to an undeclared part state',
      withTransition({ partsTo: 'sleeping' }),
      { field: 'transitions[0].partsTo', value: 'sleeping', kind: 'undeclared_state' },
    ],
    [
      'a transition taken by an undeclared role',
      withTransition({ by: ['drafter', 'janitor' as never] }),
      { field: 'transitions[0].by[1]', value: 'janitor', kind: 'undeclared_role' },
    ],
    [
      'a transition starting an undeclared clock',
      withTransition({ startClocks: ['anser'] }),
      { field: 'transitions[0].startClocks[0]', value: 'anser', kind: 'undeclared_clock' },
    ],
    [
      'a transition stopping an undeclared clock',
      withTransition({ stopClocks: ['nope'] }),
      { field: 'transitions[0].stopClocks[0]', value: 'nope', kind: 'undeclared_clock' },
    ],
    [
      'a transition notifying an undeclared role',
      withTransition({ notify: [{ to: ['mayor' as never], message: 'x' }] }),
      { field: 'transitions[0].notify[0].to[0]', value: 'mayor', kind: 'undeclared_role' },
    ],
    [
      'an if-missed condition on an undeclared clock',
      withTransition({ ifMissed: [{ clock: 'late', effects: [] }] }),
      { field: 'transitions[0].ifMissed[0].clock', value: 'late', kind: 'undeclared_clock' },
    ],
    [
      'a transition effect moving to an undeclared state',
      withTransition({ ifMissed: [{ clock: 'answer', effects: [{ kind: 'moveTo', level: 'case', state: 'gone' }] }] }),
      { field: 'transitions[0].ifMissed[0].effects[0].state', value: 'gone', kind: 'undeclared_state' },
    ],
    [
      'an expiry moving a part to a case state',
      withClock({ onExpiry: [{ kind: 'moveTo', level: 'part', state: 'closed' }] }),
      { field: 'clocks[0].onExpiry[0].state', value: 'closed', kind: 'undeclared_state' },
    ],
    [
      'an expiry move starting an undeclared clock',
      withClock({ onExpiry: [{ kind: 'moveTo', level: 'case', state: 'open', startClocks: ['later'] }] }),
      { field: 'clocks[0].onExpiry[0].startClocks[0]', value: 'later', kind: 'undeclared_clock' },
    ],
    ['a clock awaiting an undeclared role', withClock({ awaits: 'nobody' as never }), { field: 'clocks[0].awaits', value: 'nobody', kind: 'undeclared_role' }],
    [
      'a relative rule at a time of day that does not exist',
      withClock({
        rule: { kind: 'relative', anchor: { from: 'started' }, direction: 'after', amount: { value: 1, source: '§1' }, unit: 'workingDays', at: '24:00' },
      }),
      { field: 'clocks[0].rule.at', value: '24:00', kind: 'invalid' },
    ],
    [
      'a literal number without the clause it comes from',
      withClock({ rule: { kind: 'relative', anchor: { from: 'started' }, direction: 'after', amount: { value: 3, source: ' ' }, unit: 'calendarDays' } }),
      { field: 'clocks[0].rule.amount', value: '3', kind: 'invalid' },
    ],
    [
      'a fractional number of working days',
      withClock({ rule: { kind: 'relative', anchor: { from: 'started' }, direction: 'after', amount: { value: 1.5, source: '§1' }, unit: 'workingDays' } }),
      { field: 'clocks[0].rule.amount', value: '1.5', kind: 'invalid' },
    ],
    [
      'a reminder a negative number of hours ahead',
      withClock({ reminders: [{ before: { value: -2, source: '§1' } }] }),
      { field: 'clocks[0].reminders[0].before', value: '-2', kind: 'invalid' },
    ],
    [
      'an editable state that is not declared',
      { ...base, editableIn: ['draft', 'revising'] },
      { field: 'editableIn[1]', value: 'revising', kind: 'undeclared_state' },
    ],
    [
      'a closing state that is not declared',
      { ...base, closeWhenAllPartsIn: ['done', 'cancelled'] },
      { field: 'closeWhenAllPartsIn[1]', value: 'cancelled', kind: 'undeclared_state' },
    ],
  ];
  it.each(cases)('refuses %s', (_name, def, problem) => {
    expect(caseTypeProblems(def)).toEqual([problem]);
    expect(() => validateCaseType(def)).toThrow(CaseTypeError);
  });

  it('names the type and the field in both languages', () => {
    const e = (() => {
      try {
        validateCaseType(withTransition({ to: 'opened' }));
      } catch (err) {
        return err as CaseTypeError;
      }
      throw new Error('not refused');
    })();
    expect(e.typeCode).toBe('probe');
    expect(e.message).toContain('case type probe');
    expect(e.message).toContain('transitions[0].to: an undeclared state "opened"');
    expect(e.message).toContain('transitions[0].to：未声明的状态「opened」');
  });
});

describe('describeCaseType: the clock view names the new rule kinds', () => {
  it('shows a relative rule, its reminders and a clock started on create', () => {
    const def = withClock({
      startOn: 'create',
      rule: {
        kind: 'relative',
        anchor: { from: 'fields', field: 'meetingAt' },
        direction: 'before',
        amount: { value: 1, source: 'DOMAIN.md §5' },
        unit: 'workingDays',
        at: '12:00',
        nonWorkingDay: 'previous',
      },
      reminders: [{ before: { value: 24, source: 'test' } }, { before: { policy: 'cases.reminderWorkingHours' } }],
    });
    const [view] = describeCaseType(def).clocks;
    expect(view).toMatchObject({
      code: 'answer',
      startOn: 'create',
      rule: {
        kind: 'relative',
        from: 'fields',
        field: 'meetingAt',
        direction: 'before',
        unit: 'workingDays',
        amount: { value: 1, source: 'DOMAIN.md §5' },
        at: '12:00',
        nonWorkingDay: 'previous',
      },
      reminders: [{ value: 24, source: 'test' }, { policy: 'cases.reminderWorkingHours' }],
    });
    expect(CaseTypeView.shape.clocks.parse([view])).toHaveLength(1);
  });
  it('leaves the clock view of an existing rule as it was', () => {
    const [view] = describeCaseType(base).clocks;
    expect(view).toEqual({
      code: 'answer',
      level: 'part',
      rule: { kind: 'workingDays', policy: 'contactForm.signWorkingDays' },
      awaits: 'receiver',
      remindBefore: null,
      label: { 'zh-CN': 'answer', en: 'answer' },
    });
  });
});

describe('describeCaseType: roles, children and merging as data (issue 9 §2, §4)', () => {
  it('serves the declared roles with how they resolve, the children a transition or an expiry creates, and how the type merges', () => {
    const child = { kind: 'createCases', type: 'probe', as: 'system', initiator: 'initiator', fields: () => [] } as const;
    const def: CaseTypeDef = {
      ...base,
      roles: { reviewer: { kind: 'fieldPerson', field: 'signingLeaderPersonId' } },
      transitions: [{ ...open, effects: [{ ...child, as: 'actor' }] }],
      clocks: [{ ...clock, onExpiry: [child] }],
      merge: { by: ['office'], state: 'draft', result: 'draft' },
    };
    const view = describeCaseType(def);
    expect(view.roles).toEqual([{ code: 'reviewer', source: { kind: 'fieldPerson', field: 'signingLeaderPersonId' } }]);
    expect(view.transitions[0]?.creates).toEqual([{ type: 'probe', as: 'actor' }]);
    expect(view.clocks[0]?.creates).toEqual([{ type: 'probe', as: 'system' }]);
    // A type merged into nothing else is merged into its own kind.
    expect(view.merge).toEqual({ by: ['office'], state: 'draft', result: 'draft', into: ['probe'] });
    expect(CaseTypeView.parse(view).merge?.into).toEqual(['probe']);
    expect(describeCaseType(base)).toMatchObject({ roles: [], merge: null });
    expect(describeCaseType(base).transitions[0]).not.toHaveProperty('creates');
  });
});
