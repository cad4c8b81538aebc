import type { Grant } from '../../access/index.js';
import { type ChainMember, reportingChain } from '../../org/core.js';
import { POLICIES, type PolicyKey } from '../../policy/core.js';
import type { CaseRoles, CaseSnapshot, CaseTypeDef, ChainPick, OrgRoleRef, RelRole, RoleSource } from './definition.js';

export interface CaseActor {
  personId: number;
  grants: readonly Grant[];
}

/**
 * The org role codes (org data, seeded by setup) whose holders act as the office and as supervision:
 * policies, so an organization whose office role has another code sets it (issue 9 §2).
 */
export const OFFICE_ROLE: OrgRoleRef = { policy: 'roles.office' };
export const SUPERVISION_ROLE: OrgRoleRef = { policy: 'roles.supervision' };

/** A person's way up (逐级汇报): the members of their unit, then of each unit above it, nearest first. */
export interface ChainLevels {
  /** The person's own rank in the chain (their highest chain role); null: none. */
  ownRank: number | null;
  /** Every member of each level, chain role or not (a specialist, a safety officer). */
  levels: readonly (readonly ChainMember[])[];
}

/**
 * What resolving roles needs beyond the case and the person, loaded by the service (the engine
 * reads nothing): the organization's role codes by policy key, and the way up from each person a
 * chain role counts from. Missing codes are the policies' defaults.
 */
export interface RoleFacts {
  roleCodes?: Readonly<Partial<Record<PolicyKey, unknown>>>;
  chains?: ReadonlyMap<number, ChainLevels>;
}

type RoleSnap = Pick<CaseSnapshot, 'initiatorUnitId' | 'initiatorUnitPath' | 'drafterPersonId' | 'signingLeaderPersonId' | 'parts'> &
  Partial<Pick<CaseSnapshot, 'state' | 'fields'>>;
type RoleDef = Pick<CaseTypeDef, 'states'> & Partial<Pick<CaseTypeDef, 'roles'>>;

/** The role code an organization uses: the literal, or the policy's value in force (its default without facts). */
export function orgRoleCode(ref: OrgRoleRef, facts?: RoleFacts): string {
  if ('code' in ref) return ref.code;
  return String(facts?.roleCodes?.[ref.policy] ?? POLICIES[ref.policy].default);
}

/** Every policy naming an org role code the type resolves with: office's and supervision's, then its declared roles'. */
export function roleCodeKeysOf(def: Partial<Pick<CaseTypeDef, 'roles'>>): PolicyKey[] {
  const refs: OrgRoleRef[] = [OFFICE_ROLE, SUPERVISION_ROLE];
  for (const src of Object.values(def.roles ?? {})) {
    if (src.kind === 'unitRole') refs.push(src.role);
    if (src.kind === 'chain' && src.pick.kind === 'firstWithRole') refs.push(src.pick.role);
  }
  return [...new Set(refs.flatMap((r) => ('policy' in r ? [r.policy] : [])))];
}

/** A positive integer id in a field, else null. */
const idIn = (fields: Record<string, unknown> | undefined, field: string): number | null => {
  const v = fields?.[field];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
};

/** The person a chain role counts up from: the drafter, or the person a field names. */
export function chainSubject(src: Extract<RoleSource, { kind: 'chain' }>, snap: Pick<CaseSnapshot, 'drafterPersonId'> & Partial<Pick<CaseSnapshot, 'fields'>>) {
  return src.above === 'drafter' ? snap.drafterPersonId : idIn(snap.fields, src.above.field);
}

/** The people whose way up the type's chain roles read, for the service to load. */
export function chainSubjectsOf(
  def: Partial<Pick<CaseTypeDef, 'roles'>>,
  snap: Pick<CaseSnapshot, 'drafterPersonId'> & Partial<Pick<CaseSnapshot, 'fields'>>,
): number[] {
  const out = new Set<number>();
  for (const src of Object.values(def.roles ?? {})) {
    if (src.kind !== 'chain') continue;
    const id = chainSubject(src, snap);
    if (id !== null) out.add(id);
  }
  return [...out];
}

/**
 * The people above a person that a chain role names (pure): the nearest holders of the role in the
 * person's unit or above it (all holders on that level, by id), or the reporting chain up to a rank.
 */
export function chainPeople(pick: ChainPick, subjectId: number, chain: ChainLevels, facts?: RoleFacts): number[] {
  if (pick.kind === 'upToRank')
    return reportingChain(subjectId, chain.ownRank, chain.levels)
      .filter((m) => (m.rank ?? 0) <= pick.rank)
      .map((m) => m.personId);
  const code = orgRoleCode(pick.role, facts);
  for (const level of chain.levels) {
    const ids = [...new Set(level.filter((m) => m.roleCode === code && m.personId !== subjectId).map((m) => m.personId))].sort((a, b) => a - b);
    if (ids.length) return ids;
  }
  return [];
}

/** The people a declared chain role resolves to in this case (empty while its subject or chain is unknown). */
export function chainRolePeople(src: Extract<RoleSource, { kind: 'chain' }>, snap: RoleSnap, facts?: RoleFacts): number[] {
  const subject = chainSubject(src, snap);
  const chain = subject === null ? undefined : facts?.chains?.get(subject);
  return subject === null || !chain ? [] : chainPeople(src.pick, subject, chain, facts);
}

/**
 * Relational roles of one person in one case (issue 4: "relational roles resolved per case").
 * Membership means a role held *in* the unit itself; office and supervision reach every unit in
 * the subtree they hold their role in. A person part's receiver is its person alone. The roles a
 * type declares (`def.roles`) resolve as their source says, with what the service loaded (`facts`).
 */
export function resolveRoles(actor: CaseActor, snap: RoleSnap, def?: RoleDef, facts?: RoleFacts): CaseRoles {
  const onCase = new Set<RelRole>();
  const memberOf = new Set(actor.grants.map((g) => g.unitId));
  if (actor.personId === snap.drafterPersonId) onCase.add('drafter').add('initiator');
  if (memberOf.has(snap.initiatorUnitId)) onCase.add('initiator');
  if (snap.signingLeaderPersonId !== null && actor.personId === snap.signingLeaderPersonId) onCase.add('signing_leader');
  if (def && currentApprover(def, snap) === actor.personId) onCase.add('approver');
  const holds = (ref: OrgRoleRef, path: string) => {
    const code = orgRoleCode(ref, facts);
    return actor.grants.some((g) => g.role === code && path.startsWith(g.unitPath));
  };
  if (holds(OFFICE_ROLE, snap.initiatorUnitPath)) onCase.add('office');
  if (holds(SUPERVISION_ROLE, snap.initiatorUnitPath)) onCase.add('supervision');
  const declared = Object.entries(def?.roles ?? {});
  const perPart: [string, RoleSource][] = [];
  for (const [code, src] of declared) {
    if (src.kind === 'fieldPerson' && idIn(snap.fields, src.field) === actor.personId) onCase.add(code);
    if (src.kind === 'fieldUnit' && memberOf.has(idIn(snap.fields, src.field) ?? -1)) onCase.add(code);
    if (src.kind === 'unitRole' && src.over === 'initiator' && holds(src.role, snap.initiatorUnitPath)) onCase.add(code);
    if (src.kind === 'chain' && chainRolePeople(src, snap, facts).includes(actor.personId)) onCase.add(code);
    if (src.kind === 'partMember' || (src.kind === 'unitRole' && src.over === 'part')) perPart.push([code, src]);
  }
  const onPart = new Map<number, Set<RelRole>>();
  for (const p of snap.parts) {
    const r = new Set(onCase);
    if (p.personId != null ? p.personId === actor.personId : memberOf.has(p.unitId)) r.add('receiver');
    if (p.handlerPersonId !== null && p.handlerPersonId === actor.personId) r.add('handler').add('receiver');
    for (const [code, src] of perPart) {
      if (src.kind === 'partMember' && memberOf.has(p.unitId)) r.add(code);
      if (src.kind === 'unitRole' && holds(src.role, p.unitPath)) r.add(code);
    }
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
  return finalStates(def.states).case.has(snap.state);
}

/** The part owes nothing any more: its own state is final, or the case is closed (no 已超期 then). */
export function isPartOver(def: Pick<CaseTypeDef, 'states'>, snap: Pick<CaseSnapshot, 'state'>, partState: string): boolean {
  return isClosed(def, snap) || finalStates(def.states).part.has(partState);
}

// Asked for every row of every list: a type's final states, found once per type.
const finals = new WeakMap<CaseTypeDef['states'], { case: Set<string>; part: Set<string> }>();
function finalStates(states: CaseTypeDef['states']) {
  let f = finals.get(states);
  if (!f) {
    f = { case: new Set(), part: new Set() };
    for (const s of states) if (s.final) f[s.level].add(s.code);
    finals.set(states, f);
  }
  return f;
}
