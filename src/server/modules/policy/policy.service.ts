import type { Clock } from '../../platform/clock.js';
import type { RequestContext } from '../../platform/context.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { type FieldProblem, problemsFromZod } from '../../platform/http/messages.js';
import { assertUnitAccess, type Ctx } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { POLICIES, type PolicyKey, type PolicyScope, type PolicyValue } from './policy.defaults.js';
import { policyRepository } from './policy.repository.js';
import {
  applyChange,
  type Change,
  groupProblems,
  onPath,
  type PolicySource,
  type Resolved,
  resolveAt,
  resolveOrg,
  valuesOf,
  withPartners,
} from './policy.resolve.js';

type Values = Partial<Record<PolicyKey, unknown>>;

const invalid = (problems: FieldProblem[]) => new AppError('VALIDATION', { summary: problems.map((p) => p.path).join(', ') }, problems);

/** One policy as the policy page shows it, at the organization or at a unit. */
export interface PolicyView {
  key: string;
  value: unknown;
  default: unknown;
  /** Where the default comes from (the rulebook). */
  source: string;
  scope: PolicyScope;
  /** Set at the level asked for (the organization, or this very unit). */
  overridden: boolean;
  /** Where the value in force comes from. */
  origin: PolicySource;
}

const ALL_KEYS = Object.keys(POLICIES) as PolicyKey[];
const isKey = (k: string): k is PolicyKey => k in POLICIES;

export function createPolicyService(db: Database, clock: Clock, audit: AuditService) {
  const repo = policyRepository(db);

  /** The organization's values in force: each by its schema, then each group as a whole (a broken pair falls back to its defaults). */
  async function orgInForce(keys: readonly PolicyKey[], q: Queryable): Promise<Resolved> {
    return resolveOrg(withPartners(keys), await repo.values(withPartners(keys), q));
  }
  /** The values in force at a unit: two reads (the organization's values, the overrides on the unit's path), whatever the depth. */
  async function unitInForce(unitId: number, keys: readonly PolicyKey[], q: Queryable): Promise<Resolved> {
    const all = withPartners(keys);
    const [org, pathOverrides] = await Promise.all([repo.values(all, q), repo.overridesOnPath(unitId, all, q)]);
    return resolveAt(all, { org, pathOverrides });
  }
  const pick = <K extends PolicyKey>(r: Resolved, keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, r[k]?.value])) as { [P in K]: PolicyValue<P> };

  const viewOf = (r: Resolved, here: (s: PolicySource) => boolean): PolicyView[] =>
    ALL_KEYS.map((key) => {
      const f = r[key] ?? { value: POLICIES[key].default, source: { kind: 'default' as const } };
      return {
        key,
        value: f.value,
        default: POLICIES[key].default,
        source: POLICIES[key].source,
        scope: POLICIES[key].scope,
        overridden: here(f.source),
        origin: f.source,
      };
    });

  /** The unit, when it exists and the caller may see it (org.read over it; 404 otherwise). */
  async function visibleUnit(ctx: Ctx, unitId: number, permission: 'org.read' | 'policy.manage', q: Queryable = db.kysely) {
    const unit = await repo.unit(unitId, q);
    if (!unit) throw notFound('unit');
    assertUnitAccess(ctx, permission, unit.path);
    return unit;
  }

  /** Each value by its schema; refused (VALIDATION, fields named by `pathOf`) before anything is read. */
  function parseAll(values: Values, pathOf: (key: PolicyKey) => string, allowClear: boolean): Change {
    const problems: FieldProblem[] = [];
    const parsed: Change = {};
    for (const k of Object.keys(values) as PolicyKey[]) {
      if (allowClear && values[k] === null) {
        parsed[k] = null;
        continue;
      }
      const r = POLICIES[k].schema.safeParse(values[k], { reportInput: true });
      if (r.success) parsed[k] = r.data;
      else problems.push(...problemsFromZod(r.error.issues, [pathOf(k)]));
    }
    if (problems.length) throw invalid(problems);
    return parsed;
  }

  /** What the groups of `keys` depend on, as stored now. */
  async function stateOf(keys: readonly PolicyKey[], q: Queryable) {
    const all = withPartners(keys);
    const [org, overrides] = await Promise.all([repo.values(all, q), repo.overridesOf(all, q)]);
    return { org, overrides };
  }

  return {
    async get<K extends PolicyKey>(key: K, q: Queryable = db.kysely): Promise<PolicyValue<K>> {
      return (await orgInForce([key], q))[key]?.value as PolicyValue<K>;
    },
    /** Several policies in one read (a case action needs four): the organization's values. */
    async getMany<K extends PolicyKey>(keys: readonly K[], q: Queryable = db.kysely): Promise<{ [P in K]: PolicyValue<P> }> {
      return pick(await orgInForce(keys, q), keys);
    },
    /**
     * The values in force at a unit (issue 9 §8): the nearest override on its path, else the
     * organization's value, else the default. A constant number of reads, however deep the unit.
     */
    async forUnit<K extends PolicyKey>(unitId: number, keys: readonly K[], q: Queryable = db.kysely): Promise<{ [P in K]: PolicyValue<P> }> {
      return pick(await unitInForce(unitId, keys, q), keys);
    },
    /**
     * Changes several of the organization's policies in `tx`, each by its schema and every group
     * they touch as a whole (here and at every unit with overrides of its own), with one audit event
     * per key. Refused (VALIDATION, fields named by `pathOf`) before anything is written.
     */
    async setMany(tx: Tx, ctx: RequestContext, values: Values, unitId: number | null, pathOf: (key: PolicyKey) => string = (k) => k) {
      const keys = Object.keys(values) as PolicyKey[];
      const parsed = parseAll(values, pathOf, false);
      const level = { kind: 'organization' } as const;
      const problems = groupProblems(applyChange(await stateOf(keys, tx), level, parsed), level, new Set(keys), pathOf);
      if (problems.length) throw invalid(problems);
      const before = valuesOf(await orgInForce(keys, tx));
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
      return Object.entries(POLICIES).map(([key, p]) => ({ key, default: p.default, source: p.source, scope: p.scope }));
    },
    /** Every policy: the organization's value in force, its default and sources. */
    async view(): Promise<PolicyView[]> {
      return viewOf(await orgInForce(ALL_KEYS, db.kysely), (s) => s.kind === 'organization');
    },
    /** Every policy as in force at a unit the caller can see, with where each value comes from. */
    async viewAt(ctx: Ctx, unitId: number): Promise<PolicyView[]> {
      await visibleUnit(ctx, unitId, 'org.read');
      return viewOf(await unitInForce(unitId, ALL_KEYS, db.kysely), (s) => s.kind === 'unit' && s.unitId === unitId);
    },
    /** An administrator's change: validated by the policy's own schema and its group, audited in the same transaction. */
    async change(ctx: RequestContext, key: string, value: unknown, rootUnit: () => Promise<{ id: number }>) {
      if (!isKey(key)) throw notFound('policy');
      const unitId = (await rootUnit()).id;
      await db.kysely.transaction().execute((tx) => this.setMany(tx, ctx, { [key]: value }, unitId, () => 'value'));
      return (await this.view()).find((p) => p.key === key);
    },
    /** Several changes at once, all or nothing: a pair that belongs together can be moved in one step. */
    async changeMany(ctx: RequestContext, values: Record<string, unknown>, rootUnit: () => Promise<{ id: number }>) {
      const unknown = Object.keys(values).filter((k) => !isKey(k));
      if (unknown.length) throw invalid(unknown.map((k) => ({ path: `values.${k}`, key: 'unrecognized_key', params: {} })));
      const unitId = (await rootUnit()).id;
      await db.kysely.transaction().execute((tx) => this.setMany(tx, ctx, values as Values, unitId, (k) => `values.${k}`));
      return this.view();
    },
    /**
     * Sets (a value) or clears (null) a unit's overrides, all or nothing (issue 9 §8): only
     * unit-scoped policies, each by its schema, every group they touch checked at the unit and at
     * every unit below it with overrides of its own; one audit event per key in the same transaction.
     */
    async changeAtUnit(ctx: Ctx, unitId: number, values: Record<string, unknown>) {
      const pathOf = (k: string) => `values.${k}`;
      await db.kysely.transaction().execute(async (tx) => {
        const unit = await visibleUnit(ctx, unitId, 'policy.manage', tx);
        if (unit.parentId === null) throw invalid([{ path: 'unitId', key: 'policy_root_unit', params: {} }]);
        const problems: FieldProblem[] = [];
        for (const k of Object.keys(values)) {
          if (!isKey(k)) problems.push({ path: pathOf(k), key: 'unrecognized_key', params: {} });
          else if (POLICIES[k].scope !== 'unit') problems.push({ path: pathOf(k), key: 'policy_org_only', params: {} });
        }
        if (problems.length) throw invalid(problems);
        const parsed = parseAll(values as Values, pathOf, true);
        const keys = Object.keys(parsed) as PolicyKey[];
        const state = await stateOf(keys, tx);
        const level = { kind: 'unit', unitId, unitPath: unit.path } as const;
        const after = applyChange(state, level, parsed, unit.name);
        problems.push(...groupProblems(after, level, new Set(keys), pathOf));
        if (problems.length) throw invalid(problems);
        const own = new Map(
          onPath(state.overrides, unit.path)
            .filter((o) => o.unitId === unitId)
            .map((o) => [o.key, JSON.parse(o.value) as unknown]),
        );
        const now = clock.now().toISOString();
        for (const k of keys) {
          const value = parsed[k];
          const before = own.has(k) ? own.get(k) : null;
          if (value === null) {
            if (!own.has(k)) continue;
            await repo.deleteOverride(tx, unitId, k);
          } else await repo.upsertOverride(tx, unitId, k, JSON.stringify(value), now, ctx.actor?.accountId ?? null);
          await audit.record(tx, ctx, { action: 'policy.unit_update', entityType: 'policy', entityId: k, unitId, before, after: value ?? null });
        }
      });
      return this.viewAt(ctx, unitId);
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
