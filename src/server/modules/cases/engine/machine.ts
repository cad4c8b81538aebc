import type { z } from 'zod';
import type { Calendar } from '../../calendar/index.js';
import { type ClockStart, type PolicyNumbers, startClock } from './clocks.js';
import type {
  CaseReads,
  CaseRoles,
  CaseSnapshot,
  CaseTypeDef,
  CreateCases,
  Effect,
  GuardFailure,
  Level,
  MoveTo,
  PartSnapshot,
  RelRole,
  TransitionDef,
} from './definition.js';

/** An action the current user may take now, on the case or on one part. */
export interface AvailableAction {
  action: string;
  partId: number | null;
}

export type Refusal =
  | { kind: 'unknown_action' }
  | { kind: 'part_required' }
  /** 409: the action exists but not in this state; `allowed` lists what the user may do now. */
  | { kind: 'not_in_state'; allowed: AvailableAction[] }
  /** 403: the state allows it, but not for this user's roles in the case. */
  | { kind: 'not_your_role' }
  | { kind: 'input'; issues: readonly z.core.$ZodIssue[] }
  | { kind: 'guard'; failure: GuardFailure };

export interface PartChange {
  partId: number;
  from: string;
  to: string;
  set: Record<string, unknown>;
}

export interface Notice {
  to: readonly RelRole[];
  partId: number | null;
  message: string;
}

export interface Plan {
  action: string;
  partId: number | null;
  caseFrom: string;
  caseTo: string;
  partChanges: PartChange[];
  /** Open clocks to stop, with whether they were met or missed at `now`. */
  stopClocks: { id: number; code: string; partId: number | null; missed: boolean }[];
  startClocks: ClockStart[];
  notices: Notice[];
  proposals: { rule: string; partId: number | null }[];
  markOverdue: number[];
  /**
   * Parts no longer late (issue 8, "已超期 clears"): the late obligation was met (its clock stopped and
   * no other is past due) or the part is over.
   */
  clearOverdue: number[];
  newRevision: boolean;
  input: Record<string, unknown>;
  /** Child cases to create in the same transaction (issue 9 §4): absent when there are none. */
  children?: ChildCase[];
}

/** One child case a plan creates: its type, who creates it, which unit initiates it, its fields (already made from the parent). */
export interface ChildCase {
  type: string;
  as: CreateCases['as'];
  /** The unit initiating the child: the parent's initiating unit or the acted-on part's. */
  initiatorUnitId: number;
  fields: Record<string, unknown>;
}

function transitionsFor(def: CaseTypeDef, action: string): TransitionDef[] {
  return def.transitions.filter((t) => t.action === action);
}

/** A transition that exists only for some cases (a notice's kind) is not there for the others. */
const appliesTo = (t: TransitionDef, snap: CaseSnapshot) => !t.onlyIf || t.onlyIf(snap);

function holds(roles: ReadonlySet<RelRole> | undefined, by: readonly RelRole[]): boolean {
  return !!roles && by.some((r) => roles.has(r));
}

function stateOf(snap: CaseSnapshot, t: TransitionDef, part: PartSnapshot | null): string {
  return t.level === 'case' ? snap.state : (part?.state ?? '');
}

const openPart = (def: CaseTypeDef, p: PartSnapshot) => !def.states.find((s) => s.code === p.state && s.level === 'part')?.final;

/**
 * Which actions may this user take now? Only these are shown in the UI; everything else is refused
 * by {@link plan} with the same reasoning.
 */
export function availableActions(def: CaseTypeDef, snap: CaseSnapshot, roles: CaseRoles): AvailableAction[] {
  const out: AvailableAction[] = [];
  for (const t of def.transitions) {
    if (!appliesTo(t, snap)) continue;
    if (t.level === 'case') {
      if (t.from.includes(snap.state) && holds(roles.onCase, t.by)) out.push({ action: t.action, partId: null });
    } else {
      // Part actions only make sense once the case itself is live.
      if (!caseAllowsPartActions(def, snap)) continue;
      for (const p of snap.parts) {
        if (t.from.includes(p.state) && holds(roles.onPart.get(p.id), t.by) && supervisionFits(t, p)) {
          out.push({ action: t.action, partId: p.id });
        }
      }
    }
  }
  return dedupe(out);
}

function supervisionFits(t: TransitionDef, p: PartSnapshot): boolean {
  return t.supervision === undefined || (t.supervision === 'start' ? !p.supervised : p.supervised);
}

function dedupe(list: AvailableAction[]): AvailableAction[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const k = `${a.action}:${a.partId}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function caseAllowsPartActions(def: CaseTypeDef, snap: CaseSnapshot): boolean {
  const st = def.states.find((s) => s.code === snap.state && s.level === 'case');
  return !!st && !st.final && !st.awaits;
}

export interface PlanArgs {
  def: CaseTypeDef;
  snap: CaseSnapshot;
  roles: CaseRoles;
  action: string;
  partId: number | null;
  input: unknown;
  now: Date;
  cal: Calendar;
  policies: PolicyNumbers;
  /** Answers about other cases for the guards (issue 9 §4), as the transition declared it reads them. */
  reads?: CaseReads;
}

/** Decides what an action does to a case, or why it may not happen. Pure: the service applies the plan. */
export function plan(a: PlanArgs): Plan | Refusal {
  const { def, snap, roles, now } = a;
  const named = transitionsFor(def, a.action);
  if (named.length === 0) return { kind: 'unknown_action' };
  const candidates = named.filter((t) => appliesTo(t, snap));
  if (candidates.length === 0) return { kind: 'not_in_state', allowed: availableActions(def, snap, roles) };
  const partLevel = candidates[0]?.level === 'part';
  let part: PartSnapshot | null = null;
  if (partLevel) {
    if (a.partId === null) {
      // The part is implied when the user can take the action on one part only, belongs to one
      // receiving unit only, or the case has a single part.
      const open = availableActions(def, snap, roles).filter((x) => x.action === a.action);
      const own = snap.parts.filter((p) => roles.onPart.get(p.id)?.has('receiver'));
      if (open.length === 1) part = snap.parts.find((p) => p.id === open[0]?.partId) ?? null;
      else if (own.length === 1) part = own[0] ?? null;
      else if (snap.parts.length === 1) part = snap.parts[0] ?? null;
      else return { kind: 'part_required' };
    } else {
      part = snap.parts.find((p) => p.id === a.partId) ?? null;
      if (!part) return { kind: 'part_required' };
    }
  }
  const inState = candidates.filter(
    (t) => t.from.includes(stateOf(snap, t, part)) && (!partLevel || caseAllowsPartActions(def, snap)) && (!part || supervisionFits(t, part)),
  );
  if (inState.length === 0) return { kind: 'not_in_state', allowed: availableActions(def, snap, roles) };
  const mayRoles = partLevel && part ? roles.onPart.get(part.id) : roles.onCase;
  const mine = inState.filter((x) => holds(mayRoles, x.by));
  if (mine.length === 0) return { kind: 'not_your_role' };

  // Transitions sharing the action may branch on what it says: the first whose input parses and whose `when` holds.
  let chosen: TransitionDef | undefined;
  let input: Record<string, unknown> = {};
  let badInput: Refusal | null = null;
  for (const x of mine) {
    let parsedInput: Record<string, unknown> = {};
    if (x.input) {
      const parsed = x.input.safeParse(a.input ?? {}, { reportInput: true });
      if (!parsed.success) {
        badInput ??= { kind: 'input', issues: parsed.error.issues };
        continue;
      }
      parsedInput = parsed.data;
    }
    if (x.when && !x.when({ now, input: parsedInput, snapshot: snap, policies: a.policies })) continue;
    chosen = x;
    input = parsedInput;
    break;
  }
  if (!chosen) return badInput ?? { kind: 'not_in_state', allowed: availableActions(def, snap, roles) };
  const t = chosen;
  const openClocks = snap.clocks.filter((c) => (t.level === 'case' ? true : c.partId === part?.id || c.partId === null));
  const failure = t.guard?.({ now, cal: a.cal, policies: a.policies, clocks: openClocks, input, part, snapshot: snap, ...(a.reads && { reads: a.reads }) });
  if (failure) return { kind: 'guard', failure };

  const b = planBuilder(a, t.action, part?.id ?? null, input, !!t.newRevision);
  const { p } = b;
  if (t.level === 'case') {
    if (t.to) p.caseTo = t.to;
    if (t.partsTo) for (const x of snap.parts) if (openPart(def, x)) b.changePart(x, t.partsTo);
  } else if (part) {
    const set: Record<string, unknown> = {};
    for (const [field, from] of Object.entries(t.setPart ?? {})) set[field] = input[from];
    if (t.supervision === 'start') set.supervised = true;
    if (t.supervision === 'end') set.supervised = false;
    b.changePart(part, t.to ?? part.state, set);
    if (t.caseTo) p.caseTo = t.caseTo;
    if (t.otherPartsTo) for (const x of snap.parts) if (x.id !== part.id && openPart(def, x)) b.changePart(x, t.otherPartsTo);
  }

  // Clocks: stop the named ones (for the acted-on part, or every part on a case-level action).
  b.stop(t.stopClocks ?? [], (partId) => t.level === 'case' || !!t.otherPartsTo || partId === null || partId === part?.id);
  for (const cond of t.ifMissed ?? []) {
    const mine = (c: { code: string; partId: number | null }) => c.code === cond.clock && (c.partId === part?.id || c.partId === null);
    const missed = snap.missed.some(mine) || snap.clocks.some((c) => mine(c) && new Date(c.dueAt) < now);
    if (missed) b.effects(cond.effects, part?.id ?? null);
  }
  b.start(t.startClocks ?? [], t.level, part);
  if (t.effects) b.effects(t.effects, part?.id ?? null);
  for (const n of t.notify ?? []) p.notices.push({ to: n.to, partId: part?.id ?? null, message: n.message });
  return b.finish();
}

interface BuilderArgs {
  def: CaseTypeDef;
  snap: CaseSnapshot;
  now: Date;
  cal: Calendar;
  policies: PolicyNumbers;
}

/**
 * What every plan is made of, whoever acts (a person's action, the sweep's expiry): part changes,
 * clocks stopped and started, effects, and at the end the case closing with its last part and 已超期
 * cleared. `skipClock`: the clock the sweep is firing, already claimed.
 */
function planBuilder(a: BuilderArgs, action: string, partId: number | null, input: Record<string, unknown>, newRevision: boolean, skipClock?: number) {
  const { def, snap, now } = a;
  const p: Plan = {
    action,
    partId,
    caseFrom: snap.state,
    caseTo: snap.state,
    partChanges: [],
    stopClocks: [],
    startClocks: [],
    notices: [],
    proposals: [],
    markOverdue: [],
    clearOverdue: [],
    newRevision,
    input,
  };
  const partsAfter = new Map(snap.parts.map((x) => [x.id, { ...x }]));
  const changePart = (x: PartSnapshot, to: string, set: Record<string, unknown> = {}) => {
    const earlier = p.partChanges.find((c) => c.partId === x.id);
    if (earlier) {
      earlier.to = to;
      Object.assign(earlier.set, set);
    } else p.partChanges.push({ partId: x.id, from: x.state, to, set });
    const after = partsAfter.get(x.id);
    if (after) after.state = to;
  };
  const stop = (codes: readonly string[] | 'all', scope: (partId: number | null) => boolean) => {
    for (const c of snap.clocks) {
      if (c.id === skipClock || p.stopClocks.some((x) => x.id === c.id)) continue;
      if ((codes === 'all' || codes.includes(c.code)) && scope(c.partId)) {
        p.stopClocks.push({ id: c.id, code: c.code, partId: c.partId, missed: new Date(c.dueAt) < now });
      }
    }
  };
  const start = (codes: readonly string[], level: Level, part: PartSnapshot | null) => {
    for (const code of codes) {
      const cdef = def.clocks.find((c) => c.code === code);
      if (!cdef) throw new Error(`case type ${def.code}: unknown clock ${code}`);
      const targets = cdef.level === 'case' ? [null] : level === 'case' ? [...partsAfter.values()].filter((x) => openPart(def, x)) : part ? [part] : [];
      for (const target of targets) {
        const partFields = target === null ? null : { ...target, ...(p.partChanges.find((c) => c.partId === target.id)?.set ?? {}) };
        p.startClocks.push(
          startClock(a.cal, a.policies, cdef, target === null ? null : target.id, now, {
            input,
            fields: snap.fields,
            part: partFields,
            ...(snap.createdAt && { created: new Date(snap.createdAt) }),
            labels: def.labels,
          }),
        );
      }
    }
  };
  const isFinal = (level: Level, state: string) => !!def.states.find((s) => s.level === level && s.code === state)?.final;
  /** A move to a state (issue 9 §3): like a transition's `to`; a final state leaves no clock of its scope running. */
  const move = (e: MoveTo, partId: number | null) => {
    if (e.level === 'case') {
      p.caseTo = e.state;
      if (e.partsTo) for (const x of snap.parts) if (openPart(def, x)) changePart(x, e.partsTo);
      const final = isFinal('case', e.state);
      stop(final ? 'all' : (e.stopClocks ?? []), () => true);
      if (!final) start(e.startClocks ?? [], 'case', null);
      return;
    }
    const parts = partId === null ? snap.parts.filter((x) => openPart(def, x)) : snap.parts.filter((x) => x.id === partId);
    for (const x of parts) {
      changePart(x, e.state);
      const final = isFinal('part', e.state);
      stop(final ? 'all' : (e.stopClocks ?? []), (id) => id === x.id);
      if (!final) start(e.startClocks ?? [], 'part', x);
    }
  };
  /** Child cases (issue 9 §4): their fields made now from the parent as it is and the input. */
  const children = (e: CreateCases, partId: number | null) => {
    const part = partId === null ? null : (snap.parts.find((x) => x.id === partId) ?? null);
    const initiatorUnitId = e.initiator === 'part' && part ? part.unitId : snap.initiatorUnitId;
    const made = e.fields({ snapshot: snap, input, part }).map((fields) => ({ type: e.type, as: e.as, initiatorUnitId, fields }));
    if (made.length) p.children = [...(p.children ?? []), ...made];
  };
  const effects = (list: readonly Effect[], partId: number | null) => {
    applyEffects(p, list, partId);
    for (const e of list) {
      if (e.kind === 'moveTo') move(e, partId);
      else if (e.kind === 'createCases') children(e, partId);
    }
  };
  const finish = (): Plan => {
    // Several receivers: the case closes when the last part does (issue 4 §6).
    if (def.closeWhenAllPartsIn && def.closedState) {
      const all = [...partsAfter.values()];
      // Cancelled parts (a receiver removed on revision) do not hold the form open, but at least one must close.
      if (all.some((x) => x.state === def.closedState) && all.every((x) => def.closeWhenAllPartsIn?.includes(x.state))) p.caseTo = def.closedState;
    }
    p.clearOverdue = overdueCleared(def, snap, p, partsAfter, now);
    return p;
  };
  return { p, changePart, stop, start, effects, finish };
}

/**
 * What a clock running out does, as a plan the service applies the way it applies a user's action
 * (issue 9 §3): the clock's expiry effects, including moving the case or a part to a state, with the
 * clocks that move stops and starts. The clock itself is already claimed (fired) by the sweep.
 */
export function expiryMovePlan(a: BuilderArgs & { clock: { id: number; code: string; partId: number | null } }): Plan {
  const b = planBuilder(a, 'clock_expired', a.clock.partId, {}, false, a.clock.id);
  const cdef = a.def.clocks.find((c) => c.code === a.clock.code);
  b.effects(cdef?.onExpiry ?? [], a.clock.partId);
  return b.finish();
}

/** The clocks a new case starts (`startOn: 'create'`): case clocks once, part clocks for every part. */
export function creationClocks(a: BuilderArgs): ClockStart[] {
  const b = planBuilder(a, 'create', null, {}, false);
  for (const c of a.def.clocks) if (c.startOn === 'create') b.start([c.code], 'case', null);
  return b.p.startClocks;
}

/** Does the plan move anything (a state of the case or of a part)? */
export const movesState = (p: Plan) => p.caseTo !== p.caseFrom || p.partChanges.some((c) => c.from !== c.to);

/** Late parts the plan leaves no longer late: over, or with no open clock past its deadline any more. */
function overdueCleared(def: CaseTypeDef, snap: CaseSnapshot, p: Plan, partsAfter: Map<number, PartSnapshot>, now: Date): number[] {
  const stopped = new Set(p.stopClocks.map((c) => c.id));
  const caseOver = !!def.states.find((s) => s.level === 'case' && s.code === p.caseTo)?.final;
  return snap.parts
    .filter((part) => part.overdue && !p.markOverdue.includes(part.id))
    .filter((part) => {
      const after = partsAfter.get(part.id);
      if (caseOver || (after && !openPart(def, after))) return true;
      const touched = p.stopClocks.some((c) => c.partId === part.id) || p.partChanges.some((c) => c.partId === part.id);
      const stillLate = snap.clocks.some((c) => c.partId === part.id && !stopped.has(c.id) && new Date(c.dueAt) < now);
      return touched && !stillLate;
    })
    .map((part) => part.id);
}

/** The effects a plan records as they are; `moveTo` changes states and is planned by {@link planBuilder}. */
export function applyEffects(p: Pick<Plan, 'notices' | 'proposals' | 'markOverdue'>, effects: readonly Effect[], partId: number | null): void {
  for (const e of effects) {
    if (e.kind === 'notify') p.notices.push({ to: e.to, partId, message: e.message });
    else if (e.kind === 'proposeAssessment') p.proposals.push({ rule: e.rule, partId });
    else if (e.kind === 'markOverdue' && partId !== null) p.markOverdue.push(partId);
  }
}

/** What a clock's expiry does: the case type's effects for that clock. */
export function expiryPlan(def: CaseTypeDef, clockCode: string, partId: number | null) {
  const cdef = def.clocks.find((c) => c.code === clockCode);
  const out = { notices: [] as Notice[], proposals: [] as { rule: string; partId: number | null }[], markOverdue: [] as number[] };
  if (!cdef) return out;
  applyEffects(out, cdef.onExpiry, partId);
  return out;
}

export function isRefusal(x: Plan | Refusal): x is Refusal {
  return 'kind' in x;
}

/**
 * A case moved because of another case (issue 9 §4): merged into it (waits in the type's merge
 * state) or following its result (a final state). Every open clock of the case stops — it no longer
 * runs on its own — and the case ends in `state` whatever its parts say.
 */
export function followPlan(a: BuilderArgs, action: string, state: string, partsTo?: string): Plan {
  const b = planBuilder(a, action, null, {}, false);
  b.effects([{ kind: 'moveTo', level: 'case', state, ...(partsTo && { partsTo }) }], null);
  b.stop('all', () => true);
  const p = b.finish();
  p.caseTo = state;
  return p;
}
