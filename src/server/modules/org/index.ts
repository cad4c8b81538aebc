export { createOrgService, type OrgService } from './org.service.js';
export { pathIds, reportingChain, wouldCycle } from './reporting-chain.js';
