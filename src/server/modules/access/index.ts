// The access rule every route declares, the scope checks and the permissions (pure); it imports no
// other module, so every module may depend on it. Accounts, sessions and tokens are `accounts/`.

export { ACCESS_ERRORS } from './access.errors.js';
export {
  type AccessRule,
  actorOf,
  assertCoversPerson,
  assertUnitAccess,
  collectRoutes,
  enforceAccess,
  needs,
  PUBLIC,
  type RouteEntry,
  SELF,
} from './access-control.js';
export type { Actor, Ctx } from './actor.js';
export { heldGrants, heldGrantsOfMany } from './grants.repository.js';
export {
  can,
  canAnywhere,
  coversTarget,
  DEFAULT_ROLES,
  type Grant,
  type HeldGrant,
  mayGrant,
  PERMISSIONS,
  type Permission,
  ROLE_CODES,
  type RoleCode,
  scopeRoots,
} from './permissions.js';
