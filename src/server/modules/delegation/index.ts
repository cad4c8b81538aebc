export { isInForce } from './delegation.rules.js';
export { createDelegationService, type DelegationService } from './delegation.service.js';
