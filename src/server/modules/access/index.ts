export { createAccessService, type AccessService } from './access.service.js';
export type { Actor, Ctx } from './actor.js';
export { PUBLIC, SELF, needs, actorOf, assertUnitAccess, collectRoutes, enforceAccess, type AccessRule, type RouteEntry } from './access-control.js';
export { DEFAULT_ROLES, PERMISSIONS, ROLE_CODES, can, canAnywhere, scopeRoots, type Grant, type Permission, type RoleCode } from './permissions.js';
export { hashPassword, assertStrongPassword } from './passwords.js';
