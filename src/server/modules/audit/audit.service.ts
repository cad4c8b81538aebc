import path from 'node:path';
import type { Clock } from '../../platform/clock.js';
import { type RequestContext, SYSTEM_ACTOR_NAME } from '../../platform/context.js';
import type { Database, Tx } from '../../platform/db/database.js';
import { ANCHOR_FILE, readAnchor, writeAnchor } from './audit.anchor.js';
import {
  type AuditProblem,
  type ChainBreak,
  type ChainHead,
  ChainVerifier,
  checkAnchor,
  checkLiveHead,
  GENESIS_HASH,
  missingProtections,
} from './audit.chain.js';
import { type AuditQuery, auditRepository } from './audit.repository.js';

export interface Change {
  action: string; // e.g. 'unit.create', 'account.deactivate'
  entityType: string;
  entityId: string | number;
  /** The unit whose subtree this event belongs to, for scoped audit reading. */
  unitId?: number | null;
  before?: unknown;
  after?: unknown;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBreak?: ChainBreak;
  /** The last intact event. */
  tip: ChainHead;
  /** Cut tails, rewritten heads, missing protections (ADR 0008); empty when all is well. */
  problems: AuditProblem[];
}

/** A chain position kept outside the head row, to check the chain against. */
export interface ExternalAnchor {
  /** Where it came from (a file path), for the report. */
  source: string;
  head: ChainHead;
}

export function createAuditService(db: Database, clock: Clock) {
  const repo = auditRepository(db);
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  /** Several changes of one transaction, chained in the given order with batched inserts (imports, demo data). */
  const recordMany = (tx: Tx, ctx: RequestContext, changes: readonly Change[]) => {
    const at = clock.now().toISOString();
    return repo.append(
      tx,
      changes.map((c) => ({
        at,
        actorAccountId: ctx.actor?.accountId ?? null,
        // The system acting has no account; its name is recorded so that the chain says who did it (issue 9 §5).
        actorName: ctx.actor?.name ?? (ctx.system ? SYSTEM_ACTOR_NAME : null),
        action: c.action,
        entityType: c.entityType,
        entityId: String(c.entityId),
        unitId: c.unitId ?? null,
        before: json(c.before),
        after: json(c.after),
        requestId: ctx.requestId,
        ip: ctx.ip,
      })),
    );
  };

  return {
    /** Must be called inside the transaction that makes the change (ADR 0003). */
    record: async (tx: Tx, ctx: RequestContext, c: Change) => (await recordMany(tx, ctx, [c]))[0],
    recordMany,
    search: (q: AuditQuery) => repo.search(q),
    head: () => repo.head(),

    /**
     * Walks the chain, then checks it against its head row and any anchors kept elsewhere (a cut
     * tail), and checks the triggers that make the tables append-only are in place.
     */
    async verify(anchors: readonly ExternalAnchor[] = []): Promise<VerifyResult> {
      const v = new ChainVerifier();
      let tip: ChainHead = { seq: 0, hash: GENESIS_HASH };
      // The server may append while we walk: the head is read before and after (checkLiveHead).
      const before = await repo.head();
      for await (const e of repo.walk()) {
        if (!v.push(e)) break;
        tip = { seq: e.seq, hash: e.hash };
      }
      const after = await repo.head();
      const problems: AuditProblem[] = [];
      const hashAt = async (seq: number) => (seq === tip.seq ? tip.hash : seq < tip.seq ? (await repo.event(seq))?.hash : undefined);
      if (!before || !after) problems.push({ code: 'head_missing' });
      // A chain broken in the middle is reported as such; the head is compared with the chain as far as it is intact.
      else if (!v.firstBreak) {
        const p = checkLiveHead(before, after, tip, await hashAt(before.seq));
        if (p) problems.push(p);
      }
      for (const a of anchors) {
        const p = checkAnchor(a.source, a.head, tip, await hashAt(a.head.seq), false);
        if (p && !(v.firstBreak && p.code === 'truncated')) problems.push(p);
      }
      for (const name of missingProtections(db.dialect, await repo.triggers())) problems.push({ code: 'protection_missing', name });
      const ok = !v.firstBreak && problems.length === 0;
      return { ok, checked: v.checked, ...(v.firstBreak && { firstBreak: v.firstBreak }), tip, problems };
    },

    /**
     * Brings `audit-anchor.json` in `dir` up to the head row, never backwards: when the chain no
     * longer holds what the file names, the file is evidence and stays; the problem is returned.
     */
    async writeAnchor(dir: string): Promise<{ written: boolean; problem?: AuditProblem }> {
      const head = await repo.head();
      if (!head) return { written: false, problem: { code: 'head_missing' } };
      const file = path.join(dir, ANCHOR_FILE);
      const current = await readAnchor(file);
      if (current) {
        const p = checkAnchor(file, current, head, current.seq === head.seq ? head.hash : (await repo.event(current.seq))?.hash, false);
        if (p) return { written: false, problem: p };
        if (current.seq === head.seq) return { written: false };
      }
      await writeAnchor(dir, head, clock.now().toISOString());
      return { written: true };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
