import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { problemsFromZod } from '../../platform/http/messages.js';
import type { AuditService } from '../audit/index.js';
import { POLICIES, type PolicyKey, type PolicyValue } from './policy.defaults.js';
import { policyRepository } from './policy.repository.js';

/** The organization's value, or the default when unset or no longer valid under the schema. */
function effective<K extends PolicyKey>(key: K, stored: string | undefined): PolicyValue<K> {
  if (stored !== undefined) {
    const parsed = POLICIES[key].schema.safeParse(JSON.parse(stored));
    if (parsed.success) return parsed.data as PolicyValue<K>;
  }
  return POLICIES[key].default as PolicyValue<K>;
}

export function createPolicyService(db: Database, clock: Clock, audit: AuditService) {
  const repo = policyRepository(db);
  return {
    async get<K extends PolicyKey>(key: K, q: Queryable = db.kysely): Promise<PolicyValue<K>> {
      return effective(key, await repo.value(key, q));
    },
    /** Several policies in one read (a case action needs four). */
    async getMany<K extends PolicyKey>(keys: readonly K[], q: Queryable = db.kysely): Promise<{ [P in K]: PolicyValue<P> }> {
      const stored = await repo.values(keys, q);
      return Object.fromEntries(keys.map((k) => [k, effective(k, stored.get(k))])) as { [P in K]: PolicyValue<P> };
    },
    async set<K extends PolicyKey>(tx: Tx, ctx: RequestContext, key: K, value: PolicyValue<K>, unitId: number | null) {
      const before = await this.get(key, tx);
      const parsed = POLICIES[key].schema.parse(value);
      await repo.upsert(tx, key, JSON.stringify(parsed), clock.now().toISOString(), ctx.actor?.accountId ?? null);
      await audit.record(tx, ctx, { action: 'policy.update', entityType: 'policy', entityId: key, unitId, before, after: parsed });
    },
    list() {
      return Object.entries(POLICIES).map(([key, p]) => ({ key, default: p.default, source: p.source }));
    },
    async view() {
      const out = [];
      for (const [key, p] of Object.entries(POLICIES)) {
        const stored = await repo.value(key, db.kysely);
        out.push({ key, value: await this.get(key as PolicyKey), default: p.default, source: p.source, overridden: stored !== undefined });
      }
      return out;
    },
    /** An administrator's change: validated by the policy's own schema, audited in the same transaction. */
    async change(ctx: RequestContext, key: string, value: unknown, rootUnit: () => Promise<{ id: number }>) {
      if (!(key in POLICIES)) throw notFound('policy');
      const k = key as PolicyKey;
      const parsed = POLICIES[k].schema.safeParse(value, { reportInput: true });
      if (!parsed.success) throw new AppError('VALIDATION', { summary: 'value' }, problemsFromZod(parsed.error.issues, ['value']));
      const unitId = (await rootUnit()).id;
      await db.kysely.transaction().execute((tx) => this.set(tx, ctx, k, parsed.data as PolicyValue<typeof k>, unitId));
      return (await this.view()).find((p) => p.key === key);
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
