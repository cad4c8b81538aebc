import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCalendar, officialCalendarRows } from '../../calendar/index.js';
import type { CaseRoles, CaseSnapshot, CaseTypeDef, PartSnapshot, RelRole } from './definition.js';
import { expiryMovePlan, isRefusal, type Plan, plan } from './machine.js';
import { isMergeRefusal, mergeResultState, organizationOf, planMerge } from './merge.js';
import { answeredReads, countKey, questionsOf } from './reads.js';
import { caseTypeProblems } from './validate.js';

/** Cases that make cases (issue 9 §4), pure: child cases planned from the parent, merging, guards that read other cases. */

const cal = buildCalendar({ timeZone: 'Asia/Shanghai', workdayStart: '08:30', workdayEnd: '17:30', officialYears: [2026], days: officialCalendarRows([2026]) });
const NOW = new Date('2026-09-29T02:00:00.000Z');

const meeting: CaseTypeDef = {
  code: 'probe_meeting',
  version: 1,
  numberPrefix: 'HY',
  nameZh: '会议',
  nameEn: 'Meeting',
  fields: z.object({ title: z.string() }),
  states: [
    { code: 'planned', level: 'case' },
    { code: 'held', level: 'case' },
    { code: 'minuted', level: 'case', final: true },
    { code: 'merged', level: 'case' },
    { code: 'dropped', level: 'case', final: true },
    { code: 'invited', level: 'part', awaits: 'receiver' },
    { code: 'attended', level: 'part', final: true },
  ],
  initialState: 'planned',
  initialPartState: 'invited',
  transitions: [
    {
      action: 'minute',
      level: 'case',
      from: ['held'],
      to: 'minuted',
      by: ['drafter'],
      input: z.object({ resolutions: z.array(z.string()) }),
      // A meeting's resolutions: one child per resolution, from the input and the meeting's title.
      effects: [
        {
          kind: 'createCases',
          type: 'probe_resolution',
          as: 'actor',
          initiator: 'initiator',
          fields: ({ snapshot, input }) => (input.resolutions as string[]).map((r) => ({ title: `${String(snapshot.fields.title)}：${r}` })),
        },
      ],
      reads: ({ snapshot }) => ({ childrenOf: [snapshot.id] }),
      guard: (g) => ((g.reads?.childrenOf(g.snapshot.id).length ?? 0) > 0 ? { key: 'ALREADY_MINUTED' } : null),
    },
    {
      action: 'attend',
      level: 'part',
      from: ['invited'],
      to: 'attended',
      by: ['receiver'],
      effects: [{ kind: 'createCases', type: 'probe_resolution', as: 'system', initiator: 'part', fields: ({ part }) => [{ title: `出席 ${part?.unitId}` }] }],
    },
    { action: 'hold', level: 'case', from: ['planned'], to: 'held', by: ['drafter'] },
  ],
  clocks: [
    {
      code: 'topics',
      level: 'case',
      rule: { kind: 'calendarDays', policy: 'contactForm.signWorkingDays' },
      awaits: 'drafter',
      onExpiry: [
        { kind: 'moveTo', level: 'case', state: 'dropped' },
        { kind: 'createCases', type: 'probe_resolution', as: 'system', initiator: 'initiator', fields: () => [{ title: '改期' }] },
      ],
    },
  ],
  editableIn: [],
  bind: () => ({ title: '', dueDate: null, signingLeaderPersonId: null, receivers: [] }),
  labels: {},
  merge: { by: ['office'], state: 'merged', result: 'dropped' },
};

const snap = (over: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
  id: 7,
  typeCode: meeting.code,
  state: 'held',
  version: 3,
  revision: 0,
  fields: { title: '安全例会' },
  initiatorUnitId: 10,
  initiatorUnitPath: '/1/10/',
  drafterPersonId: 100,
  signingLeaderPersonId: null,
  parts: [],
  clocks: [],
  missed: [],
  ...over,
});
const part = (id: number, over: Partial<PartSnapshot> = {}): PartSnapshot => ({
  id,
  unitId: 20 + id,
  unitPath: `/1/${20 + id}/`,
  role: 'main',
  state: 'invited',
  handlerPersonId: null,
  dueDate: null,
  overdue: false,
  supervised: false,
  ...over,
});
const roles = (onCase: RelRole[], parts: number[] = []): CaseRoles => ({
  onCase: new Set(onCase),
  onPart: new Map(parts.map((id) => [id, new Set<RelRole>([...onCase, 'receiver'])])),
});
const noChildren = answeredReads({ children: new Map([[7, []]]), counts: new Map() });
const ok = (x: ReturnType<typeof plan>): Plan => {
  if (isRefusal(x)) throw new Error(`refused: ${JSON.stringify(x)}`);
  return x;
};

describe('child cases in a plan', () => {
  it('makes one child per resolution from the parent’s fields and the action’s input, created as the acting person by the initiating unit', () => {
    const p = ok(
      plan({
        def: meeting,
        snap: snap(),
        roles: roles(['drafter']),
        action: 'minute',
        partId: null,
        input: { resolutions: ['加固顶板', '补充培训'] },
        now: NOW,
        cal,
        policies: {},
        reads: noChildren,
      }),
    );
    expect(p.caseTo).toBe('minuted');
    expect(p.children).toEqual([
      { type: 'probe_resolution', as: 'actor', initiatorUnitId: 10, fields: { title: '安全例会：加固顶板' } },
      { type: 'probe_resolution', as: 'actor', initiatorUnitId: 10, fields: { title: '安全例会：补充培训' } },
    ]);
  });

  it('makes no child when the fields function gives none, and leaves a plan without children as it was', () => {
    const none = ok(
      plan({
        def: meeting,
        snap: snap(),
        roles: roles(['drafter']),
        action: 'minute',
        partId: null,
        input: { resolutions: [] },
        now: NOW,
        cal,
        policies: {},
        reads: noChildren,
      }),
    );
    expect(none.children).toBeUndefined();
    expect(
      ok(
        plan({
          def: meeting,
          snap: snap({ state: 'planned' }),
          roles: roles(['drafter']),
          action: 'hold',
          partId: null,
          input: {},
          now: NOW,
          cal,
          policies: {},
        }),
      ),
    ).not.toHaveProperty('children');
  });

  it('lets a part’s unit initiate the child of a part action', () => {
    const s = snap({ parts: [part(1), part(2)] });
    const p = ok(plan({ def: meeting, snap: s, roles: roles([], [2]), action: 'attend', partId: 2, input: {}, now: NOW, cal, policies: {} }));
    expect(p.children).toEqual([{ type: 'probe_resolution', as: 'system', initiatorUnitId: 22, fields: { title: '出席 22' } }]);
  });

  it('creates children when a clock runs out, besides moving the case', () => {
    const s = snap({
      state: 'planned',
      clocks: [{ id: 5, code: 'topics', partId: null, dueAt: '2026-09-28T00:00:00.000Z', startedAt: '2026-09-20T00:00:00.000Z' }],
    });
    const p = expiryMovePlan({ def: meeting, snap: s, now: NOW, cal, policies: {}, clock: { id: 5, code: 'topics', partId: null } });
    expect([p.caseTo, p.children]).toEqual(['dropped', [{ type: 'probe_resolution', as: 'system', initiatorUnitId: 10, fields: { title: '改期' } }]]);
  });
});

describe('guards that read other cases', () => {
  it('answer from what the service read for the declared questions', () => {
    const reads = answeredReads({
      children: new Map([[7, [{ id: 8, typeCode: 'probe_resolution', number: 'JY-1', title: 'x', state: 'open', closed: false }]]]),
      counts: new Map(),
    });
    const r = plan({
      def: meeting,
      snap: snap(),
      roles: roles(['drafter']),
      action: 'minute',
      partId: null,
      input: { resolutions: ['a'] },
      now: NOW,
      cal,
      policies: {},
      reads,
    });
    expect(r).toEqual({ kind: 'guard', failure: { key: 'ALREADY_MINUTED' } });
  });

  it('throw on a question the transition did not declare: a bug in the type, never an answer of “none”', () => {
    const reads = answeredReads({ children: new Map(), counts: new Map([[countKey({ type: 'x', drafterPersonId: 1 }), 2]]) });
    expect(() => reads.childrenOf(7)).toThrow(/without declaring it/);
    expect(reads.countCases({ type: 'x', drafterPersonId: 1 })).toBe(2);
    expect(() => reads.countCases({ type: 'x', drafterPersonId: 2 })).toThrow(/without declaring it/);
  });

  it('ask each question once, however many transitions declare it', () => {
    const q = { type: 'report', drafterPersonId: 4, from: '2026-09-01T00:00:00.000Z' };
    expect(
      questionsOf([
        { childrenOf: [7], countCases: [q] },
        { childrenOf: [7, 9], countCases: [{ ...q }] },
      ]),
    ).toEqual({ childrenOf: [7, 9], countCases: [q] });
  });
});

describe('merging', () => {
  const target = { def: meeting, snap: snap({ id: 9, state: 'planned' }) };
  const args = (over: Partial<Parameters<typeof planMerge>[0]> = {}) => ({
    def: meeting,
    snap: snap({
      state: 'planned',
      clocks: [{ id: 5, code: 'topics', partId: null, dueAt: '2026-10-28T00:00:00.000Z', startedAt: '2026-09-20T00:00:00.000Z' }],
    }),
    roles: roles(['office']),
    target,
    organization: 3,
    targetOrganization: 3,
    now: NOW,
    cal,
    policies: {},
    ...over,
  });

  it('moves the merged case to its type’s merge state and stops its clocks: it follows the target now', () => {
    const p = planMerge(args());
    if (isMergeRefusal(p)) throw new Error(p.kind);
    expect([p.action, p.caseFrom, p.caseTo, p.stopClocks.map((c) => c.code)]).toEqual(['merge', 'planned', 'merged', ['topics']]);
  });

  it.each([
    ['into itself', { target: { def: meeting, snap: snap({ id: 7 }) } }, 'self'],
    ['a type that does not merge', { def: { ...meeting, merge: undefined } }, 'not_mergeable'],
    ['without a merging role', { roles: roles(['drafter']) }, 'not_your_role'],
    ['a case already merged', { snap: snap({ state: 'merged', mergedIntoCaseId: 4 }) }, 'already_merged'],
    ['a closed case', { snap: snap({ state: 'minuted' }) }, 'closed'],
    ['into another type', { target: { def: { ...meeting, code: 'other' }, snap: snap({ id: 9, typeCode: 'other', state: 'planned' }) } }, 'other_type'],
    ['across organizations', { targetOrganization: 4 }, 'other_organization'],
    ['into a closed case', { target: { def: meeting, snap: snap({ id: 9, state: 'minuted' }) } }, 'target_closed'],
    ['into a merged case', { target: { def: meeting, snap: snap({ id: 9, state: 'merged', mergedIntoCaseId: 2 }) } }, 'target_merged'],
  ] as const)('refuses merging %s', (_, over, kind) => {
    expect(planMerge(args(over as Partial<Parameters<typeof planMerge>[0]>))).toEqual({ kind });
  });

  it('ends a merged case in the target’s final state when both are of one type, else in its declared result', () => {
    expect(mergeResultState(meeting, meeting, 'minuted')).toBe('minuted');
    expect(mergeResultState(meeting, { ...meeting, code: 'other' }, 'minuted')).toBe('dropped');
    expect(mergeResultState({ ...meeting, merge: undefined }, meeting, 'minuted')).toBeNull();
  });

  it('finds a unit’s organization: the nearest enterprise, township or school above it, else the root', () => {
    const chain = [
      { id: 1, typeCode: 'group' },
      { id: 5, typeCode: 'mine' },
      { id: 12, typeCode: 'department' },
    ];
    expect(organizationOf(chain)).toBe(5);
    expect(organizationOf(chain.slice(0, 1))).toBe(1);
    expect(
      organizationOf([
        { id: 1, typeCode: 'department' },
        { id: 2, typeCode: 'team' },
      ]),
    ).toBe(1);
    expect(organizationOf([])).toBeNull();
  });
});

describe('type checks for cases that make cases', () => {
  const known = new Set(['probe_meeting', 'probe_resolution']);
  it('accepts a type whose child types exist', () => {
    expect(caseTypeProblems(meeting, known)).toEqual([]);
  });

  it('names a child type that does not exist, a child the system alone can make on expiry, and merge states that cannot be used', () => {
    const bad: CaseTypeDef = {
      ...meeting,
      clocks: [{ ...meeting.clocks[0]!, onExpiry: [{ kind: 'createCases', type: 'probe_resolution', as: 'actor', initiator: 'initiator', fields: () => [] }] }],
      merge: { by: ['nobody' as RelRole], state: 'minuted', result: 'held', into: ['nothing'], partsTo: 'gone' },
    };
    expect(caseTypeProblems(bad, new Set(['probe_meeting']))).toEqual([
      { field: 'transitions[0].effects[0].type', value: 'probe_resolution', kind: 'unknown_type' },
      { field: 'transitions[1].effects[0].type', value: 'probe_resolution', kind: 'unknown_type' },
      { field: 'clocks[0].onExpiry[0].type', value: 'probe_resolution', kind: 'unknown_type' },
      { field: 'clocks[0].onExpiry[0].as', value: 'actor', kind: 'invalid' },
      { field: 'merge.state', value: 'minuted', kind: 'invalid' },
      { field: 'merge.result', value: 'held', kind: 'invalid' },
      { field: 'merge.partsTo', value: 'gone', kind: 'undeclared_state' },
      { field: 'merge.by[0]', value: 'nobody', kind: 'undeclared_role' },
      { field: 'merge.into[0]', value: 'nothing', kind: 'unknown_type' },
    ]);
  });
});
