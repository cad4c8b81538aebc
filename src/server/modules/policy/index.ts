export { POLICIES, POLICY_GROUPS, type PolicyKey } from './policy.defaults.js';
export { createPolicyService, type PolicyService } from './policy.service.js';
