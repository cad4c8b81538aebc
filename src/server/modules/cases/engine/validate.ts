import { POLICIES } from '../../policy/core.js';
import type { Amount, BuiltInRole, CaseTypeDef, DeadlineRule, Effect, Level, OrgRoleRef } from './definition.js';

/** Every built-in relational role the engine resolves (engine/roles.ts); a type declares any other it uses (`roles`). */
export const REL_ROLES: readonly BuiltInRole[] = ['drafter', 'initiator', 'signing_leader', 'receiver', 'handler', 'office', 'supervision', 'approver'];

/** One thing wrong with a case type: the field of the definition and what it names. */
export interface TypeProblem {
  /** Path in the definition, e.g. "transitions[3].to", "clocks[0].onExpiry[1].state". */
  field: string;
  /** What the field names that the type does not declare (or the bad value). */
  value: string;
  kind: 'undeclared_state' | 'undeclared_role' | 'undeclared_clock' | 'unknown_type' | 'invalid';
}

const KIND_TEXT: Record<TypeProblem['kind'], { zh: string; en: string }> = {
  undeclared_state: { zh: '未声明的状态', en: 'an undeclared state' },
  undeclared_role: { zh: '未声明的角色', en: 'an undeclared role' },
  undeclared_clock: { zh: '未声明的期限', en: 'an undeclared clock' },
  unknown_type: { zh: '不存在的表单类型', en: 'a case type that does not exist' },
  invalid: { zh: '无效的值', en: 'an invalid value' },
};

/** A case type that cannot be used: refused when the server starts, naming the type and each field. */
export class CaseTypeError extends Error {
  constructor(
    readonly typeCode: string,
    readonly problems: readonly TypeProblem[],
  ) {
    const lines = problems.map((p) => `${p.field}: ${KIND_TEXT[p.kind].en} "${p.value}" / ${p.field}：${KIND_TEXT[p.kind].zh}「${p.value}」`);
    super(`case type ${typeCode} / 表单类型 ${typeCode}:\n  ${lines.join('\n  ')}`);
    this.name = 'CaseTypeError';
  }
}

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * What is wrong with a case type definition (empty: nothing): every state, role and clock a field
 * names must be declared by the type — in its initial states, transitions, clocks and their effects,
 * the states closing it — and every time and number a clock counts must be usable. Pure.
 */
export function caseTypeProblems(def: CaseTypeDef, knownTypes: ReadonlySet<string> = new Set([def.code])): TypeProblem[] {
  const out: TypeProblem[] = [];
  const type = (field: string, code: string) => {
    if (!knownTypes.has(code) && code !== def.code) out.push({ field, value: code, kind: 'unknown_type' });
  };
  const states = (level: Level) => new Set(def.states.filter((s) => s.level === level).map((s) => s.code));
  const caseStates = states('case');
  const partStates = states('part');
  const clocks = new Set(def.clocks.map((c) => c.code));
  const roles = new Set<string>([...REL_ROLES, ...Object.keys(def.roles ?? {})]);
  const state = (field: string, level: Level, code: string | null | undefined) => {
    if (code !== null && code !== undefined && !(level === 'case' ? caseStates : partStates).has(code))
      out.push({ field, value: code, kind: 'undeclared_state' });
  };
  const role = (field: string, code: string | undefined) => {
    if (code !== undefined && !roles.has(code)) out.push({ field, value: code, kind: 'undeclared_role' });
  };
  const clock = (field: string, code: string) => {
    if (!clocks.has(code)) out.push({ field, value: code, kind: 'undeclared_clock' });
  };
  const amount = (field: string, a: Amount, fractional: boolean) => {
    if ('value' in a && (!Number.isFinite(a.value) || a.value < 0 || (!fractional && !Number.isInteger(a.value)) || !a.source?.trim()))
      out.push({ field, value: String(a.value), kind: 'invalid' });
  };
  const effects = (field: string, list: readonly Effect[], onExpiry = false) => {
    for (const [i, e] of list.entries()) {
      const at = `${field}[${i}]`;
      if (e.kind === 'createCases') {
        type(`${at}.type`, e.type);
        // A clock runs out with nobody acting: only the system can create the child there.
        if (onExpiry && e.as === 'actor') out.push({ field: `${at}.as`, value: e.as, kind: 'invalid' });
      }
      if (e.kind === 'notify') for (const [j, r] of e.to.entries()) role(`${at}.to[${j}]`, r);
      if (e.kind === 'moveTo') {
        state(`${at}.state`, e.level, e.state);
        state(`${at}.partsTo`, 'part', e.partsTo);
        for (const [j, c] of (e.startClocks ?? []).entries()) clock(`${at}.startClocks[${j}]`, c);
        for (const [j, c] of (e.stopClocks ?? []).entries()) clock(`${at}.stopClocks[${j}]`, c);
      }
    }
  };
  const rule = (field: string, r: DeadlineRule) => {
    if (r.kind !== 'relative') return;
    amount(`${field}.amount`, r.amount, r.unit === 'hours');
    if (r.at !== undefined && !TIME_RE.test(r.at)) out.push({ field: `${field}.at`, value: r.at, kind: 'invalid' });
  };

  const orgRole = (field: string, ref: OrgRoleRef) => {
    if ('policy' in ref ? !(ref.policy in POLICIES) : !ref.code?.trim())
      out.push({ field, value: 'policy' in ref ? ref.policy : String(ref.code), kind: 'invalid' });
  };
  // Declared roles: none shadows a built-in one; each source names what it resolves from.
  for (const [code, src] of Object.entries(def.roles ?? {})) {
    const at = `roles.${code}`;
    if ((REL_ROLES as readonly string[]).includes(code)) out.push({ field: at, value: code, kind: 'invalid' });
    if ((src.kind === 'fieldPerson' || src.kind === 'fieldUnit') && !src.field?.trim())
      out.push({ field: `${at}.field`, value: String(src.field), kind: 'invalid' });
    if (src.kind === 'unitRole') orgRole(`${at}.role`, src.role);
    if (src.kind === 'chain') {
      if (typeof src.above !== 'string' && !src.above.field?.trim()) out.push({ field: `${at}.above.field`, value: String(src.above.field), kind: 'invalid' });
      if (src.pick.kind === 'firstWithRole') orgRole(`${at}.pick.role`, src.pick.role);
      else if (!Number.isInteger(src.pick.rank) || src.pick.rank <= 0) out.push({ field: `${at}.pick.rank`, value: String(src.pick.rank), kind: 'invalid' });
    }
  }
  state('initialState', 'case', def.initialState);
  // A type without parts (an operation ticket) declares no part state; its initial part state is never used.
  if (partStates.size > 0) state('initialPartState', 'part', def.initialPartState);
  if (def.closedState !== undefined && !caseStates.has(def.closedState)) state('closedState', 'case', def.closedState);
  for (const [i, s] of (def.closeWhenAllPartsIn ?? []).entries()) state(`closeWhenAllPartsIn[${i}]`, 'part', s);
  for (const [i, s] of def.editableIn.entries()) state(`editableIn[${i}]`, 'case', s);
  for (const [i, s] of def.states.entries()) role(`states[${i}].awaits`, s.awaits);
  for (const [i, t] of def.transitions.entries()) {
    const at = `transitions[${i}]`;
    for (const [j, s] of t.from.entries()) state(`${at}.from[${j}]`, t.level, s);
    state(`${at}.to`, t.level, t.to);
    state(`${at}.partsTo`, 'part', t.partsTo);
    state(`${at}.caseTo`, 'case', t.caseTo);
    state(`${at}.otherPartsTo`, 'part', t.otherPartsTo);
    for (const [j, r] of t.by.entries()) role(`${at}.by[${j}]`, r);
    for (const [j, c] of (t.startClocks ?? []).entries()) clock(`${at}.startClocks[${j}]`, c);
    for (const [j, c] of (t.stopClocks ?? []).entries()) clock(`${at}.stopClocks[${j}]`, c);
    for (const [j, n] of (t.notify ?? []).entries()) for (const [k, r] of n.to.entries()) role(`${at}.notify[${j}].to[${k}]`, r);
    for (const [j, m] of (t.ifMissed ?? []).entries()) {
      clock(`${at}.ifMissed[${j}].clock`, m.clock);
      effects(`${at}.ifMissed[${j}].effects`, m.effects);
    }
    effects(`${at}.effects`, t.effects ?? []);
  }
  for (const [i, c] of def.clocks.entries()) {
    const at = `clocks[${i}]`;
    role(`${at}.awaits`, c.awaits);
    rule(`${at}.rule`, c.rule);
    for (const [j, r] of (c.reminders ?? []).entries()) amount(`${at}.reminders[${j}].before`, r.before, true);
    effects(`${at}.onExpiry`, c.onExpiry, true);
  }
  if (def.merge) {
    const m = def.merge;
    const final = (code: string) => !!def.states.find((s) => s.level === 'case' && s.code === code)?.final;
    state('merge.state', 'case', m.state);
    if (caseStates.has(m.state) && final(m.state)) out.push({ field: 'merge.state', value: m.state, kind: 'invalid' });
    state('merge.result', 'case', m.result);
    if (caseStates.has(m.result) && !final(m.result)) out.push({ field: 'merge.result', value: m.result, kind: 'invalid' });
    state('merge.partsTo', 'part', m.partsTo);
    for (const [j, r] of m.by.entries()) role(`merge.by[${j}]`, r);
    for (const [j, r] of (m.notify ?? []).entries()) role(`merge.notify[${j}]`, r);
    for (const [j, c] of (m.into ?? []).entries()) type(`merge.into[${j}]`, c);
  }
  return out;
}

/**
 * Refuses a case type that names what it does not declare (see {@link caseTypeProblems}); returns it
 * otherwise. `knownTypes`: the types the server runs, which the child cases and merges it names must
 * be among (default: only itself).
 */
export function validateCaseType<T extends CaseTypeDef>(def: T, knownTypes?: ReadonlySet<string>): T {
  const problems = caseTypeProblems(def, knownTypes);
  if (problems.length) throw new CaseTypeError(def.code, problems);
  return def;
}
