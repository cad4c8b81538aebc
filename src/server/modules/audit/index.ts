export { createAuditService, type AuditService, type Change, type VerifyResult } from './audit.service.js';
export { GENESIS_HASH, hashEvent, ChainVerifier } from './audit.chain.js';
