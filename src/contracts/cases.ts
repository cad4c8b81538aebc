import { z } from 'zod';
import { PageQuery } from './common.js';
import { LEDGER_LIMITS, TEXT_LIMITS } from './limits.js';

/**
 * A case type's code. Which types this installation runs is the server's list (`GET /case-types`),
 * checked by the service: adding a type is a server type file, its labels and its tests (issue 9 §1).
 */
export const CaseTypeCode = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);
export type CaseTypeCode = z.infer<typeof CaseTypeCode>;

/**
 * How a client shows one field or action input, carried in its JSON Schema (zod `.meta()`): which
 * picker an id needs, the earliest or latest moment a date may take, its starting value. What the
 * value is (type, bounds, required) the schema itself says; labels are the type's `field.<name>` and
 * `input.<name>` entries.
 */
export type CaseUiMeta = {
  /** An id chosen among people or units: the receiving unit's members (承办人), the leaders over the initiating unit, its members, the units a case can be sent to. */
  widget?: 'partMember' | 'signingLeader' | 'unitMember' | 'receiverUnit';
  /** A date no earlier than today, or than the day after the part's current due date (an extension). */
  notBefore?: 'today' | 'partDueNext';
  /** A moment no later than the end of today (when something was done). */
  notAfter?: 'endOfToday';
  /** The starting value: now, or the due date the part asked for. */
  initial?: 'now' | 'requestedDueDate';
  /** A number's step and unit. */
  step?: number;
  unit?: string;
  /** An enum option named with a field of the case: `heading{value}` → "A：3105运输巷掘进头". */
  optionLabelField?: string;
  /** On an action's input: the action undoes or stops something (a red button). */
  danger?: boolean;
  /** On a person named in a field: the action that person takes (their signature names them once given). */
  signedBy?: string;
};
/** The annotation, checked: `z.string().meta(ui({ widget: 'partMember' }))`. */
export const ui = (m: CaseUiMeta): CaseUiMeta => m;

export const ContactFormFieldsInput = z.strictObject({
  title: z.string().trim().min(2).max(TEXT_LIMITS.caseTitle),
  body: z.string().trim().min(2).max(TEXT_LIMITS.caseBody),
  dueDate: z.iso.date(),
  receivers: z
    .array(
      z.strictObject({
        unitId: z
          .number()
          .int()
          .positive()
          .meta(ui({ widget: 'receiverUnit' })),
        role: z.enum(['main', 'assist']),
      }),
    )
    .min(1)
    .max(20)
    .refine((r) => r.filter((x) => x.role === 'main').length === 1, { message: 'exactly_one_main' })
    .refine((r) => new Set(r.map((x) => x.unitId)).size === r.length, { message: 'duplicate_unit' }),
  signingLeaderPersonId: z
    .number()
    .int()
    .positive()
    .meta(ui({ widget: 'signingLeader' })),
});

export const CaseCreate = z.strictObject({
  type: CaseTypeCode,
  initiatorUnitId: z.number().int().positive(),
  /** Validated against the case type's own field schema. */
  fields: z.record(z.string(), z.unknown()),
  watcherPersonIds: z.array(z.number().int().positive()).max(50).optional(),
});

export const CaseUpdate = z.strictObject({
  version: z.number().int().positive(),
  fields: z.record(z.string(), z.unknown()),
});

export const CaseAction = z.strictObject({
  action: z.string().min(1).max(40),
  /** The receiving unit's part the action is about; may be left out when it is unambiguous. */
  partId: z.number().int().positive().optional(),
  /** The version the user saw; a stale one gets 409 instead of overwriting someone else's change. */
  version: z.number().int().positive().optional(),
  input: z.record(z.string(), z.unknown()).optional(),
});

export const CaseComment = z.strictObject({ text: z.string().trim().min(1).max(TEXT_LIMITS.comment) });
export const CaseWatch = z.strictObject({ watching: z.boolean() });
export const CaseLinkInput = z.strictObject({ otherCaseId: z.number().int().positive() });
/** 归纳整改 (issue 9 §4): merge this case into `targetCaseId`, which it then follows to its result. */
export const CaseMergeInput = z.strictObject({
  targetCaseId: z.number().int().positive(),
  /** The version the user saw; a stale one gets 409. */
  version: z.number().int().positive().optional(),
  reason: z.string().trim().min(1).max(TEXT_LIMITS.comment).optional(),
});

export const CaseListQuery = z.strictObject({
  tab: z.enum(['todo', 'mine', 'done', 'watching', 'all']).default('todo'),
  type: CaseTypeCode.optional(),
  state: z.string().max(40).optional(),
  unitId: z.coerce.number().int().positive().optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: z.string().trim().max(100).optional(),
  page: PageQuery.page,
  pageSize: PageQuery.pageSize,
});

const Ref = z.object({ id: z.number(), name: z.string() });

export const DeadlineView = z.object({
  clock: z.string(),
  clockLabel: z.string(),
  partId: z.number().nullable(),
  dueAt: z.string(),
  startedAt: z.string(),
  state: z.enum(['running', 'met', 'missed', 'fired']),
  explanation: z.array(z.string()),
  flags: z.array(z.string()),
  /** From when the deadline is due within a working day (orange); past `dueAt` it is overdue (red). */
  soonAt: z.string().nullable().optional(),
});

export const PartView = z.object({
  id: z.number(),
  unit: Ref,
  /** A person part's person (issue 9 §2: the attendee, the assignee, the person reported to); null: a unit part. */
  person: Ref.nullable().optional(),
  role: z.enum(['main', 'assist']),
  state: z.string(),
  stateLabel: z.string(),
  handler: Ref.nullable(),
  dueDate: z.string().nullable(),
  requestedDueDate: z.string().nullable().optional(),
  overdue: z.boolean(),
  supervised: z.boolean(),
});

export const ActionView = z.object({ action: z.string(), label: z.string(), partId: z.number().nullable() });

export const TimelineEntry = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string().nullable(),
  /** 'system': the system acted (an expiry, a move, a case it created; issue 9 §5), shown as 系统 / System. The server always sends it. */
  actorKind: z.enum(['person', 'system']).optional(),
  action: z.string(),
  label: z.string(),
  partId: z.number().nullable(),
  unitName: z.string().nullable(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  revision: z.number(),
  data: z.record(z.string(), z.unknown()).nullable(),
  /** 委托代理 (issue 9 §2): the deputy (`actor`) acted through this principal's roles; shown 王五（代 李四）. */
  onBehalfOf: z.object({ personId: z.number(), name: z.string() }).nullable().optional(),
});

export const AttachmentView = z.object({
  id: z.number(),
  name: z.string(),
  mime: z.string(),
  size: z.number(),
  partId: z.number().nullable(),
  createdAt: z.string(),
});

/** Another case as a case's view names it (issue 9 §4): number, title and state in the reader's language. */
export const RelatedCase = z.object({
  id: z.number(),
  type: z.string(),
  typeName: z.string(),
  number: z.string(),
  title: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  closed: z.boolean(),
});
export type RelatedCase = z.infer<typeof RelatedCase>;

export const CaseDetail = z.object({
  id: z.number(),
  type: z.string(),
  typeName: z.string(),
  number: z.string(),
  title: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  version: z.number(),
  revision: z.number(),
  fields: z.record(z.string(), z.unknown()),
  initiatorUnit: Ref,
  drafter: Ref,
  signingLeader: Ref.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
  parts: z.array(PartView),
  /** One current row per deadline and unit (issue 8): the latest clock of each. */
  deadlines: z.array(DeadlineView),
  /** Clocks replaced by a later one (a sign clock restarted after an objection): history, for the timeline. */
  replacedDeadlines: z.array(DeadlineView).optional(),
  actions: z.array(ActionView),
  /** Fields may be edited (draft or revising, by the drafter). */
  editable: z.boolean(),
  watching: z.boolean(),
  timeline: z.array(TimelineEntry),
  attachments: z.array(AttachmentView),
  links: z.array(z.object({ id: z.number(), number: z.string(), title: z.string(), state: z.string() })),
  /** The case that created this one (issue 9 §4: a meeting's resolution, a report's rectification). */
  parent: RelatedCase.nullable().optional(),
  /** The cases this one created. */
  children: z.array(RelatedCase).optional(),
  /** The case this one was merged into and follows (归纳整改), and when. */
  mergedInto: RelatedCase.extend({ at: z.string().nullable() }).nullable().optional(),
  /** The cases merged into this one. */
  merged: z.array(RelatedCase).optional(),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseSummary = z.object({
  id: z.number(),
  type: z.string(),
  number: z.string(),
  title: z.string(),
  state: z.string(),
  stateLabel: z.string(),
  initiatorUnitId: z.number(),
  dueDate: z.string().nullable(),
  /** The soonest deadline of what this user must do (待办 tab). */
  taskDueAt: z.string().nullable(),
  /** What this user must do on the case now, its deadline and when that turns urgent: "待我签收 · 剩 1天" (issue 8). */
  task: z.object({ label: z.string(), partId: z.number().nullable(), dueAt: z.string().nullable(), soonAt: z.string().nullable() }).nullable().optional(),
  overdue: z.boolean(),
  parts: z.array(z.object({ id: z.number(), unitName: z.string(), role: z.string(), state: z.string(), stateLabel: z.string(), overdue: z.boolean() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const CaseList = z.object({ items: z.array(CaseSummary), total: z.number(), page: z.number(), pageSize: z.number() });

export const CaseCreated = z.object({ id: z.number(), number: z.string() });

// ---- notifications ----
export const NotificationQuery = z.strictObject({
  unreadOnly: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
  page: PageQuery.page,
  pageSize: PageQuery.pageSize,
});
export const NotificationItem = z.object({
  id: z.number(),
  caseId: z.number().nullable(),
  caseNumber: z.string().nullable(),
  /** A notification about an assessment opens its ledger entry. */
  assessmentId: z.number().nullable(),
  kind: z.string(),
  text: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
export const NotificationList = z.object({
  items: z.array(NotificationItem),
  total: z.number(),
  unread: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export const MarkRead = z.strictObject({ ids: z.array(z.number().int().positive()).max(500).optional(), all: z.boolean().optional() });

// ---- assessment ledger ----
export const AssessmentState = z.enum(['proposed', 'confirmed', 'appealed', 'final', 'withdrawn', 'dropped']);
/** A month (2026-03) or a roll-up of months: a quarter (2026-Q1) or a year (2026). */
export const LedgerPeriod = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/);
export const LedgerMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/);
export const AssessmentQuery = z.strictObject({
  period: LedgerPeriod.optional(),
  state: AssessmentState.optional(),
  unitId: z.coerce.number().int().positive().optional(),
  rule: z.string().max(80).optional(),
  page: PageQuery.page,
  pageSize: PageQuery.pageSize,
});
export const AssessmentView = z.object({
  id: z.number(),
  rule: z.string(),
  ruleName: z.string(),
  sourceType: z.string(),
  sourceId: z.number(),
  evidence: z.string(),
  subjectUnit: Ref.nullable(),
  subjectPerson: Ref.nullable(),
  /** 'debit' (扣分/罚款) or 'credit' (加分/奖励); points and money are magnitudes. */
  direction: z.enum(['debit', 'credit']),
  points: z.number(),
  /** Yuan, exact to the fen. */
  money: z.number(),
  period: z.string(),
  /** Entries of one event (a dismissal's three) share it; null for a single proposal. */
  eventId: z.number().nullable(),
  /** Why it was entered by hand. */
  reason: z.string().nullable(),
  state: AssessmentState,
  stateLabel: z.string(),
  version: z.number(),
  proposedAt: z.string(),
  confirmedAt: z.string().nullable(),
  appealDueAt: z.string().nullable(),
  appealReason: z.string().nullable(),
  ruling: z.string().nullable(),
  rulingReason: z.string().nullable(),
  finalAt: z.string().nullable(),
  actions: z.array(z.string()),
});
export const AssessmentList = z.object({ items: z.array(AssessmentView), total: z.number(), page: z.number(), pageSize: z.number() });
export const AssessmentAction = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('confirm'), version: z.number().int().positive().optional() }),
  z.strictObject({ action: z.literal('drop'), reason: z.string().trim().min(2).max(2000), version: z.number().int().positive().optional() }),
  z.strictObject({ action: z.literal('appeal'), reason: z.string().trim().min(2).max(2000), version: z.number().int().positive().optional() }),
  z.strictObject({ action: z.literal('approve'), version: z.number().int().positive().optional() }),
  z.strictObject({
    action: z.literal('rule'),
    ruling: z.enum(['upheld', 'reduced', 'withdrawn']),
    reason: z.string().trim().min(2).max(2000),
    points: z.number().min(0).max(100).optional(),
    money: z.number().min(0).max(100000).optional(),
    version: z.number().int().positive().optional(),
  }),
]);

export const LedgerDirection = z.enum(['debit', 'credit']);
export const LedgerSubject = z.strictObject({ kind: z.enum(['unit', 'person']), id: z.number().int().positive() });
/** Points and yuan with at most two decimals; the server refuses a third (exact amounts, no floats). */
export const LedgerEntryInput = z.strictObject({
  subject: LedgerSubject,
  direction: LedgerDirection,
  points: z.number().min(0).max(LEDGER_LIMITS.points).optional(),
  money: z.number().min(0).max(LEDGER_LIMITS.money).optional(),
  /** This entry's own reason, when it differs from the event's. */
  reason: z.string().trim().min(2).max(TEXT_LIMITS.reason).optional(),
});
/** 手工录入: the office enters one event by hand, with one or several entries (a fan-out). */
export const LedgerEventCreate = z.strictObject({
  /** The month it counts in; the current month when left out. */
  period: LedgerMonth.optional(),
  reason: z.string().trim().min(2).max(TEXT_LIMITS.reason),
  /** What a reader looks up as evidence (a minutes number, a report). */
  evidence: z.string().trim().max(200).optional(),
  /** Who rules on an appeal. */
  judgePersonId: z.number().int().positive(),
  entries: z.array(LedgerEntryInput).min(1).max(LEDGER_LIMITS.entries),
});
export const LedgerEventCreated = z.object({ eventId: z.number(), entries: z.array(AssessmentView) });

export const PeriodParams = z.strictObject({ period: LedgerMonth });
export const PeriodView = z.object({
  period: z.string(),
  state: z.enum(['open', 'closed']),
  stateLabel: z.string(),
  version: z.number(),
  closedAt: z.string().nullable(),
  reopenedAt: z.string().nullable(),
  reopenReason: z.string().nullable(),
  /** Only an ended month can be closed. */
  canClose: z.boolean(),
});
export const PeriodQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const PeriodList = z.object({ items: z.array(PeriodView) });
export const PeriodClose = z.strictObject({ version: z.number().int().positive().optional() });
export const PeriodReopen = z.strictObject({ reason: z.string().trim().min(2).max(TEXT_LIMITS.reason), version: z.number().int().positive().optional() });

export const TotalsQuery = z.strictObject({ period: LedgerPeriod, unitId: z.coerce.number().int().positive().optional() });
export const SubjectTotalView = z.object({
  subjectKind: z.enum(['unit', 'person']),
  subjectId: z.number(),
  subjectName: z.string(),
  /** Signed sums of final entries (credits +, debits −): what HR applies. */
  points: z.number(),
  money: z.number(),
  /** Signed sums of entries still open to confirmation or appeal. */
  pendingPoints: z.number(),
  pendingMoney: z.number(),
  entries: z.number(),
});
export const TotalsView = z.object({
  period: z.string(),
  /** The months the period is made of and whether each is closed. */
  months: z.array(z.object({ period: z.string(), state: z.enum(['open', 'closed']) })),
  items: z.array(SubjectTotalView),
});

// ---- Case types describe themselves (issue 9 §1): GET /case-types ----

const Label = z.object({ 'zh-CN': z.string(), en: z.string() });
/** A JSON Schema (draft 2020-12) generated from the type's zod schema: what the client sends. */
const JsonSchema = z.record(z.string(), z.unknown());
const RelRoleName = z.string();

/** A number a clock rule counts: a policy key, or a literal with the rulebook clause it comes from. */
const Amount = z.object({ policy: z.string().optional(), value: z.number().optional(), source: z.string().optional() });

export const CaseTypeView = z.object({
  code: z.string(),
  version: z.number(),
  name: Label,
  numberPrefix: z.string(),
  /** The fields a case of this type carries, as POST /cases and PUT /cases/:id take them. */
  fields: JsonSchema,
  initialState: z.string(),
  initialPartState: z.string(),
  closedState: z.string().nullable(),
  editableIn: z.array(z.string()),
  states: z.array(z.object({ code: z.string(), level: z.enum(['case', 'part']), awaits: RelRoleName.nullable(), final: z.boolean(), label: Label })),
  /** One row per transition of the table: an action may be taken from several states, by different roles. */
  transitions: z.array(
    z.object({
      action: z.string(),
      level: z.enum(['case', 'part']),
      from: z.array(z.string()),
      to: z.string().nullable(),
      by: z.array(RelRoleName),
      /** The action's `input`, or null when it takes none. */
      input: JsonSchema.nullable(),
      startClocks: z.array(z.string()),
      stopClocks: z.array(z.string()),
      /** Child cases the transition creates (issue 9 §4): their type, and whether the actor or the system creates them. */
      creates: z.array(z.object({ type: z.string(), as: z.enum(['system', 'actor']) })).optional(),
      label: Label,
    }),
  ),
  clocks: z.array(
    z.object({
      code: z.string(),
      level: z.enum(['case', 'part']),
      /**
       * How the deadline is computed: a policy's number of working days, hours or calendar days, a date
       * on the case, or `relative`: ± `amount` `unit`s `direction` the anchor (`from`/`field`: a date on
       * the case, `created`, `started`), at a local time, moved off a non-working day by `nonWorkingDay`.
       */
      rule: z.object({
        kind: z.enum(['workingDays', 'hours', 'calendarDays', 'date', 'relative']),
        policy: z.string().optional(),
        from: z.string().optional(),
        field: z.string().optional(),
        direction: z.enum(['before', 'after']).optional(),
        unit: z.enum(['workingDays', 'calendarDays', 'hours', 'months', 'years']).optional(),
        amount: Amount.optional(),
        at: z.string().optional(),
        nonWorkingDay: z.enum(['keep', 'previous', 'next']).optional(),
      }),
      awaits: RelRoleName,
      remindBefore: z.string().nullable(),
      /** Further reminders, each so many hours before the deadline. */
      reminders: z.array(Amount).optional(),
      /** 'create': the clock starts when the case is created. */
      startOn: z.literal('create').nullable().optional(),
      /** Child cases its expiry creates, by the system. */
      creates: z.array(z.object({ type: z.string(), as: z.enum(['system', 'actor']) })).optional(),
      label: Label,
    }),
  ),
  /**
   * Relational roles the type declares besides the built-in ones (issue 9 §2), with how each resolves:
   * `fieldPerson` / `fieldUnit` (named in a field), `unitRole` (an org role over a unit), `partMember`,
   * `chain` (up the reporting chain).
   */
  roles: z.array(z.object({ code: z.string(), source: z.record(z.string(), z.unknown()) })),
  /** Whether a case of this type can be merged into another (issue 9 §4): who merges, where it waits, what it ends as, into which types. */
  merge: z.object({ by: z.array(RelRoleName), state: z.string(), result: z.string(), into: z.array(z.string()) }).nullable(),
  /** Every label of the type (states, actions, clocks, tasks …) and the engine's own, keyed as `state.x`, `action.x`. */
  labels: z.record(z.string(), Label),
});
export type CaseTypeView = z.infer<typeof CaseTypeView>;
