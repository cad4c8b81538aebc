export { createOrgService, type OrgService } from './org.service.js';
export { type ChainMember, pathIds, reportingChain, wouldCycle } from './reporting-chain.js';
