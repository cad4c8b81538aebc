import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { type FieldProblem, problemsFromZod } from '../../platform/http/messages.js';
import type { AuditService } from '../audit/index.js';
import { POLICIES, POLICY_GROUPS, type PolicyGroup, type PolicyKey, type PolicyValue } from './policy.defaults.js';
import { policyRepository } from './policy.repository.js';

/** The organization's value, or the default when unset or no longer valid under the schema. */
function effective<K extends PolicyKey>(key: K, stored: string | undefined): PolicyValue<K> {
  if (stored !== undefined) {
    const parsed = POLICIES[key].schema.safeParse(JSON.parse(stored));
    if (parsed.success) return parsed.data as PolicyValue<K>;
  }
  return POLICIES[key].default as PolicyValue<K>;
}

type Values = Partial<Record<PolicyKey, unknown>>;

/** The keys to read with `keys` so every group they belong to can be checked. */
function withPartners(keys: readonly PolicyKey[]): PolicyKey[] {
  const out = new Set(keys);
  for (const g of POLICY_GROUPS) if (g.keys.some((k) => out.has(k))) for (const k of g.keys) out.add(k);
  return [...out];
}

const holds = (g: PolicyGroup, v: Values) => (v[g.keys[0]] as number | string) < (v[g.keys[1]] as number | string);

/**
 * What `values` (the whole picture: changes over what is in force) breaks among the groups the
 * changed keys belong to. The changed key is named; when both changed, the second.
 */
export function groupProblems(values: Values, changed: ReadonlySet<string>, pathOf: (key: PolicyKey) => string): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const g of POLICY_GROUPS) {
    if (!g.keys.some((k) => changed.has(k)) || holds(g, values)) continue;
    const [a, b] = g.keys;
    if (changed.has(b)) out.push({ path: pathOf(b), key: 'policy_after', params: { other: a, value: String(values[a]) } });
    else out.push({ path: pathOf(a), key: 'policy_before', params: { other: b, value: String(values[b]) } });
  }
  return out;
}

const invalid = (problems: FieldProblem[]) => new AppError('VALIDATION', { summary: problems.map((p) => p.path).join(', ') }, problems);

export function createPolicyService(db: Database, clock: Clock, audit: AuditService) {
  const repo = policyRepository(db);

  /** Values in force: each by its schema, then each group as a whole (a broken pair falls back to its defaults). */
  async function inForce(keys: readonly PolicyKey[], q: Queryable): Promise<Values> {
    const all = withPartners(keys);
    const stored = await repo.values(all, q);
    const v: Values = Object.fromEntries(all.map((k) => [k, effective(k, stored.get(k))]));
    for (const g of POLICY_GROUPS) if (g.keys.every((k) => k in v) && !holds(g, v)) for (const k of g.keys) v[k] = POLICIES[k].default;
    return v;
  }

  return {
    async get<K extends PolicyKey>(key: K, q: Queryable = db.kysely): Promise<PolicyValue<K>> {
      return (await inForce([key], q))[key] as PolicyValue<K>;
    },
    /** Several policies in one read (a case action needs four). */
    async getMany<K extends PolicyKey>(keys: readonly K[], q: Queryable = db.kysely): Promise<{ [P in K]: PolicyValue<P> }> {
      const v = await inForce(keys, q);
      return Object.fromEntries(keys.map((k) => [k, v[k]])) as { [P in K]: PolicyValue<P> };
    },
    /**
     * Changes several policies in `tx`, each by its schema and every group they touch as a whole,
     * with one audit event per key. Refused (VALIDATION, fields named by `pathOf`) before anything is written.
     */
    async setMany(tx: Tx, ctx: RequestContext, values: Values, unitId: number | null, pathOf: (key: PolicyKey) => string = (k) => k) {
      const keys = Object.keys(values) as PolicyKey[];
      const problems: FieldProblem[] = [];
      const parsed: Values = {};
      for (const k of keys) {
        const r = POLICIES[k].schema.safeParse(values[k], { reportInput: true });
        if (r.success) parsed[k] = r.data;
        else problems.push(...problemsFromZod(r.error.issues, [pathOf(k)]));
      }
      if (problems.length) throw invalid(problems);
      const before = await inForce(keys, tx);
      problems.push(...groupProblems({ ...before, ...parsed }, new Set(keys), pathOf));
      if (problems.length) throw invalid(problems);
      const now = clock.now().toISOString();
      for (const k of keys) {
        await repo.upsert(tx, k, JSON.stringify(parsed[k]), now, ctx.actor?.accountId ?? null);
        await audit.record(tx, ctx, { action: 'policy.update', entityType: 'policy', entityId: k, unitId, before: before[k], after: parsed[k] });
      }
    },
    async set<K extends PolicyKey>(tx: Tx, ctx: RequestContext, key: K, value: PolicyValue<K>, unitId: number | null) {
      await this.setMany(tx, ctx, { [key]: value }, unitId);
    },
    list() {
      return Object.entries(POLICIES).map(([key, p]) => ({ key, default: p.default, source: p.source }));
    },
    async view() {
      const keys = Object.keys(POLICIES) as PolicyKey[];
      const stored = await repo.values(keys, db.kysely);
      const v = await inForce(keys, db.kysely);
      return keys.map((key) => ({ key, value: v[key], default: POLICIES[key].default, source: POLICIES[key].source, overridden: stored.has(key) }));
    },
    /** An administrator's change: validated by the policy's own schema and its group, audited in the same transaction. */
    async change(ctx: RequestContext, key: string, value: unknown, rootUnit: () => Promise<{ id: number }>) {
      if (!(key in POLICIES)) throw notFound('policy');
      const unitId = (await rootUnit()).id;
      await db.kysely.transaction().execute((tx) => this.setMany(tx, ctx, { [key as PolicyKey]: value }, unitId, () => 'value'));
      return (await this.view()).find((p) => p.key === key);
    },
    /** Several changes at once, all or nothing: a pair that belongs together can be moved in one step. */
    async changeMany(ctx: RequestContext, values: Record<string, unknown>, rootUnit: () => Promise<{ id: number }>) {
      const unknown = Object.keys(values).filter((k) => !(k in POLICIES));
      if (unknown.length) throw invalid(unknown.map((k) => ({ path: `values.${k}`, key: 'unrecognized_key', params: {} })));
      const unitId = (await rootUnit()).id;
      await db.kysely.transaction().execute((tx) => this.setMany(tx, ctx, values as Values, unitId, (k) => `values.${k}`));
      return this.view();
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
