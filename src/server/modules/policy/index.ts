export * from './core.js';
export { POLICY_ENTITIES, POLICY_PROBLEMS } from './policy.errors.js';
export { type PolicyRouteDeps, policyRoutes } from './policy.routes.js';
export { createPolicyService, type PolicyService } from './policy.service.js';
