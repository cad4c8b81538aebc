import type { Grant } from '../../access/index.js';
import type { CaseRoles, CaseSnapshot, RelRole } from './definition.js';

export interface CaseActor {
  personId: number;
  grants: readonly Grant[];
}

/** Role codes (org data, seeded by setup) whose holders act as the office and as supervision. */
export const OFFICE_ROLE = 'office';
export const SUPERVISION_ROLE = 'supervision';

/**
 * Relational roles of one person in one case (issue 4: "relational roles resolved per case").
 * Membership means a role held *in* the unit itself; office and supervision reach every unit in
 * the subtree they hold their role in.
 */
export function resolveRoles(
  actor: CaseActor,
  snap: Pick<CaseSnapshot, 'initiatorUnitId' | 'initiatorUnitPath' | 'drafterPersonId' | 'signingLeaderPersonId' | 'parts'>,
): CaseRoles {
  const onCase = new Set<RelRole>();
  const memberOf = new Set(actor.grants.map((g) => g.unitId));
  if (actor.personId === snap.drafterPersonId) onCase.add('drafter').add('initiator');
  if (memberOf.has(snap.initiatorUnitId)) onCase.add('initiator');
  if (snap.signingLeaderPersonId !== null && actor.personId === snap.signingLeaderPersonId) onCase.add('signing_leader');
  const over = (role: string) => actor.grants.some((g) => g.role === role && snap.initiatorUnitPath.startsWith(g.unitPath));
  if (over(OFFICE_ROLE)) onCase.add('office');
  if (over(SUPERVISION_ROLE)) onCase.add('supervision');
  const onPart = new Map<number, Set<RelRole>>();
  for (const p of snap.parts) {
    const r = new Set(onCase);
    if (memberOf.has(p.unitId)) r.add('receiver');
    if (p.handlerPersonId !== null && p.handlerPersonId === actor.personId) r.add('handler').add('receiver');
    onPart.set(p.id, r);
  }
  return { onCase, onPart };
}

/** Anyone with a role in the case sees it; the case.read permission over a party's unit is the other way in. */
export function hasAnyRole(roles: CaseRoles): boolean {
  if (roles.onCase.size > 0) return true;
  for (const r of roles.onPart.values()) if (r.size > 0) return true;
  return false;
}
