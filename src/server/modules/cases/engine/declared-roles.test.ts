import { describe, expect, it } from 'vitest';
import type { Grant } from '../../access/index.js';
import type { ChainMember } from '../../org/core.js';
import { incidentReport } from '../types/incident-report.js';
import type { CaseSnapshot, CaseTypeDef, PartSnapshot, RoleSource } from './definition.js';
import { resolveDelegatedRoles } from './delegation.js';
import { type ChainLevels, chainPeople, chainSubjectsOf, type RoleFacts, resolveRoles, roleCodeKeysOf } from './roles.js';
import { CaseTypeError, caseTypeProblems, validateCaseType } from './validate.js';

/**
 * Roles declared per type and person parts (issue 9 §2, ADR 0014): each way a declared role
 * resolves, the org role codes read from policies, and a person part's receiver.
 */

const grant = (role: string, unitId: number, unitPath: string): Grant => ({ role, unitId, unitPath, permissions: [] });
const part = (id: number, unitId: number, over: Partial<PartSnapshot> = {}): PartSnapshot => ({
  id,
  unitId,
  unitPath: `/1/${unitId}/`,
  role: 'main',
  state: 'waiting',
  handlerPersonId: null,
  dueDate: null,
  overdue: false,
  supervised: false,
  ...over,
});
const snap = (over: Partial<CaseSnapshot> = {}): CaseSnapshot => ({
  id: 1,
  typeCode: 'probe',
  state: 'open',
  version: 1,
  revision: 1,
  fields: {},
  initiatorUnitId: 10,
  initiatorUnitPath: '/1/10/',
  drafterPersonId: 100,
  signingLeaderPersonId: null,
  parts: [part(1, 21), part(2, 22)],
  clocks: [],
  missed: [],
  ...over,
});
const typeWith = (roles: Record<string, RoleSource>): Pick<CaseTypeDef, 'states' | 'roles'> => ({ states: [], roles });
const sorted = (s: ReadonlySet<string> | undefined) => [...(s ?? [])].sort();

// 发电部 (/1/5/) → 运行一值 (/1/5/6/) → 甲班 (/1/5/6/7/): the way up from 周值班员 (100, staff in 甲班).
const m = (personId: number, roleCode: string, rank: number | null, unitId: number): ChainMember => ({
  personId,
  name: `p${personId}`,
  roleCode,
  roleName: roleCode,
  rank,
  unitId,
  unitName: `u${unitId}`,
});
const wayUp: ChainLevels = {
  ownRank: 10,
  levels: [
    [m(100, 'staff', 10, 7), m(101, 'team_leader', 20, 7), m(102, 'safety_officer', null, 7)],
    [m(103, 'shift_leader', 30, 6)],
    [m(104, 'unit_head', 40, 5), m(105, 'specialist', null, 5), m(106, 'specialist', null, 5), m(107, 'safety_officer', null, 5)],
    [m(108, 'leader', 50, 1)],
  ],
};
const facts = (over: RoleFacts = {}): RoleFacts => ({ chains: new Map([[100, wayUp]]), ...over });

describe('roles a type declares, each as its source says', () => {
  it('fieldPerson: the person the field names, nobody else', () => {
    const def = typeWith({ chair: { kind: 'fieldPerson', field: 'chairPersonId' } });
    const s = snap({ fields: { chairPersonId: 200 } });
    expect(resolveRoles({ personId: 200, grants: [] }, s, def).onCase.has('chair')).toBe(true);
    expect(resolveRoles({ personId: 201, grants: [] }, s, def).onCase.has('chair')).toBe(false);
    expect(resolveRoles({ personId: 200, grants: [] }, snap(), def).onCase.has('chair'), 'the field empty: nobody').toBe(false);
  });

  it('fieldUnit: a member of the unit the field names', () => {
    const def = typeWith({ host: { kind: 'fieldUnit', field: 'hostUnitId' } });
    const s = snap({ fields: { hostUnitId: 30 } });
    expect(resolveRoles({ personId: 200, grants: [grant('staff', 30, '/1/30/')] }, s, def).onCase.has('host')).toBe(true);
    expect(resolveRoles({ personId: 200, grants: [grant('staff', 31, '/1/31/')] }, s, def).onCase.has('host')).toBe(false);
  });

  it('unitRole over the initiating unit: the holder of the org role over it, with the code the policy sets', () => {
    const def = typeWith({ personnel: { kind: 'unitRole', role: { policy: 'roles.hr' }, over: 'initiator' } });
    const hr = { personId: 200, grants: [grant('hr', 1, '/1/')] };
    const renamed = { personId: 201, grants: [grant('renshi', 1, '/1/')] };
    expect(resolveRoles(hr, snap(), def).onCase.has('personnel'), 'the default code').toBe(true);
    expect(resolveRoles(renamed, snap(), def).onCase.has('personnel')).toBe(false);
    const codes = { roleCodes: { 'roles.hr': 'renshi' } };
    expect(resolveRoles(renamed, snap(), def, codes).onCase.has('personnel'), "the organization's own code").toBe(true);
    expect(resolveRoles(hr, snap(), def, codes).onCase.has('personnel')).toBe(false);
    expect(resolveRoles({ personId: 202, grants: [grant('hr', 22, '/1/22/')] }, snap(), def).onCase.has('personnel'), 'over another unit').toBe(false);
  });

  it('unitRole over a part: per part, over that part’s unit only', () => {
    const def = typeWith({ part_secretary: { kind: 'unitRole', role: { code: 'secretary' }, over: 'part' } });
    const r = resolveRoles({ personId: 200, grants: [grant('secretary', 21, '/1/21/')] }, snap(), def);
    expect(r.onCase.has('part_secretary')).toBe(false);
    expect(r.onPart.get(1)?.has('part_secretary')).toBe(true);
    expect(r.onPart.get(2)?.has('part_secretary')).toBe(false);
  });

  it('partMember: a member of a part’s unit, on that part', () => {
    const def = typeWith({ attendee_unit: { kind: 'partMember' } });
    const r = resolveRoles({ personId: 200, grants: [grant('staff', 22, '/1/22/')] }, snap(), def);
    expect(sorted(r.onPart.get(2))).toEqual(['attendee_unit', 'receiver']);
    expect(sorted(r.onPart.get(1))).toEqual([]);
  });

  it('chain firstWithRole: the nearest holders of the role in the reporter’s unit or above it', () => {
    const def = typeWith({
      specialist: { kind: 'chain', above: 'drafter', pick: { kind: 'firstWithRole', role: { policy: 'roles.specialist' } } },
      safety: { kind: 'chain', above: 'drafter', pick: { kind: 'firstWithRole', role: { policy: 'roles.safetyOfficer' } } },
    });
    const holds = (personId: number, role: string) => resolveRoles({ personId, grants: [] }, snap(), def, facts()).onCase.has(role);
    // Both specialists of 发电部 (the nearest level with one); the safety officer of 甲班 itself, not 发电部's.
    expect([105, 106].map((id) => holds(id, 'specialist'))).toEqual([true, true]);
    expect(holds(102, 'safety')).toBe(true);
    expect(holds(107, 'safety')).toBe(false);
    expect(holds(104, 'specialist')).toBe(false);
    expect(resolveRoles({ personId: 105, grants: [] }, snap(), def).onCase.has('specialist'), 'no chain loaded: nobody').toBe(false);
  });

  it('chain firstWithRole never names the person themselves, and nobody when the post is empty', () => {
    expect(chainPeople({ kind: 'firstWithRole', role: { code: 'safety_officer' } }, 102, wayUp)).toEqual([107]);
    expect(chainPeople({ kind: 'firstWithRole', role: { code: 'chair' } }, 100, wayUp)).toEqual([]);
  });

  it('chain upToRank: the reporting chain above the person up to the rank (逐级汇报 to the department head)', () => {
    const upToHead = { kind: 'upToRank', rank: 40 } as const;
    expect(chainPeople(upToHead, 100, wayUp)).toEqual([101, 103, 104]);
    expect(chainPeople(upToHead, 101, { ...wayUp, ownRank: 20 }), 'a team leader: the shift leader and the head').toEqual([103, 104]);
    expect(chainPeople({ kind: 'upToRank', rank: 50 }, 104, { ...wayUp, ownRank: 40 })).toEqual([108]);
  });

  it('chain above a person a field names, whose way up the service loads', () => {
    const def = typeWith({ above_subject: { kind: 'chain', above: { field: 'subjectPersonId' }, pick: { kind: 'upToRank', rank: 30 } } });
    const s = snap({ fields: { subjectPersonId: 100 } });
    expect(chainSubjectsOf(def, s)).toEqual([100]);
    expect(resolveRoles({ personId: 103, grants: [] }, s, def, facts()).onCase.has('above_subject')).toBe(true);
    expect(resolveRoles({ personId: 104, grants: [] }, s, def, facts()).onCase.has('above_subject'), 'above the rank').toBe(false);
  });

  it('the policies a type reads role codes from: office and supervision always, then its own', () => {
    expect(roleCodeKeysOf({})).toEqual(['roles.office', 'roles.supervision']);
    expect(roleCodeKeysOf(incidentReport)).toEqual(['roles.office', 'roles.supervision', 'roles.specialist', 'roles.safetyOfficer']);
    expect(chainSubjectsOf(incidentReport, snap())).toEqual([100]);
  });
});

describe('the built-in office and supervision roles, with the organization’s codes', () => {
  it('is the office by the default code, or by the code the policy sets instead', () => {
    const office = { personId: 200, grants: [grant('office', 1, '/1/')] };
    const bgs = { personId: 201, grants: [grant('bangongshi', 1, '/1/')] };
    expect(resolveRoles(office, snap()).onCase.has('office')).toBe(true);
    expect(resolveRoles(bgs, snap()).onCase.has('office')).toBe(false);
    const codes = { roleCodes: { 'roles.office': 'bangongshi', 'roles.supervision': 'jiancha' } };
    expect(resolveRoles(bgs, snap(), undefined, codes).onCase.has('office')).toBe(true);
    expect(resolveRoles(office, snap(), undefined, codes).onCase.has('office')).toBe(false);
    expect(resolveRoles({ personId: 202, grants: [grant('jiancha', 1, '/1/')] }, snap(), undefined, codes).onCase.has('supervision')).toBe(true);
  });
});

describe('person parts', () => {
  const s = snap({ parts: [part(1, 5, { unitPath: '/1/5/', personId: 105 }), part(2, 5, { unitPath: '/1/5/', personId: 107 }), part(3, 22)] });

  it('the person of a person part alone holds its receiver role, not the members of its unit', () => {
    const specialist = resolveRoles({ personId: 105, grants: [grant('specialist', 5, '/1/5/')] }, s);
    expect(sorted(specialist.onPart.get(1))).toEqual(['receiver']);
    expect(sorted(specialist.onPart.get(2)), 'the other person part of the same unit').toEqual([]);
    const head = resolveRoles({ personId: 104, grants: [grant('unit_head', 5, '/1/5/')] }, s);
    expect([1, 2].map((id) => sorted(head.onPart.get(id)))).toEqual([[], []]);
    // A unit part as before.
    expect(sorted(resolveRoles({ personId: 300, grants: [grant('staff', 22, '/1/22/')] }, s).onPart.get(3))).toEqual(['receiver']);
  });

  it('a handler named on a person part holds handler and receiver there', () => {
    const withHandler = snap({ parts: [part(1, 5, { personId: 105, handlerPersonId: 300 })] });
    expect(sorted(resolveRoles({ personId: 300, grants: [] }, withHandler).onPart.get(1))).toEqual(['handler', 'receiver']);
  });

  it('a deputy of the part’s person holds its receiver role for them (委托代理)', () => {
    const held = resolveDelegatedRoles({ personId: 400, grants: [] }, [{ personId: 105, grants: [], name: '冯主管' }], s);
    expect(sorted(held.own.onPart.get(1))).toEqual([]);
    expect(sorted(held.all.onPart.get(1))).toEqual(['receiver']);
  });
});

describe('validateCaseType: the roles a type names are built in or declared', () => {
  // The incident report with one change each: what it names must be declared by it.
  const named = (over: Partial<CaseTypeDef>): CaseTypeDef => ({ ...incidentReport, ...over });
  const chair: RoleSource = { kind: 'fieldPerson', field: 'chairPersonId' };

  it('accepts a type using roles it declares', () => {
    expect(caseTypeProblems(incidentReport)).toEqual([]);
    const t = incidentReport.transitions.map((x) => (x.action === 'acknowledge' ? { ...x, by: ['receiver', 'specialist'] } : x));
    expect(caseTypeProblems(named({ transitions: t }))).toEqual([]);
  });

  it('refuses a transition, a state, a clock or a notice naming a role the type did not declare, naming the type and the field', () => {
    const t = incidentReport.transitions.map((x) => (x.action === 'acknowledge' ? { ...x, by: ['receiver', 'chair'] } : x));
    const i = t.findIndex((x) => x.action === 'acknowledge');
    expect(caseTypeProblems(named({ transitions: t }))).toEqual([{ field: `transitions[${i}].by[1]`, value: 'chair', kind: 'undeclared_role' }]);
    const states = incidentReport.states.map((x) => (x.code === 'awaiting_ack' ? { ...x, awaits: 'chair' } : x));
    expect(caseTypeProblems(named({ states }))[0]).toMatchObject({ value: 'chair', kind: 'undeclared_role' });
    const clocks = incidentReport.clocks.map((c) => ({ ...c, onExpiry: [{ kind: 'notify' as const, to: ['chair'], message: 'x' }] }));
    expect(caseTypeProblems(named({ clocks }))).toEqual([{ field: 'clocks[0].onExpiry[0].to[0]', value: 'chair', kind: 'undeclared_role' }]);
    expect(caseTypeProblems(named({ clocks, roles: { ...incidentReport.roles, chair } }))).toEqual([]);
    expect(() => validateCaseType(named({ transitions: t }))).toThrow(CaseTypeError);
    expect(() => validateCaseType(named({ transitions: t }))).toThrow(/incident_report[\s\S]*transitions\[\d\]\.by\[1\]: an undeclared role "chair"/);
  });

  it('refuses a declared role that redefines a built-in one, names no field, reads an unknown policy or counts to no rank', () => {
    expect(caseTypeProblems(named({ roles: { receiver: chair } }))).toEqual([{ field: 'roles.receiver', value: 'receiver', kind: 'invalid' }]);
    expect(caseTypeProblems(named({ roles: { chair: { kind: 'fieldPerson', field: ' ' } } }))).toEqual([
      { field: 'roles.chair.field', value: ' ', kind: 'invalid' },
    ]);
    expect(caseTypeProblems(named({ roles: { hr: { kind: 'unitRole', role: { policy: 'roles.nope' as never }, over: 'initiator' } } }))).toEqual([
      { field: 'roles.hr.role', value: 'roles.nope', kind: 'invalid' },
    ]);
    expect(caseTypeProblems(named({ roles: { up: { kind: 'chain', above: 'drafter', pick: { kind: 'upToRank', rank: 0 } } } }))).toEqual([
      { field: 'roles.up.pick.rank', value: '0', kind: 'invalid' },
    ]);
    expect(caseTypeProblems(named({ roles: { up: { kind: 'chain', above: { field: '' }, pick: { kind: 'firstWithRole', role: { code: '' } } } } }))).toEqual([
      { field: 'roles.up.above.field', value: '', kind: 'invalid' },
      { field: 'roles.up.pick.role', value: '', kind: 'invalid' },
    ]);
  });
});
