import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Database, Tx } from '../../platform/db/database.js';
import { type ChainBreak, ChainVerifier } from './audit.chain.js';
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
        actorName: ctx.actor?.name ?? null,
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
    async verify(): Promise<VerifyResult> {
      const v = new ChainVerifier();
      for await (const e of repo.walk()) if (!v.push(e)) break;
      return v.firstBreak ? { ok: false, checked: v.checked, firstBreak: v.firstBreak } : { ok: true, checked: v.checked };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
