import { describe, expect, it } from 'vitest';
import { POLICIES, POLICY_GROUPS } from './policy.defaults.js';
import { applyChange, groupProblems, onPath, type PolicyState, resolveAt, resolveOrg, type UnitOverride } from './policy.resolve.js';

const SIGN = 'contactForm.signWorkingDays';
const LATE = 'assessment.points.contact_form.finished_late';
const SUB = 'assessment.points.contact_form.substandard_late';
const ov = (unitId: number, unitPath: string, key: string, value: unknown): UnitOverride => ({
  unitId,
  unitName: `u${unitId}`,
  unitPath,
  key,
  value: JSON.stringify(value),
});
const at = (state: PolicyState, path: string, keys = [SIGN] as (keyof typeof POLICIES)[]) =>
  resolveAt(keys, { org: state.org, pathOverrides: onPath(state.overrides, path) });

describe('which policy value is in force at a unit', () => {
  const state: PolicyState = {
    org: new Map([[SIGN, '2']]),
    overrides: [ov(4, '/1/4/', SIGN, 3), ov(9, '/1/4/9/', SIGN, 5), ov(5, '/1/5/', SIGN, 'not a number')],
  };

  it('takes the nearest override on the path, else the organization, else the default', () => {
    expect(at(state, '/1/4/9/12/')[SIGN]).toEqual({ value: 5, source: { kind: 'unit', unitId: 9, unitName: 'u9' } });
    expect(at(state, '/1/4/10/')[SIGN]).toEqual({ value: 3, source: { kind: 'unit', unitId: 4, unitName: 'u4' } });
    expect(at(state, '/1/6/')[SIGN]).toEqual({ value: 2, source: { kind: 'organization' } });
    expect(at({ org: new Map(), overrides: [] }, '/1/6/')[SIGN]).toEqual({ value: 1, source: { kind: 'default' } });
  });

  it('passes over an override its schema no longer accepts', () => {
    expect(at(state, '/1/5/7/')[SIGN]).toEqual({ value: 2, source: { kind: 'organization' } });
  });

  it('never applies an override of an install-wide policy', () => {
    const s: PolicyState = { org: new Map(), overrides: [ov(4, '/1/4/', 'backup.hour', 5)] };
    expect(at(s, '/1/4/', ['backup.hour'])['backup.hour']?.value).toBe(POLICIES['backup.hour'].default);
  });

  it('falls back to the organization’s values of a group that does not hold at the unit', () => {
    const s: PolicyState = { org: new Map([[LATE, '1.5']]), overrides: [ov(4, '/1/4/', SUB, 1)] };
    const r = at(s, '/1/4/', [LATE, SUB]);
    expect([r[LATE]?.value, r[SUB]?.value]).toEqual([1.5, 2]);
    expect(resolveOrg([LATE, SUB], new Map([[LATE, '3']]))[LATE]).toEqual({ value: 1, source: { kind: 'default' } });
  });

  it('has every group within one scope', () => {
    for (const g of POLICY_GROUPS) expect(new Set(g.keys.map((k) => POLICIES[k].scope)).size).toBe(1);
  });
});

describe('what a change breaks', () => {
  const pathOf = (k: string) => k;
  const state: PolicyState = { org: new Map(), overrides: [ov(9, '/1/4/9/', LATE, 1.5)] };
  const mine = { kind: 'unit', unitId: 4, unitPath: '/1/4/' } as const;

  it('names the changed key where the group breaks at the unit changed', () => {
    const after = applyChange(state, mine, { [SUB]: 0.5 });
    expect(groupProblems(after, mine, new Set([SUB]), pathOf)).toEqual([{ path: SUB, key: 'policy_not_below', params: { other: LATE, value: '1' } }]);
  });

  it('finds a unit below with its own override where the group would break, from a unit or the organization', () => {
    const byUnit = applyChange(state, mine, { [SUB]: 1.2 });
    expect(groupProblems(byUnit, mine, new Set([SUB]), pathOf)).toEqual([
      { path: SUB, key: 'policy_group_below', params: { unit: 'u9', other: LATE, value: '1.5' } },
    ]);
    const org = { kind: 'organization' } as const;
    expect(groupProblems(applyChange(state, org, { [SUB]: 1.2 }), org, new Set([SUB]), pathOf)).toHaveLength(1);
    // A sibling's subtree is not below.
    const sibling = { kind: 'unit', unitId: 5, unitPath: '/1/5/' } as const;
    expect(groupProblems(applyChange(state, sibling, { [SUB]: 1.2 }), sibling, new Set([SUB]), pathOf)).toEqual([]);
  });

  it('checks a clearing too: what is inherited must hold with what the unit keeps', () => {
    const s: PolicyState = { org: new Map(), overrides: [ov(4, '/1/4/', LATE, 3), ov(4, '/1/4/', SUB, 4)] };
    const after = applyChange(s, mine, { [SUB]: null });
    expect(after.overrides).toHaveLength(1);
    expect(groupProblems(after, mine, new Set([SUB]), pathOf)).toEqual([{ path: SUB, key: 'policy_not_below', params: { other: LATE, value: '3' } }]);
  });
});
