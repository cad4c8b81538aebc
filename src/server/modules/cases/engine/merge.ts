import type { Calendar } from '../../calendar/index.js';
import type { PolicyNumbers } from './clocks.js';
import type { CaseRoles, CaseSnapshot, CaseTypeDef, RelRole } from './definition.js';
import { followPlan, type Plan } from './machine.js';
import { isClosed } from './roles.js';

/**
 * Merging cases (归纳整改, issue 9 §4; DOMAIN.md seed 2: 89 reports merged into 48 rectifications).
 * Pure: the service loads both cases, the person's roles and each case's organization, and applies
 * the plan. A merged case waits in its type's merge state and follows the case it was merged into.
 */

/** Unit types that make a unit an organization of its own (an enterprise, a township, a school) under a group's root. */
export const ORGANIZATION_UNIT_TYPES: readonly string[] = ['group', 'company', 'plant', 'mine', 'township', 'school'];

/** The organization a unit belongs to: the nearest unit at or above it (root first in `chain`) of an organization type; else the root. */
export function organizationOf(chain: readonly { id: number; typeCode: string }[]): number | null {
  for (let i = chain.length - 1; i >= 0; i--) {
    const u = chain[i];
    if (u && ORGANIZATION_UNIT_TYPES.includes(u.typeCode)) return u.id;
  }
  return chain[0]?.id ?? null;
}

export type MergeRefusal =
  /** 400, `targetCaseId`: a case cannot be merged into itself. */
  | { kind: 'self' }
  /** 409: the type does not merge (or not into the target's type). */
  | { kind: 'not_mergeable' }
  | { kind: 'other_type' }
  /** 403: the person holds none of the roles the type lets merge. */
  | { kind: 'not_your_role' }
  /** 409: the case is already merged, or over. */
  | { kind: 'already_merged' }
  | { kind: 'closed' }
  /** 409, `targetCaseId`: the target is over, itself merged, or in another organization. */
  | { kind: 'target_closed' }
  | { kind: 'target_merged' }
  | { kind: 'other_organization' };

export interface MergeArgs {
  def: CaseTypeDef;
  snap: CaseSnapshot;
  roles: CaseRoles;
  target: { def: CaseTypeDef; snap: CaseSnapshot };
  /** The organization (unit id) of each case's initiating unit ({@link organizationOf}). */
  organization: number | null;
  targetOrganization: number | null;
  now: Date;
  cal: Calendar;
  policies: PolicyNumbers;
}

/** Who may merge a case of this type: the type's roles, by default the office over the initiating unit. */
export const mergeRoles = (def: CaseTypeDef): readonly RelRole[] => def.merge?.by ?? ['office'];

/** Merging `snap` into `target`, or why not. Checks in the order the person can fix them: the request, their role, the cases. */
export function planMerge(a: MergeArgs): Plan | MergeRefusal {
  const { def, snap, target } = a;
  if (snap.id === target.snap.id) return { kind: 'self' };
  const m = def.merge;
  if (!m) return { kind: 'not_mergeable' };
  if (!mergeRoles(def).some((r) => a.roles.onCase.has(r))) return { kind: 'not_your_role' };
  if (snap.mergedIntoCaseId) return { kind: 'already_merged' };
  if (isClosed(def, snap)) return { kind: 'closed' };
  if (!(m.into ?? [def.code]).includes(target.def.code)) return { kind: 'other_type' };
  if (a.organization !== a.targetOrganization) return { kind: 'other_organization' };
  if (isClosed(target.def, target.snap)) return { kind: 'target_closed' };
  if (target.snap.mergedIntoCaseId) return { kind: 'target_merged' };
  return followPlan(a, 'merge', m.state, m.partsTo);
}

export const isMergeRefusal = (x: Plan | MergeRefusal): x is MergeRefusal => 'kind' in x;

/**
 * The state a merged case reaches when the case it follows reaches `targetState` (final): the same
 * state where its type has it as a final case state and both are of one type, else the type's result.
 */
export function mergeResultState(def: CaseTypeDef, targetDef: CaseTypeDef, targetState: string): string | null {
  if (!def.merge) return null;
  const same = def.code === targetDef.code && def.states.some((s) => s.level === 'case' && s.code === targetState && s.final);
  return same ? targetState : def.merge.result;
}
