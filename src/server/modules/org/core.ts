// The organization's pure core, importable without the org service: the reporting chain (逐级汇报)
// and tree paths, as the case engine resolves chain roles with them (issue 9 §2).
export { type ChainMember, pathIds, reportingChain, wouldCycle } from './reporting-chain.js';
