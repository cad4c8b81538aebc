import { PERMISSIONS, type Permission } from '../../../contracts/permissions.js';

/**
 * Named permissions, granted through roles: the list itself lives in src/contracts/permissions.ts,
 * shared with the web. A role held in a unit applies to that unit's subtree (issue 3 §7); org-wide
 * things (calendar, roles, policies) belong to the root unit, so managing them needs the permission
 * held at the root.
 */
export { PERMISSIONS, type Permission };

export const ROLE_CODES = [
  'system_admin',
  'office',
  'leader',
  'unit_head',
  'shift_leader',
  'team_leader',
  'staff',
  'hr',
  'supervision',
  'specialist',
  'safety_officer',
] as const;
export type RoleCode = (typeof ROLE_CODES)[number];

export interface RoleDefinition {
  code: RoleCode;
  nameZh: string;
  nameEn: string;
  /** Rank in the reporting chain (DOMAIN.md §1): staff → team leader → shift leader → unit head → leader. */
  chainRank: number | null;
  permissions: Permission[];
}

/** Defaults written on first start; administrators edit them on the roles page afterwards. */
export const DEFAULT_ROLES: RoleDefinition[] = [
  { code: 'system_admin', nameZh: '系统管理员', nameEn: 'System administrator', chainRank: null, permissions: [...PERMISSIONS] },
  {
    code: 'office',
    nameZh: '办公室',
    nameEn: 'Office',
    chainRank: null,
    permissions: [
      'org.read',
      'org.manage',
      'people.read',
      'people.manage',
      'account.manage',
      'calendar.manage',
      'audit.read',
      'case.read',
      'assessment.read',
      'assessment.manage',
      'policy.manage',
    ],
  },
  {
    code: 'leader',
    nameZh: '公司领导/分管领导',
    nameEn: 'Leader',
    chainRank: 50,
    permissions: ['org.read', 'people.read', 'audit.read', 'case.read', 'assessment.read'],
  },
  { code: 'unit_head', nameZh: '单位负责人', nameEn: 'Unit head', chainRank: 40, permissions: ['org.read', 'people.read'] },
  { code: 'shift_leader', nameZh: '值长', nameEn: 'Shift leader', chainRank: 30, permissions: ['org.read', 'people.read'] },
  { code: 'team_leader', nameZh: '班组长', nameEn: 'Team leader', chainRank: 20, permissions: ['org.read', 'people.read'] },
  { code: 'staff', nameZh: '普通职工', nameEn: 'Staff', chainRank: 10, permissions: ['org.read'] },
  { code: 'hr', nameZh: '人力资源', nameEn: 'HR', chainRank: null, permissions: ['org.read', 'people.read', 'people.manage', 'assessment.read'] },
  { code: 'supervision', nameZh: '监察/督办', nameEn: 'Supervision', chainRank: null, permissions: ['org.read', 'people.read', 'audit.read', 'case.read'] },
  // Article 1 5.3.3: an anomaly is reported to the department's specialist and safety officer (异常汇报, issue 9 §9).
  { code: 'specialist', nameZh: '专业主管', nameEn: 'Specialist', chainRank: null, permissions: ['org.read', 'people.read'] },
  { code: 'safety_officer', nameZh: '安全员', nameEn: 'Safety officer', chainRank: null, permissions: ['org.read', 'people.read'] },
];

export interface Grant {
  role: string;
  unitId: number;
  /** Materialized path of the unit the role is held in, e.g. "/1/4/". */
  unitPath: string;
  permissions: readonly string[];
}

export function isInSubtree(path: string, rootPath: string): boolean {
  return path.startsWith(rootPath);
}

/** Subtree roots in which the grants give `permission`, without nested duplicates. */
export function scopeRoots(grants: readonly Grant[], permission: Permission): string[] {
  const paths = grants.filter((g) => g.permissions.includes(permission)).map((g) => g.unitPath);
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length);
  return sorted.filter((p, i) => !sorted.slice(0, i).some((q) => p.startsWith(q)));
}

/** May the grants do `permission` on something that lives in the unit at `unitPath`? */
export function can(grants: readonly Grant[], permission: Permission, unitPath: string): boolean {
  return grants.some((g) => g.permissions.includes(permission) && isInSubtree(unitPath, g.unitPath));
}

/** Does any grant give `permission` somewhere (to decide whether a list/menu is shown at all)? */
export function canAnywhere(grants: readonly Grant[], permission: Permission): boolean {
  return grants.some((g) => g.permissions.includes(permission));
}

/** Org-wide resources live at the root: the permission must be held there. */
export function canOrgWide(grants: readonly Grant[], permission: Permission, rootPath: string): boolean {
  return can(grants, permission, rootPath);
}

/**
 * May these grants give someone `rolePermissions` in the unit at `unitPath`? Only if they hold every
 * one of those permissions there themselves: nobody hands out more than they have (an office clerk
 * cannot make someone a system administrator).
 */
export function mayGrant(grants: readonly Grant[], rolePermissions: readonly string[], unitPath: string): boolean {
  return rolePermissions.every((p) => can(grants, p as Permission, unitPath));
}

/** One role a person holds somewhere: the unit's path and the role's permissions. */
export interface HeldGrant {
  unitPath: string;
  permissions: readonly string[];
}

/**
 * May the caller manage (with `permission`) a person holding `held`? Only if the caller covers the
 * whole person (issue 8, security 1): `permission` in every unit the person is a member of, and
 * every permission of every role the person holds there (the `mayGrant` rule over all of them).
 * A unit manager cannot edit, open an account for, reset or deactivate someone who also holds a
 * role above or beside their scope, or a role stronger than their own. A person without any
 * membership belongs to the whole organization: root scope only.
 */
export function coversTarget(grants: readonly Grant[], permission: Permission, held: readonly HeldGrant[], rootPath: string): boolean {
  const all = held.length ? held : [{ unitPath: rootPath, permissions: [] }];
  return all.every((h) => can(grants, permission, h.unitPath) && mayGrant(grants, h.permissions, h.unitPath));
}
