import type { Grant } from '../../access/index.js';
import type { CaseRoles, CaseSnapshot, CaseTypeDef, RelRole } from './definition.js';

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
  snap: Pick<CaseSnapshot, 'initiatorUnitId' | 'initiatorUnitPath' | 'drafterPersonId' | 'signingLeaderPersonId' | 'parts'> &
    Partial<Pick<CaseSnapshot, 'state' | 'fields'>>,
  def?: Pick<CaseTypeDef, 'states'>,
): CaseRoles {
  const onCase = new Set<RelRole>();
  const memberOf = new Set(actor.grants.map((g) => g.unitId));
  if (actor.personId === snap.drafterPersonId) onCase.add('drafter').add('initiator');
  if (memberOf.has(snap.initiatorUnitId)) onCase.add('initiator');
  if (snap.signingLeaderPersonId !== null && actor.personId === snap.signingLeaderPersonId) onCase.add('signing_leader');
  if (def && currentApprover(def, snap) === actor.personId) onCase.add('approver');
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

/**
 * The person whose turn it is in an approval chain: the case's state names a field (`StateDef.approver`),
 * the field names the person. null outside the chain's states or when the field is empty.
 */
export function currentApprover(def: Pick<CaseTypeDef, 'states'>, snap: Partial<Pick<CaseSnapshot, 'state' | 'fields'>>): number | null {
  const field = def.states.find((s) => s.level === 'case' && s.code === snap.state)?.approver;
  const id = field ? snap.fields?.[field] : undefined;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
}

/** Anyone with a role in the case sees it; the case.read permission over a party's unit is the other way in. */
export function hasAnyRole(roles: CaseRoles): boolean {
  if (roles.onCase.size > 0) return true;
  for (const r of roles.onPart.values()) if (r.size > 0) return true;
  return false;
}

/**
 * How a type's drafts are told apart (issue 8, security 4). A type that is issued (a transition starts
 * revision 1) keeps a case private until its first issue, whatever its state (a withdrawn draft stays
 * private); a type without an issue (an operation ticket) while it is still being filled in.
 */
export function draftPrivacy(def: Pick<CaseTypeDef, 'transitions' | 'editableIn' | 'initialState'>): {
  untilIssued: boolean;
  editableIn: readonly string[];
  /** The state in which only the drafting unit has it: the signing leader is not shown it yet. */
  initialState: string;
} {
  return { untilIssued: def.transitions.some((t) => t.newRevision), editableIn: def.editableIn, initialState: def.initialState };
}

export function isPrivateDraft(def: Pick<CaseTypeDef, 'transitions' | 'editableIn' | 'initialState'>, snap: Pick<CaseSnapshot, 'revision' | 'state'>): boolean {
  const p = draftPrivacy(def);
  return p.untilIssued ? snap.revision === 0 : p.editableIn.includes(snap.state);
}

/**
 * The roles that open a private draft: its drafter and drafting unit, the approver whose turn it is,
 * and the signing leader once it has left the drafter's hands. Office, supervision and receivers do not.
 */
export function mayReadDraft(def: Pick<CaseTypeDef, 'initialState'>, snap: Pick<CaseSnapshot, 'state'>, roles: CaseRoles): boolean {
  const r = roles.onCase;
  return r.has('drafter') || r.has('initiator') || r.has('approver') || (r.has('signing_leader') && snap.state !== def.initialState);
}

/** The case is over (销号, withdrawn, voided): its final state. It takes comments, not new attachments (ADR 0005). */
export function isClosed(def: Pick<CaseTypeDef, 'states'>, snap: Pick<CaseSnapshot, 'state'>): boolean {
  return !!def.states.find((s) => s.level === 'case' && s.code === snap.state)?.final;
}

/** The part owes nothing any more: its own state is final, or the case is closed (no 已超期 then). */
export function isPartOver(def: Pick<CaseTypeDef, 'states'>, snap: Pick<CaseSnapshot, 'state'>, partState: string): boolean {
  return isClosed(def, snap) || !!def.states.find((s) => s.level === 'part' && s.code === partState)?.final;
}
