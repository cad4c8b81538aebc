import { createHash } from 'node:crypto';

/** The fields an audit event's hash covers: everything but the hash itself. */
export interface AuditFields {
  seq: number;
  at: string;
  actorAccountId: number | null;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  unitId: number | null;
  before: string | null;
  after: string | null;
  requestId: string | null;
  ip: string | null;
}

export interface ChainedEvent extends AuditFields {
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** hash = SHA-256(prevHash ‖ canonical JSON of the fields), so editing any field or reordering breaks the chain. */
export function hashEvent(prevHash: string, f: AuditFields): string {
  const canonical = JSON.stringify([
    f.seq,
    f.at,
    f.actorAccountId,
    f.actorName,
    f.action,
    f.entityType,
    f.entityId,
    f.unitId,
    f.before,
    f.after,
    f.requestId,
    f.ip,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export type ChainBreak = { seq: number; reason: 'sequence_gap' | 'prev_hash_mismatch' | 'hash_mismatch' };

/** Walks events in seq order; returns the first event whose link or content does not check out. */
export class ChainVerifier {
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  checked = 0;
  firstBreak: ChainBreak | undefined;

  push(e: ChainedEvent): boolean {
    if (this.firstBreak) return false;
    if (e.seq !== this.expectedSeq) this.firstBreak = { seq: e.seq, reason: 'sequence_gap' };
    else if (e.prevHash !== this.prevHash) this.firstBreak = { seq: e.seq, reason: 'prev_hash_mismatch' };
    else if (hashEvent(e.prevHash, e) !== e.hash) this.firstBreak = { seq: e.seq, reason: 'hash_mismatch' };
    if (this.firstBreak) return false;
    this.prevHash = e.hash;
    this.expectedSeq = e.seq + 1;
    this.checked++;
    return true;
  }
}
