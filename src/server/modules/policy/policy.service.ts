import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import type { AuditService } from '../audit/index.js';
import { POLICIES, type PolicyKey, type PolicyValue } from './policy.defaults.js';
import { policyRepository } from './policy.repository.js';

export function createPolicyService(db: Database, clock: Clock, audit: AuditService) {
  const repo = policyRepository(db);
  return {
    /** The organization's value, or the default when unset or no longer valid under the schema. */
    async get<K extends PolicyKey>(key: K, q: Queryable = db.kysely): Promise<PolicyValue<K>> {
      const stored = await repo.value(key, q);
      if (stored !== undefined) {
        const parsed = POLICIES[key].schema.safeParse(JSON.parse(stored));
        if (parsed.success) return parsed.data as PolicyValue<K>;
      }
      return POLICIES[key].default as PolicyValue<K>;
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
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
