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

/** A chain position kept somewhere: the head row, the data directory's anchor file, a backup's manifest. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** Something `verify` found wrong beyond a broken link (ADR 0008). */
export type AuditProblem =
  /** The head row is gone: it is only ever moved forward, never deleted. */
  | { code: 'head_missing' }
  /** The head names events the chain no longer holds: the tail was cut. */
  | { code: 'truncated'; source: string; expectedSeq: number; lastSeq: number }
  /** At the position an anchor names, the chain holds another event (rewritten), or holds more than the head knows. */
  | { code: 'head_mismatch'; source: string; seq: number }
  /** A trigger that makes the tables append-only is missing, disabled or changed. */
  | { code: 'protection_missing'; name: string };

/**
 * Compares an anchor with the chain as walked: `tip` is the last intact event, `hashAt` the hash the
 * chain holds at the anchor's seq (undefined if none). A head row must equal the tip exactly; an
 * anchor kept elsewhere was written at some earlier moment, so the chain may have grown since.
 */
export function checkAnchor(source: string, anchor: ChainHead, tip: ChainHead, hashAt: string | undefined, exact: boolean): AuditProblem | undefined {
  if (anchor.seq > tip.seq) return { code: 'truncated', source, expectedSeq: anchor.seq, lastSeq: tip.seq };
  if (exact && anchor.seq !== tip.seq) return { code: 'head_mismatch', source, seq: tip.seq };
  const want = anchor.seq === 0 ? GENESIS_HASH : hashAt;
  if (anchor.seq === 0 ? anchor.hash !== GENESIS_HASH : want !== anchor.hash) return { code: 'head_mismatch', source, seq: anchor.seq };
  return undefined;
}

/**
 * Compares the head row with a chain walked while the server may append (the walk reads in pages):
 * `before` and `after` are the head as read before and after the walk. Every append moves the head in
 * its own transaction, so an intact chain reaches at least `before` (with its hash there) and goes no
 * further than `after`; when it ends exactly at `after` the hashes agree.
 */
export function checkLiveHead(before: ChainHead, after: ChainHead, tip: ChainHead, hashAtBefore: string | undefined): AuditProblem | undefined {
  return (
    checkAnchor('audit_head', before, tip, hashAtBefore, false) ??
    (tip.seq > after.seq ? { code: 'head_mismatch', source: 'audit_head', seq: tip.seq } : undefined) ??
    (tip.seq === after.seq ? checkAnchor('audit_head', after, tip, tip.hash, true) : undefined)
  );
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The triggers that make the audit tables append-only, as the migrations created them (whitespace
 * aside). A trigger dropped, disabled or rewritten (a `WHEN` added, a function that returns instead
 * of raising) no longer matches.
 */
export const AUDIT_PROTECTIONS = {
  sqlite: {
    audit_event_no_update: "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    audit_event_no_delete: "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    audit_head_forward:
      "CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq < OLD.seq BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
    audit_head_no_delete: "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END",
  },
  postgres: {
    audit_event_no_update:
      "CREATE TRIGGER audit_event_no_update BEFORE DELETE OR UPDATE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only() BEGIN RAISE EXCEPTION 'audit_event is append-only'; END",
    audit_event_no_truncate:
      "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only() BEGIN RAISE EXCEPTION 'audit_event is append-only'; END",
    audit_head_forward:
      "CREATE TRIGGER audit_head_forward BEFORE DELETE OR UPDATE ON audit_head FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only() BEGIN IF TG_OP = 'UPDATE' AND NEW.seq >= OLD.seq THEN RETURN NEW; END IF; RAISE EXCEPTION 'audit_head only moves forward'; END",
    audit_head_no_truncate:
      "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only() BEGIN IF TG_OP = 'UPDATE' AND NEW.seq >= OLD.seq THEN RETURN NEW; END IF; RAISE EXCEPTION 'audit_head only moves forward'; END",
  },
} as const;

/** Which expected protections are not in place, given the triggers the database reports. */
export function missingProtections(dialect: 'sqlite' | 'postgres', found: readonly { name: string; enabled: boolean; body: string }[]): string[] {
  const expected: Record<string, string> = AUDIT_PROTECTIONS[dialect];
  return Object.entries(expected)
    .filter(([name, body]) => {
      const t = found.find((f) => f.name === name);
      return !t?.enabled || squash(t.body) !== squash(body);
    })
    .map(([name]) => name);
}
