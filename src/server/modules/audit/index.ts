export { ANCHOR_FILE, type AnchorRecord, parseAnchor, readAnchor } from './audit.anchor.js';
export { type AuditProblem, type ChainHead, ChainVerifier, GENESIS_HASH, hashEvent } from './audit.chain.js';
export { type AuditRouteDeps, auditRoutes, auditView } from './audit.routes.js';
export { type AuditService, type Change, createAuditService, type ExternalAnchor, type VerifyResult } from './audit.service.js';
