import type { CaseRoles, RelRole } from './definition.js';
import { isRefusal, type Plan, type PlanArgs, plan, type Refusal } from './machine.js';
import { type CaseActor, type RoleFacts, resolveRoles } from './roles.js';

/**
 * 委托代理 (issue 9 §2, ADR 0005 "Delegation"): a person whose delegation to the acting person is in
 * force now. The service finds them (the delegation module, its clock) and passes them in: the engine
 * never reads the time or the table.
 */
export interface Principal extends CaseActor {
  name: string;
}

/** The roles a person holds in a case as themselves, and as each person they stand in for. */
export interface DelegatedRoles {
  own: CaseRoles;
  as: readonly { principal: Principal; roles: CaseRoles }[];
  /** Everything they may do or see: their own roles and every principal's, merged. */
  all: CaseRoles;
}

export function mergeRoles(list: readonly CaseRoles[]): CaseRoles {
  const onCase = new Set(list.flatMap((r) => [...r.onCase]));
  const onPart = new Map<number, Set<RelRole>>();
  for (const r of list)
    for (const [id, roles] of r.onPart) {
      const set = onPart.get(id) ?? new Set<RelRole>();
      for (const x of roles) set.add(x);
      onPart.set(id, set);
    }
  return { onCase, onPart };
}

/** A deputy's roles: theirs, plus those their principals hold in this case (the principal's own relations and grants). */
export function resolveDelegatedRoles(
  actor: CaseActor,
  principals: readonly Principal[],
  snap: Parameters<typeof resolveRoles>[1],
  def?: Parameters<typeof resolveRoles>[2],
  facts?: RoleFacts,
): DelegatedRoles {
  const own = resolveRoles(actor, snap, def, facts);
  const as = principals.filter((p) => p.personId !== actor.personId).map((principal) => ({ principal, roles: resolveRoles(principal, snap, def, facts) }));
  return { own, as, all: as.length ? mergeRoles([own, ...as.map((a) => a.roles)]) : own };
}

/**
 * Which roles an action is taken with: the person's own when the table lets them take it, else the
 * first principal's whose roles do (the action is then recorded as taken on that principal's behalf).
 * When nobody's roles allow it, the answer is the refusal to the person themselves, unless that is
 * only "not your role" and a principal's role would allow the action with other input or in another
 * part (then that refusal says more).
 */
export function chooseRoles(args: Omit<PlanArgs, 'roles'>, roles: DelegatedRoles): { roles: CaseRoles; onBehalfOf: Principal | null; plan: Plan | Refusal } {
  const mine = plan({ ...args, roles: roles.own });
  if (!isRefusal(mine) || roles.as.length === 0) return { roles: roles.own, onBehalfOf: null, plan: mine };
  let fallback: { roles: CaseRoles; onBehalfOf: Principal | null; plan: Plan | Refusal } = { roles: roles.own, onBehalfOf: null, plan: mine };
  for (const a of roles.as) {
    const theirs = plan({ ...args, roles: a.roles });
    if (!isRefusal(theirs)) return { roles: a.roles, onBehalfOf: a.principal, plan: theirs };
    if ((fallback.plan as Refusal).kind === 'not_your_role' && theirs.kind !== 'not_your_role' && theirs.kind !== 'not_in_state')
      fallback = { roles: a.roles, onBehalfOf: a.principal, plan: theirs };
  }
  return fallback;
}
