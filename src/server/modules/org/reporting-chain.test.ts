import { describe, expect, it } from 'vitest';
import { type ChainMember, pathIds, reportingChain, wouldCycle } from './reporting-chain.js';

const m = (personId: number, name: string, roleCode: string, rank: number | null, unitId: number): ChainMember => ({
  personId,
  name,
  roleCode,
  roleName: roleCode,
  rank,
  unitId,
  unitName: `u${unitId}`,
});

describe('reporting chain (逐级汇报)', () => {
  // post 5 ⊂ shift 4 ⊂ department 3 ⊂ plant 2 ⊂ group 1
  const levels = [
    [m(10, '巡检工', 'staff', 10, 5), m(11, '班长', 'team_leader', 20, 5)],
    [m(12, '值长', 'shift_leader', 30, 4), m(13, '另一值长', 'shift_leader', 30, 4)],
    [m(14, '部门主任', 'unit_head', 40, 3), m(15, '办公室', 'office', null, 3)],
    [m(16, '厂长', 'unit_head', 40, 2)],
    [m(17, '分管领导', 'leader', 50, 1)],
  ];

  it('walks up from a worker: team leader → shift leader → unit head → leader', () => {
    expect(reportingChain(10, 10, levels).map((c) => c.name)).toEqual(['班长', '值长', '部门主任', '分管领导']);
  });

  it('starts above the person own rank', () => {
    expect(reportingChain(12, 30, levels).map((c) => c.name)).toEqual(['部门主任', '分管领导']);
  });

  it('skips roles outside the chain (office, HR, supervision) and people of the same rank', () => {
    const chain = reportingChain(11, 20, levels);
    expect(chain.map((c) => c.roleCode)).not.toContain('office');
    expect(chain.map((c) => c.name)).toEqual(['值长', '部门主任', '分管领导']);
  });

  it('is empty for the top leader', () => {
    expect(reportingChain(17, 50, levels)).toEqual([]);
  });

  it('reads ancestor ids nearest first from a materialized path', () => {
    expect(pathIds('/1/2/3/4/5/')).toEqual([5, 4, 3, 2, 1]);
  });

  it.each([
    ['/1/4/', '/1/4/9/', true],
    ['/1/4/', '/1/4/', true],
    ['/1/4/', '/1/5/', false],
    ['/1/4/', '/1/41/', false],
  ])('moving %s under %s would cycle: %s', (unit, parent, expected) => {
    expect(wouldCycle(unit, parent)).toBe(expected);
  });
});
