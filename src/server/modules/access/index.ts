export { heldGrants } from './access.repository.js';
export { type AccessService, createAccessService } from './access.service.js';
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
export { assertStrongPassword, hashPassword, randomPassword } from './passwords.js';
export {
  can,
  canAnywhere,
  coversTarget,
  DEFAULT_ROLES,
  type Grant,
  mayGrant,
  PERMISSIONS,
  type Permission,
  ROLE_CODES,
  type RoleCode,
  scopeRoots,
} from './permissions.js';
