import type { z } from 'zod';
import type { Calendar, NonWorkingDayPolicy, OffsetUnit } from '../../calendar/index.js';
import type { PolicyKey } from '../../policy/index.js';

/** Policy numbers the clocks, guards and branches need, read by the service for the organization. */
export type PolicyNumbers = Readonly<Record<string, number>>;

/**
 * A case type is data (issue 4, "The engine"): states, a transition table, the relational roles
 * that may take each action, clocks and what happens when they run out. The engine refuses
 * anything the table does not list; services never branch on a case type's states themselves.
 */

/**
 * The built-in roles a person holds *in one case*, resolved from the case's facts and the person's
 * memberships: every type has them, with the resolution of engine/roles.ts.
 */
export type BuiltInRole =
  | 'drafter' // wrote the case
  | 'initiator' // a member of the initiating unit
  | 'signing_leader' // named on the case to sign and issue it, rule objections and extensions
  | 'receiver' // a member of a receiving unit (per part)
  | 'handler' // the person a receiving unit named to do the work (per part)
  | 'office' // holds the office role over the initiating unit
  | 'supervision' // holds the supervision role over the initiating unit
  /**
   * The person the case's current state names to approve it ({@link StateDef.approver}): named
   * approvals given in order (部长 then 总工程师 on a commission letter, 审核人 then 值长 on an
   * operation ticket). Nobody holds it out of turn.
   */
  | 'approver';

/** A role a type names: a built-in one, or one it declares with how it resolves ({@link CaseTypeDef.roles}). */
export type RelRole = BuiltInRole | (string & {});

/**
 * An organization's role code (org data, 角色): a policy naming it, so each organization sets its own
 * (issue 9 §2: role codes configurable, not constants), or a literal code.
 */
export type OrgRoleRef = { policy: PolicyKey } | { code: string };

/**
 * Who above a person in the reporting chain (逐级汇报, org/reporting-chain.ts) holds a role: the
 * nearest holders of an org role in the person's unit or a unit above it, or every person of the
 * chain up to a rank (a team leader's chain up to the unit head: shift leader, unit head).
 */
export type ChainPick = { kind: 'firstWithRole'; role: OrgRoleRef } | { kind: 'upToRank'; rank: number };

/**
 * How a role a type declares resolves (issue 9 §2), as data:
 * - `fieldPerson`: the person named in a field of the case;
 * - `fieldUnit`: a member of the unit named in a field;
 * - `unitRole`: a holder of an org role over the initiating unit, or over a part's unit (per part);
 * - `partMember`: a member of a part's unit (per part);
 * - `chain`: up the reporting chain above the drafter or the person a field names.
 */
export type RoleSource =
  | { kind: 'fieldPerson'; field: string }
  | { kind: 'fieldUnit'; field: string }
  | { kind: 'unitRole'; role: OrgRoleRef; over: 'initiator' | 'part' }
  | { kind: 'partMember' }
  | { kind: 'chain'; above: 'drafter' | { field: string }; pick: ChainPick };

/** A case may have several parts (one per receiving unit); case-level transitions act on the whole. */
export type Level = 'case' | 'part';

/** A number a rule counts: an organization's policy, or a literal with the rulebook clause it comes from. */
export type Amount = { policy: PolicyKey } | { value: number; source: string };

/**
 * What a relative deadline counts from: a date ("YYYY-MM-DD") or date-time ("YYYY-MM-DDTHH:MM", local
 * in the organization's zone, or with an offset / Z) in the action's input, the case's fields or the
 * part; the case's creation; the clock's start.
 */
export type DeadlineAnchor = { from: 'input' | 'fields' | 'part'; field: string } | { from: 'created' } | { from: 'started' };

/** How a clock's deadline is computed, with the organization's policy supplying the number. */
export type DeadlineRule =
  | { kind: 'workingDays'; policy: PolicyKey }
  | { kind: 'hours'; policy: PolicyKey }
  | { kind: 'calendarDays'; policy: PolicyKey }
  /** End of the working day on a date the case carries (a requested completion date, a granted extension). */
  | { kind: 'date'; from: 'input' | 'fields' | 'part'; field: string }
  /**
   * An instant relative to an anchor (issue 9 §3): ± N working days, calendar days, months, years or
   * hours, at a local time of day (default: the end of the working day; hours: the exact instant),
   * with a rule for a date that lands on a non-working day (default keep). "Topics by the Friday
   * 12:00 before Monday's meeting": 1 working day before the meeting date at 12:00.
   */
  | {
      kind: 'relative';
      anchor: DeadlineAnchor;
      direction: 'before' | 'after';
      amount: Amount;
      unit: OffsetUnit;
      /** "HH:MM" in the organization's zone. */
      at?: string;
      nonWorkingDay?: NonWorkingDayPolicy;
    };

/**
 * Moves the case or a part to a state (issue 9 §3): a meeting with no accepted topics at the deadline
 * is cancelled; an assessment whose appeal window passed is final. Applied like a transition: a move
 * into a final state stops the open clocks it leaves behind; `startClocks`/`stopClocks` name others.
 */
export interface MoveTo {
  kind: 'moveTo';
  level: Level;
  state: string;
  /** Case level: move every part not yet closed to this state too. */
  partsTo?: string;
  startClocks?: readonly string[];
  stopClocks?: readonly string[];
}

/** What a child case's fields are made from (issue 9 §4): the parent as it is, and what the action said. */
export interface ChildSource {
  snapshot: CaseSnapshot;
  input: Record<string, unknown>;
  part: PartSnapshot | null;
}

/**
 * Creates child cases of another type (issue 9 §4): a meeting's resolutions, a verified report's
 * rectification. `fields` is pure — one entry per child, from the parent's snapshot and the action's
 * input (none: no child). The child is created as the system (its drafter is the parent's drafter) or
 * as the acting person (a clock's expiry has no acting person: only `system` there), in the
 * parent's transaction, linked to the parent.
 */
export interface CreateCases {
  kind: 'createCases';
  /** The child's case type: must be one the server runs (checked at start). */
  type: string;
  as: 'system' | 'actor';
  /** Who initiates each child: the parent's initiating unit, or the unit of the part acted on. */
  initiator: 'initiator' | 'part';
  fields: (src: ChildSource) => readonly Record<string, unknown>[];
}

/** What may happen when a clock runs out, or when a transition asks for it. */
export type Effect =
  | { kind: 'notify'; to: readonly RelRole[]; message: string }
  | { kind: 'markOverdue' }
  | { kind: 'proposeAssessment'; rule: string }
  | MoveTo
  | CreateCases;

/** A reminder before a deadline: how many hours ahead (see clocks.reminderAt). */
export interface ReminderDef {
  before: Amount;
}

export interface ClockDef {
  code: string;
  level: Level;
  rule: DeadlineRule;
  /** Reminder before the deadline, in working hours (policy). */
  remindBefore?: PolicyKey;
  /** More reminders before the deadline, each sent once (issue 9 §3). */
  reminders?: readonly ReminderDef[];
  /** 'create': the clock starts when the case is created (one per part for a part clock), besides any transition that starts it. */
  startOn?: 'create';
  /** Who is reminded and told about expiry, besides the effects. */
  awaits: RelRole;
  onExpiry: readonly Effect[];
}

export interface GuardContext {
  now: Date;
  /** The organization's calendar (time zone, working days) and the policy numbers the type reads. */
  cal: Calendar;
  policies: PolicyNumbers;
  /** Open clocks of the case or part the action is about. */
  clocks: readonly { code: string; dueAt: string; partId: number | null }[];
  input: Record<string, unknown>;
  part: PartSnapshot | null;
  snapshot: CaseSnapshot;
  /** Other cases, as far as the transition declared it reads them ({@link TransitionDef.reads}); issue 9 §4. */
  reads?: CaseReads;
}

/** A case as a guard sees another one: its type, state and whether it is over. */
export interface CaseSummary {
  id: number;
  typeCode: string;
  number: string;
  title: string;
  state: string;
  closed: boolean;
}

/** Cases counted for a guard ("reports of a person this month"): `from` inclusive, `to` exclusive, ISO instants of creation. */
export interface CaseCountQuery {
  type: string;
  drafterPersonId?: number;
  initiatorUnitId?: number;
  from?: string;
  to?: string;
}

/** What a transition's guard may ask about other cases; each question declared beforehand (see {@link ReadsDecl}). */
export interface CaseReads {
  childrenOf(caseId: number): readonly CaseSummary[];
  countCases(q: CaseCountQuery): number;
}

/** The questions a transition's guard asks about other cases, decided from the case before the action (the service answers them first). */
export interface ReadsDecl {
  childrenOf?: readonly number[];
  countCases?: readonly CaseCountQuery[];
}

/**
 * Chooses between transitions that share an action and a state by what the action says (a measured
 * distance at or below the policy threshold issues a breakthrough notice; above it, it is recorded).
 */
export interface BranchContext {
  now: Date;
  input: Record<string, unknown>;
  snapshot: CaseSnapshot;
  policies: PolicyNumbers;
}

/** A refused guard: a message key (see cases.messages) and its parameters. */
export interface GuardFailure {
  key: string;
  params?: Record<string, string | number>;
}

export interface TransitionDef {
  action: string;
  level: Level;
  from: readonly string[];
  /** null: the state stays (progress notes, supervision notes). */
  to: string | null;
  by: readonly RelRole[];
  /** Required inputs (a reason, a handler, a date), validated before anything else. */
  input?: z.ZodType<Record<string, unknown>>;
  guard?: (g: GuardContext) => GuardFailure | null;
  /** What the guard reads about other cases (issue 9 §4), from the case as it is and the time: answered before the guard runs. */
  reads?: (r: { snapshot: CaseSnapshot; now: Date; cal: Calendar }) => ReadsDecl;
  /** Effects every time the transition is taken (child cases, moves), after its own change. */
  effects?: readonly Effect[];
  /**
   * The transition exists only for cases this accepts (a notice's kind, a letter's report kind):
   * shown and taken only there. Decided by the case's facts, never by who asks.
   */
  onlyIf?: (snapshot: CaseSnapshot) => boolean;
  /**
   * Among transitions sharing an action, state and role, the first whose input parses and whose
   * `when` holds is taken (listed in table order).
   */
  when?: (b: BranchContext) => boolean;
  /** Case-level: move every part not yet closed to this state. */
  partsTo?: string;
  /** Part-level: move the case itself to this state (an upheld objection sends the case back for revision). */
  caseTo?: string;
  /** Part-level: move every other open part too (upheld objection: all parts wait for the re-issue). */
  otherPartsTo?: string;
  startClocks?: readonly string[];
  stopClocks?: readonly string[];
  /** Set a field of the part from the input (handler, extension date). */
  setPart?: Readonly<Record<string, string>>;
  /**
   * Supervision (督办) lives next to the state, not in it: escalation does not stop the work.
   * 'start' escalates a part not yet supervised; 'during' is only possible while it is; 'end' records
   * supervision's result and ends it.
   */
  supervision?: 'start' | 'during' | 'end';
  notify?: readonly { to: readonly RelRole[]; message: string }[];
  /** Effects that depend on a clock having been missed (finished late, substandard and late). */
  ifMissed?: readonly { clock: string; effects: readonly Effect[] }[];
  /** A new revision of the case's fields starts (re-issue after an upheld objection). */
  newRevision?: boolean;
  /** Inputs naming a person who must belong to the part's unit (the handler a receiver names). */
  membersOfPartUnit?: readonly string[];
}

export interface StateDef {
  code: string;
  level: Level;
  /** Who must act next: the case shows up in their 待办 inbox. */
  awaits?: RelRole;
  /** Case states of an approval chain: the field of the case's fields naming the person whose turn it is ('approver'). */
  approver?: string;
  final?: boolean;
}

export interface CaseTypeDef {
  code: string;
  version: number;
  /** Case numbers: PREFIX-YYYY-NNNN, per type and year. */
  numberPrefix: string;
  nameZh: string;
  nameEn: string;
  fields: z.ZodType<Record<string, unknown>>;
  states: readonly StateDef[];
  initialState: string;
  /** State of each part when the case is created. */
  initialPartState: string;
  transitions: readonly TransitionDef[];
  clocks: readonly ClockDef[];
  /**
   * The roles this type uses besides the built-in ones, and how each resolves (issue 9 §2). A
   * transition, state, clock or notice naming a role neither built in nor declared here is refused
   * when the server starts.
   */
  roles?: Readonly<Record<string, RoleSource>>;
  /** Policy numbers the type's guards and branches read, besides those its clocks name. */
  policies?: readonly PolicyKey[];
  /** The case is closed when every part reaches one of these (several receivers, issue 4 §6). */
  closeWhenAllPartsIn?: readonly string[];
  closedState?: string;
  /** States in which the drafter may still edit the fields. */
  editableIn: readonly string[];
  /** Where the engine's own columns come from in this type's fields. */
  bind(fields: Record<string, unknown>): CaseBinding;
  /** zh-CN / en names of states, actions, clocks: `state.x`, `action.x`, `clock.x`. */
  labels: Readonly<Record<string, { zh: string; en: string }>>;
  /** Whether and how cases of this type are merged into another one (归纳整改, issue 9 §4); none: never. */
  merge?: MergeDef;
}

/**
 * A case merged into another follows it (issue 9 §4): it waits in `state` while the target runs, and
 * when the target reaches a final state it reaches that state too (same type) or `result`, and its
 * people are told.
 */
export interface MergeDef {
  /** Who may merge a case of this type: roles they hold on it (default: the office over the initiating unit). */
  by: readonly RelRole[];
  /** The case state a merged case waits in (not final). */
  state: string;
  /** Open parts of a merged case move here (default: they stay as they are). */
  partsTo?: string;
  /** The final state a merged case reaches when the target closes, where it has none of the same code (or the target is of another type). */
  result: string;
  /** Types a case may be merged into (default: its own). */
  into?: readonly string[];
  /** Who is told the result (default: the drafter). */
  notify?: readonly RelRole[];
}

export interface CaseBinding {
  title: string;
  dueDate: string | null;
  signingLeaderPersonId: number | null;
  /** `field`: where the unit or person is named in this type's fields, for error paths (default `receivers.<i>.unitId`). */
  receivers: readonly PartRef[];
  /** Other people the case names (an approval chain), checked when it is drafted or edited. */
  named?: readonly NamedPerson[];
  /** Where the due date and the signing leader come from in this type's fields, for error paths (default: same names). */
  fieldOf?: { dueDate?: string; signingLeaderPersonId?: string };
}

/**
 * A part the case's fields ask for (issue 9 §2: parts are units or persons): a unit, a person (an
 * attendee, an assignee), or one person part for each person a declared role resolves to (the people
 * above the reporter in the reporting chain). A person part's person holds its 'receiver' role.
 */
export type PartRef =
  | { unitId: number; role: 'main' | 'assist'; field?: string }
  | { personId: number; role: 'main' | 'assist'; field?: string }
  | { peopleInRole: string; role: 'main' | 'assist'; field?: string };

export interface NamedPerson {
  /** The field naming them (for the error path). */
  field: string;
  personId: number;
  /** Roles one of which they must hold in the initiating unit or above it; empty: any member of the initiating unit. */
  roles: readonly string[];
}

// ---- Snapshots the engine reasons about (no IO: the service loads them) ----

export interface PartSnapshot {
  id: number;
  /** A unit part's unit; a person part's: the unit the person is reached in (their primary unit). */
  unitId: number;
  unitPath: string;
  /** A person part (issue 9 §2): only this person holds its receiver role, not the members of its unit. */
  personId?: number | null;
  /** 'main' (主办) or 'assist' (协办). */
  role: 'main' | 'assist';
  state: string;
  handlerPersonId: number | null;
  dueDate: string | null;
  overdue: boolean;
  supervised: boolean;
}

export interface ClockSnapshot {
  id: number;
  code: string;
  partId: number | null;
  dueAt: string;
  startedAt: string;
}

export interface CaseSnapshot {
  id: number;
  typeCode: string;
  state: string;
  version: number;
  revision: number;
  fields: Record<string, unknown>;
  initiatorUnitId: number;
  initiatorUnitPath: string;
  drafterPersonId: number;
  signingLeaderPersonId: number | null;
  parts: readonly PartSnapshot[];
  clocks: readonly ClockSnapshot[];
  /** When the case was created (ISO): the anchor of a deadline counted from creation. */
  createdAt?: string;
  /** The case that created this one (issue 9 §4). */
  parentCaseId?: number | null;
  /** The case this one was merged into, which it follows (issue 9 §4). */
  mergedIntoCaseId?: number | null;
  /** Clocks of the current revision that ran out (fired, or stopped after their deadline). */
  missed: readonly { code: string; partId: number | null }[];
}

export interface CaseRoles {
  /** Roles on the case as a whole (drafter, initiator, signing leader, office, supervision). */
  onCase: ReadonlySet<RelRole>;
  /** Per part: the case roles plus receiver/handler of that part. */
  onPart: ReadonlyMap<number, ReadonlySet<RelRole>>;
}
