export { createOrgService, type OrgService } from './org.service.js';
export { reportingChain, wouldCycle, pathIds } from './reporting-chain.js';
