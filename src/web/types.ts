/**
 * Payload types of the API, inferred from the shared zod contracts (type-only imports: no zod in
 * the browser bundle).
 */
import type { z } from 'zod';
import type { AuditEventView } from '../contracts/audit.js';
import type { AccountCandidate, AccountView, ApiToken, ApiTokenCreated, BulkAccountsCreated, Me, OneTimeLogin } from '../contracts/auth.js';
import type { CalendarDayView, CalendarYearView, DeadlineAnswer } from '../contracts/calendar.js';
import type {
  ActionView,
  AssessmentAction,
  AssessmentList,
  AssessmentView,
  AttachmentView,
  CaseCreate,
  CaseCreated,
  CaseDetail as CaseDetailSchema,
  CaseList,
  CaseListQuery,
  CaseSummary,
  CaseTypeCode,
  ContactFormFieldsInput,
  DeadlineView,
  LedgerEventCreate,
  LedgerEventCreated,
  NotificationItem,
  NotificationList,
  PartView,
  PeriodList,
  PeriodView,
  TimelineEntry,
  TotalsView,
} from '../contracts/cases.js';
import type {
  ImportResult,
  Membership,
  Person,
  PersonCreate,
  PersonDetail,
  PersonListItem,
  PersonUpdate,
  Role,
  Unit,
  UnitCreate,
  UnitType,
  UnitUpdate,
} from '../contracts/org.js';
import type { PolicyView as PolicyViewSchema } from '../contracts/policy.js';
import type { SetupInput, SetupStatus } from '../contracts/setup.js';

export type MeView = Me;
export type PolicyView = z.infer<typeof PolicyViewSchema>;
export type SetupStatusView = z.infer<typeof SetupStatus>;
export type SetupBody = z.input<typeof SetupInput>;
export type UnitView = Unit;
export type UnitTypeView = z.infer<typeof UnitType>;
export type UnitCreateBody = z.input<typeof UnitCreate>;
export type UnitUpdateBody = z.input<typeof UnitUpdate>;
export type PersonView = Person;
/** A row of the people list: the person and their units (primary first). */
export type PersonListItemView = PersonListItem;
export type PersonDetailView = z.infer<typeof PersonDetail>;
export type PersonCreateBody = z.input<typeof PersonCreate>;
export type PersonUpdateBody = z.input<typeof PersonUpdate>;
export type MembershipView = Membership;
export type RoleView = z.infer<typeof Role>;
export type AccountRow = AccountView;
export type AccountCandidateView = z.infer<typeof AccountCandidate>;
export type OneTimeLoginView = z.infer<typeof OneTimeLogin>;
export type BulkAccountsCreatedView = z.infer<typeof BulkAccountsCreated>;
export type ApiTokenView = z.infer<typeof ApiToken>;
export type ApiTokenCreatedView = z.infer<typeof ApiTokenCreated>;
export type AuditEvent = z.infer<typeof AuditEventView>;
export type CalendarYear = z.infer<typeof CalendarYearView>;
export type CalendarDay = z.infer<typeof CalendarDayView>;
export type Deadline = z.infer<typeof DeadlineAnswer>;
export type ImportResultView = ImportResult;

// ---- cases (工作联系单 and the case engine) ----
export type CaseDetail = z.infer<typeof CaseDetailSchema>;
export type CaseSummaryView = z.infer<typeof CaseSummary>;
export type CaseListView = z.infer<typeof CaseList>;
export type CaseTab = z.infer<typeof CaseListQuery>['tab'];
export type CaseCreateBody = z.input<typeof CaseCreate>;
/** The case types this installation offers (工作联系单, 委托书, 通知单, 停送电操作票). */
export type CaseTypeCodeView = z.infer<typeof CaseTypeCode>;
export type CaseCreatedView = z.infer<typeof CaseCreated>;
export type ContactFormFields = z.input<typeof ContactFormFieldsInput>;
export type CasePart = z.infer<typeof PartView>;
export type CaseDeadline = z.infer<typeof DeadlineView>;
export type CaseActionView = z.infer<typeof ActionView>;
export type CaseTimelineEntry = z.infer<typeof TimelineEntry>;
export type CaseAttachment = z.infer<typeof AttachmentView>;
/** GET /cases/signing-leaders?unitId= */
export interface SigningLeader {
  id: number;
  name: string;
  post: string | null;
  unitName: string;
}
/**
 * The fields of the other case types. Their zod schemas live with the server's case types
 * (src/server/modules/cases/types/*), not in src/contracts: these mirror them.
 */
export type CommissionLetterFields = {
  title: string;
  body: string;
  reportKind: 'heading' | 'coal_face' | 'agreed';
  dueDate?: string;
  receiverUnitId: number;
  departmentHeadPersonId: number;
  chiefEngineerPersonId: number;
};
export type NoticeKind = 'work_start' | 'work_stop' | 'work_resume' | 'danger_zone' | 'breakthrough';
type NoticeCommon = {
  title: string;
  body: string;
  receiverUnitIds: number[];
  leaderPersonId?: number;
};
export type NoticeFields = NoticeCommon &
  (
    | { kind: 'work_start' | 'work_stop' | 'work_resume'; roadway?: string; workDate: string; urgent?: boolean; urgentReason?: string }
    | { kind: 'danger_zone'; roadway: string; zone: string; safeDistanceMeters?: number }
    | { kind: 'breakthrough'; headingA: string; headingB: string; strata: 'coal' | 'rock'; distanceMeters: number }
  );
export type OperationTicketFields = {
  title: string;
  operation: 'power_off' | 'power_on';
  equipment: string;
  steps: string[];
  plannedAt?: string;
  usersContacted?: string;
  reviewerPersonId: number;
  permitterPersonId: number;
};
/** GET /cases/:id/parts/:partId/members */
export interface PartMember {
  id: number;
  name: string;
  post: string | null;
}
export type NotificationView = z.infer<typeof NotificationItem>;
export type NotificationListView = z.infer<typeof NotificationList>;
/** The ledger's fields of issue 9 §7 (direction, event, reason) read as optional: an entry without them is a debit. */
type LedgerFields = 'direction' | 'eventId' | 'reason';
export type AssessmentRow = Omit<z.infer<typeof AssessmentView>, LedgerFields> & Partial<Pick<z.infer<typeof AssessmentView>, LedgerFields>>;
export type AssessmentListView = Omit<z.infer<typeof AssessmentList>, 'items'> & { items: AssessmentRow[] };
export type LedgerEventBody = z.input<typeof LedgerEventCreate>;
export type LedgerEventCreatedView = z.infer<typeof LedgerEventCreated>;
export type PeriodRow = z.infer<typeof PeriodView>;
export type PeriodListView = z.infer<typeof PeriodList>;
export type LedgerTotals = z.infer<typeof TotalsView>;
export type AssessmentActionBody = z.input<typeof AssessmentAction>;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface AuditVerify {
  ok: boolean;
  checked: number;
  firstBreak?: { seq: number; reason: string };
}

/** Permission names: one list for the server and the web (src/contracts/permissions.ts). */
export { PERMISSIONS, type Permission } from '../contracts/permissions.js';
/** 委托代理 (issue 9 §2): GET /delegations. */
export type DelegationView = import('../contracts/delegation.js').DelegationView;
