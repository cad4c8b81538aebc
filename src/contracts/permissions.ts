/**
 * Named permissions, granted through roles: one list for the server (access/permissions.ts, the
 * access rule every route declares) and the web (the roles page, `useCan`). Plain data, no zod, so the
 * web imports it as it imports limits.ts. A role held in a unit applies to that unit's subtree
 * (issue 3 §7); org-wide things (calendar, roles, policies) belong to the root unit.
 */
export const PERMISSIONS = [
  'org.read',
  'org.manage',
  'people.read',
  'people.manage',
  'account.manage',
  'role.manage',
  'calendar.manage',
  'audit.read',
  'case.read',
  'assessment.read',
  /** Enter ledger entries by hand, close and reopen periods (the office, issue 9 §7). */
  'assessment.manage',
  'policy.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];
