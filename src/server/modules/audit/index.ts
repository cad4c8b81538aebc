export { ChainVerifier, GENESIS_HASH, hashEvent } from './audit.chain.js';
export { type AuditService, type Change, createAuditService, type VerifyResult } from './audit.service.js';
