import type { FieldProblem } from '../../platform/http/messages.js';
import { POLICIES, POLICY_GROUPS, type PolicyGroup, type PolicyKey } from './policy.defaults.js';

/**
 * Which value of a policy is in force where (issue 9 §8, ADR 0011). Pure: the stored values come in
 * as arguments. At a unit the nearest override on its path wins, else the organization's value,
 * else the default; a stored value its schema no longer accepts is passed over.
 */

export type PolicySource = { kind: 'default' } | { kind: 'organization' } | { kind: 'unit'; unitId: number; unitName: string };
export interface InForce {
  value: unknown;
  source: PolicySource;
}
export type Values = Partial<Record<PolicyKey, unknown>>;
export type Resolved = Partial<Record<PolicyKey, InForce>>;

/** A unit's own stored value (JSON) of a policy, with the unit's materialised path ("/1/4/9/"). */
export interface UnitOverride {
  unitId: number;
  unitName: string;
  unitPath: string;
  key: string;
  value: string;
}

/** Everything stored that the values of some keys depend on: the organization's values and the units' overrides. */
export interface PolicyState {
  org: ReadonlyMap<string, string>;
  overrides: readonly UnitOverride[];
}

/** The keys to read with `keys` so every group they belong to can be checked. */
export function withPartners(keys: readonly PolicyKey[]): PolicyKey[] {
  const out = new Set(keys);
  for (const g of POLICY_GROUPS) if (g.keys.some((k) => out.has(k))) for (const k of g.keys) out.add(k);
  return [...out];
}

export function holds(g: PolicyGroup, v: Values): boolean {
  const a = v[g.keys[0]] as number | string;
  const b = v[g.keys[1]] as number | string;
  return g.kind === 'ordered' ? a < b : a <= b;
}

/** A stored value as its schema reads it, or undefined when the schema no longer accepts it. */
function parse(key: PolicyKey, json: string | undefined): { value: unknown } | undefined {
  if (json === undefined) return undefined;
  try {
    const r = POLICIES[key].schema.safeParse(JSON.parse(json));
    return r.success ? { value: r.data } : undefined;
  } catch {
    return undefined;
  }
}

const isKey = (k: string): k is PolicyKey => k in POLICIES;

/** The overrides that apply at the unit with path `unitPath`: its own and its ancestors'. */
export const onPath = (overrides: readonly UnitOverride[], unitPath: string) => overrides.filter((o) => unitPath.startsWith(o.unitPath));

export interface ResolveOptions {
  /** Fall back when a group does not hold (reading, the default); off to see what a change would put in force. */
  groupFallback?: boolean;
}

/** The organization's values: each by its schema, else the default; a group that does not hold falls back to its defaults. */
export function resolveOrg(keys: readonly PolicyKey[], org: ReadonlyMap<string, string>, opts: ResolveOptions = {}): Resolved {
  const out: Resolved = {};
  for (const k of keys) {
    const p = parse(k, org.get(k));
    out[k] = p ? { value: p.value, source: { kind: 'organization' } } : { value: POLICIES[k].default, source: { kind: 'default' } };
  }
  if (opts.groupFallback !== false) {
    for (const g of POLICY_GROUPS) {
      if (!g.keys.every((k) => out[k]) || holds(g, valuesOf(out))) continue;
      for (const k of g.keys) out[k] = { value: POLICIES[k].default, source: { kind: 'default' } };
    }
  }
  return out;
}

/**
 * The values in force at a unit, given the overrides on its path (`onPath`): for a unit-scoped
 * policy the nearest valid override wins, else the organization's. A group that does not hold there
 * falls back to the organization's values of that group.
 */
export function resolveAt(
  keys: readonly PolicyKey[],
  state: { org: ReadonlyMap<string, string>; pathOverrides: readonly UnitOverride[] },
  opts: ResolveOptions = {},
): Resolved {
  const base = resolveOrg(keys, state.org, opts);
  const out: Resolved = { ...base };
  const nearestFirst = [...state.pathOverrides].sort((a, b) => b.unitPath.length - a.unitPath.length);
  for (const k of keys) {
    if (POLICIES[k].scope !== 'unit') continue;
    for (const o of nearestFirst) {
      if (o.key !== k) continue;
      const p = parse(k, o.value);
      if (!p) continue;
      out[k] = { value: p.value, source: { kind: 'unit', unitId: o.unitId, unitName: o.unitName } };
      break;
    }
  }
  if (opts.groupFallback !== false) {
    for (const g of POLICY_GROUPS) {
      if (!g.keys.every((k) => out[k]) || holds(g, valuesOf(out))) continue;
      for (const k of g.keys) out[k] = base[k];
    }
  }
  return out;
}

export function valuesOf(r: Resolved): Values {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v?.value]));
}

/** Where a change is made: the organization's value, or a unit's override. */
export type Level = { kind: 'organization' } | { kind: 'unit'; unitId: number; unitPath: string };

/** A change: for each key, the new value (already valid by its schema) or, for a unit, null to clear the override. */
export type Change = Partial<Record<PolicyKey, unknown | null>>;

/** The stored state once `change` is made at `level`. */
export function applyChange(state: PolicyState, level: Level, change: Change, unitName = ''): PolicyState {
  const keys = Object.keys(change).filter(isKey);
  if (level.kind === 'organization') {
    const org = new Map(state.org);
    for (const k of keys) org.set(k, JSON.stringify(change[k]));
    return { org, overrides: state.overrides };
  }
  const overrides = state.overrides.filter((o) => !(o.unitId === level.unitId && keys.includes(o.key as PolicyKey)));
  for (const k of keys) {
    if (change[k] === null || change[k] === undefined) continue;
    overrides.push({ unitId: level.unitId, unitName, unitPath: level.unitPath, key: k, value: JSON.stringify(change[k]) });
  }
  return { org: state.org, overrides };
}

/** The message for a group broken where the change is made: the changed key is named (the second when both changed). */
function brokenHere(g: PolicyGroup, v: Values, changed: ReadonlySet<string>, pathOf: (key: PolicyKey) => string): FieldProblem {
  const [a, b] = g.keys;
  if (changed.has(b)) return { path: pathOf(b), key: g.kind === 'ordered' ? 'policy_after' : 'policy_not_below', params: { other: a, value: String(v[a]) } };
  return { path: pathOf(a), key: g.kind === 'ordered' ? 'policy_before' : 'policy_not_above', params: { other: b, value: String(v[b]) } };
}

/**
 * What a change breaks among the groups its keys belong to, on the state after it (`after`): at the
 * level changed, and at every unit below it (for the organization: every unit) that has overrides
 * of the group's keys of its own. Groups are checked on the values as stored, with no fallback.
 */
export function groupProblems(after: PolicyState, level: Level, changed: ReadonlySet<string>, pathOf: (key: PolicyKey) => string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const raw = { groupFallback: false };
  for (const g of POLICY_GROUPS) {
    if (!g.keys.some((k) => changed.has(k))) continue;
    const keys = [...g.keys];
    const here =
      level.kind === 'organization'
        ? resolveOrg(keys, after.org, raw)
        : resolveAt(keys, { org: after.org, pathOverrides: onPath(after.overrides, level.unitPath) }, raw);
    if (!holds(g, valuesOf(here))) {
      out.push(brokenHere(g, valuesOf(here), changed, pathOf));
      continue;
    }
    const top = level.kind === 'organization' ? '/' : level.unitPath;
    const below = new Map<string, UnitOverride>();
    for (const o of after.overrides) {
      if (keys.includes(o.key as PolicyKey) && o.unitPath.startsWith(top) && o.unitPath !== top) below.set(o.unitPath, o);
    }
    const named = changed.has(g.keys[1]) ? g.keys[1] : g.keys[0];
    const other = named === g.keys[0] ? g.keys[1] : g.keys[0];
    for (const [path, o] of [...below].sort(([x], [y]) => x.length - y.length || x.localeCompare(y))) {
      const v = valuesOf(resolveAt(keys, { org: after.org, pathOverrides: onPath(after.overrides, path) }, raw));
      if (holds(g, v)) continue;
      out.push({ path: pathOf(named), key: 'policy_group_below', params: { unit: o.unitName, other, value: String(v[other]) } });
      break;
    }
  }
  return out;
}
