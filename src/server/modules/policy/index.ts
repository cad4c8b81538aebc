export { createPolicyService, type PolicyService } from './policy.service.js';
export { POLICIES, type PolicyKey } from './policy.defaults.js';
