import { describe, expect, it } from 'vitest';
import { can, canAnywhere, canOrgWide, coversTarget, DEFAULT_ROLES, type Grant, PERMISSIONS, scopeRoots } from './permissions.js';

const grant = (role: string, unitPath: string, permissions: string[]): Grant => ({ role, unitId: Number(unitPath.split('/').at(-2)), unitPath, permissions });

describe('unit-scoped permissions', () => {
  const office = grant('office', '/1/4/', ['org.read', 'org.manage']);

  it.each([
    ['the unit itself', '/1/4/', true],
    ['a unit below it', '/1/4/9/', true],
    ['a unit two levels below', '/1/4/9/12/', true],
    ['its parent', '/1/', false],
    ['a sibling', '/1/5/', false],
    ['a sibling whose id starts with the same digit', '/1/41/', false],
  ])('a role held in a unit applies to %s: %s', (_what, path, expected) => {
    expect(can([office], 'org.manage', path)).toBe(expected);
  });

  it('gives nothing the role does not grant, even inside the subtree', () => {
    expect(can([office], 'audit.read', '/1/4/9/')).toBe(false);
  });

  it('needs org-wide permissions held at the root', () => {
    const unitAdmin = grant('system_admin', '/1/4/', [...PERMISSIONS]);
    const rootAdmin = grant('system_admin', '/1/', [...PERMISSIONS]);
    expect(canOrgWide([unitAdmin], 'calendar.manage', '/1/')).toBe(false);
    expect(canOrgWide([rootAdmin], 'calendar.manage', '/1/')).toBe(true);
  });

  it('merges nested scopes into their outermost roots', () => {
    const grants = [
      grant('office', '/1/4/9/', ['people.read']),
      grant('leader', '/1/4/', ['people.read']),
      grant('hr', '/1/7/', ['people.read']),
      grant('staff', '/1/8/', ['org.read']),
    ];
    expect(scopeRoots(grants, 'people.read').sort()).toEqual(['/1/4/', '/1/7/']);
    expect(canAnywhere(grants, 'people.manage')).toBe(false);
  });

  it('ships defaults where only the system administrator manages roles and ordinary staff only read the tree', () => {
    const byCode = Object.fromEntries(DEFAULT_ROLES.map((r) => [r.code, r.permissions]));
    expect(DEFAULT_ROLES.filter((r) => r.permissions.includes('role.manage')).map((r) => r.code)).toEqual(['system_admin']);
    expect(byCode.staff).toEqual(['org.read']);
    expect(byCode.supervision).toContain('audit.read');
    expect(byCode.hr).toContain('people.manage');
  });
});

describe('covering the whole target (issue 8, security 1)', () => {
  const officeInA = grant('office', '/1/4/', DEFAULT_ROLES.find((r) => r.code === 'office')!.permissions);
  const staff = (unitPath: string) => ({ unitPath, permissions: ['org.read'] });

  it('covers a person whose every role lies inside the scope and is no stronger than the caller', () => {
    expect(coversTarget([officeInA], 'account.manage', [staff('/1/4/9/')], '/1/')).toBe(true);
  });

  it.each([
    ['also holds a role at the root', [staff('/1/4/9/'), { unitPath: '/1/', permissions: ['org.read', 'org.manage'] }]],
    ['also is a member of a sibling unit', [staff('/1/4/9/'), staff('/1/5/')]],
    ['holds a stronger role inside the scope', [staff('/1/4/9/'), { unitPath: '/1/4/9/', permissions: [...PERMISSIONS] }]],
    ['holds no membership at all (belongs to the root)', []],
  ])('does not cover a person who %s', (_what, held) => {
    expect(coversTarget([officeInA], 'account.manage', held, '/1/')).toBe(false);
  });

  it('needs the managing permission itself in every unit of the target', () => {
    const orgOnly = grant('x', '/1/4/', ['org.read', 'people.manage']);
    expect(coversTarget([orgOnly], 'account.manage', [staff('/1/4/9/')], '/1/')).toBe(false);
    expect(coversTarget([orgOnly], 'people.manage', [staff('/1/4/9/')], '/1/')).toBe(true);
  });
});
