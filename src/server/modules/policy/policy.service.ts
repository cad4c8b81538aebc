import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { AuditService } from '../audit/index.js';
import { POLICIES, type PolicyKey, type PolicyValue } from './policy.defaults.js';

export function createPolicyService(db: Database, clock: Clock, audit: AuditService) {
  return {
    async get<K extends PolicyKey>(key: K, q: Queryable = db.kysely): Promise<PolicyValue<K>> {
      const row = await q.selectFrom('policy').select('value').where('key', '=', key).executeTakeFirst();
      if (row) {
        const parsed = POLICIES[key].schema.safeParse(JSON.parse(row.value));
        if (parsed.success) return parsed.data as PolicyValue<K>;
      }
      return POLICIES[key].default as PolicyValue<K>;
    },
    async set<K extends PolicyKey>(tx: Tx, ctx: RequestContext, key: K, value: PolicyValue<K>, unitId: number | null) {
      const before = await this.get(key, tx);
      const parsed = POLICIES[key].schema.parse(value);
      const now = clock.now().toISOString();
      const json = JSON.stringify(parsed);
      const updated = await tx
        .updateTable('policy')
        .set({ value: json, updated_at: now, updated_by: ctx.actor?.accountId ?? null })
        .where('key', '=', key)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        await tx
          .insertInto('policy')
          .values({ key, value: json, updated_at: now, updated_by: ctx.actor?.accountId ?? null })
          .execute();
      }
      await audit.record(tx, ctx, { action: 'policy.update', entityType: 'policy', entityId: key, unitId, before, after: parsed });
    },
    list() {
      return Object.entries(POLICIES).map(([key, p]) => ({ key, default: p.default, source: p.source }));
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
