export { type DelegationRouteDeps, delegationRoutes } from './delegation.routes.js';
export { isInForce } from './delegation.rules.js';
export { createDelegationService, type DelegationService } from './delegation.service.js';
