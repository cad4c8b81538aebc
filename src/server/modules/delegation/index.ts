export { DELEGATION_ENTITIES, DELEGATION_ERRORS, DELEGATION_PROBLEMS } from './delegation.errors.js';
export { type DelegationRouteDeps, delegationRoutes } from './delegation.routes.js';
export { isInForce } from './delegation.rules.js';
export { createDelegationService, type DelegationService } from './delegation.service.js';
