import type { Generated } from 'kysely';

/**
 * Table shapes shared by both dialects. Portable subset on purpose (ADR 0002):
 * instants are ISO-8601 UTC text, dates are YYYY-MM-DD text, flags are 0/1 integers,
 * JSON is text. Only repositories see these types.
 */
export interface OrganizationTable {
  id: number; // always 1: one organization per installation
  name: string;
  time_zone: string;
  created_at: string;
}

export interface PolicyTable {
  key: string;
  value: string; // JSON
  updated_at: string;
  updated_by: number | null;
}

/** A unit's own value of a policy, in force there and below (issue 9 §8). */
export interface PolicyUnitTable {
  unit_id: number;
  key: string;
  value: string; // JSON
  updated_at: string;
  updated_by: number | null;
}

export interface UnitTypeTable {
  code: string;
  name_zh: string;
  name_en: string;
  sort_order: number;
}

export interface UnitTable {
  id: Generated<number>;
  parent_id: number | null;
  type_code: string;
  code: string;
  name: string;
  /** Materialized path of ids, "/1/5/12/": a subtree is a prefix match. */
  path: string;
  depth: number;
  sort_order: number;
  active: number;
  created_at: string;
  updated_at: string;
}

/** 委托代理 (issue 9 §2): in force while valid_from <= now < valid_until and not revoked. */
export interface DelegationTable {
  id: Generated<number>;
  principal_person_id: number;
  deputy_person_id: number;
  valid_from: string;
  valid_until: string;
  reason: string;
  created_by_person_id: number;
  created_at: string;
  revoked_at: string | null;
  revoked_by_person_id: number | null;
}

export interface PersonTable {
  id: Generated<number>;
  name: string;
  gender: string | null; // 'male' | 'female' | null
  post: string | null;
  employee_no: string | null;
  phone: string | null;
  status: string; // 'active' | 'left'
  created_at: string;
  updated_at: string;
}

export interface RoleTable {
  code: string;
  name_zh: string;
  name_en: string;
  /** Position in the reporting chain; lower reports to higher. null: not part of the chain. */
  chain_rank: number | null;
  sort_order: number;
}

export interface RolePermissionTable {
  role_code: string;
  permission: string;
}

export interface MembershipTable {
  id: Generated<number>;
  person_id: number;
  unit_id: number;
  role_code: string;
  is_primary: number;
  created_at: string;
}

export interface AccountTable {
  id: Generated<number>;
  person_id: number;
  username: string;
  password_hash: string;
  must_change_password: number;
  active: number;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  token_hash: string;
  account_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
}

/** Failed logins of one user name from one client address (0009): the growing delay before the next try. */
export interface LoginThrottleTable {
  username: string;
  ip: string;
  failures: number;
  last_failed_at: string;
  blocked_until: string | null;
}

export interface ApiTokenTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CalendarDayTable {
  date: string;
  /** 'official' rows come from the State Council arrangement; 'org' rows are the organization's overrides. */
  source: string;
  kind: string; // 'holiday' (day off) | 'workday' (working day)
  name: string;
  created_at: string;
}

export interface CalendarYearTable {
  year: number;
  source: string; // where the official arrangement came from (package name, file)
  loaded_at: string;
}

/** A school term (学期) of the organization's calendar: rules count in it (ADR 0009, terms). */
export interface CalendarTermTable {
  id: Generated<number>;
  name: string;
  starts_on: string;
  ends_on: string;
  updated_at: string;
}

export interface AuditEventTable {
  seq: number;
  at: string;
  actor_account_id: number | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  unit_id: number | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

/** The audit chain's head, moved with every append (migration 0011, ADR 0008). Always one row, id 1. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** One row `/api/health` writes to prove the database takes writes. */
export interface HealthProbeTable {
  id: number;
  at: string;
}

// ---- case engine (issue 4) ----

export interface CaseCounterTable {
  type_code: string;
  year: number;
  last: number;
}

export interface CaseRecordTable {
  id: Generated<number>;
  type_code: string;
  type_version: number;
  number: string;
  title: string;
  state: string;
  /** Optimistic lock: every change bumps it; a writer holding an older value loses with 409. */
  version: number;
  revision: number;
  fields_json: string;
  initiator_unit_id: number;
  drafter_person_id: number;
  signing_leader_person_id: number | null;
  due_date: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** The case that created this one (migration 0018, issue 9 §4). */
  parent_case_id: number | null;
  /** The case this one was merged into and follows (migration 0018). */
  merged_into_case_id: number | null;
  merged_at: string | null;
}

export interface CasePartTable {
  id: Generated<number>;
  case_id: number;
  unit_id: number;
  /** A person part's person (issue 9 §2); null: a unit part. */
  person_id: number | null;
  role: string; // 'main' (主办) | 'assist' (协办)
  state: string;
  handler_person_id: number | null;
  due_date: string | null;
  requested_due_date: string | null;
  overdue: number;
  supervised: number;
  updated_at: string;
}

export interface CaseClockTable {
  id: Generated<number>;
  case_id: number;
  part_id: number | null;
  code: string;
  revision: number;
  started_at: string;
  due_at: string;
  remind_at: string | null;
  reminded_at: string | null;
  stopped_at: string | null;
  fired_at: string | null;
  outcome: string | null; // 'met' | 'missed'
  explanation_json: string;
  flags_json: string;
}

/** A clock's later reminders (migration 0015): the earliest is `case_clock.remind_at`. */
export interface CaseClockReminderTable {
  id: Generated<number>;
  clock_id: number;
  case_id: number;
  remind_at: string;
  reminded_at: string | null;
}

export interface CaseTaskTable {
  id: Generated<number>;
  case_id: number;
  part_id: number | null;
  person_id: number | null;
  unit_id: number | null;
  state: string;
  due_at: string | null;
  created_at: string;
  /** The relational role the task waits on (migration 0010); null on rows written before it. */
  awaits: string | null;
}

/** Cases each holder of tasks (`p:<person id>`, `u:<unit id>`) has a task on (migration 0016). */
export interface CaseTaskCountTable {
  holder: string;
  open_cases: number;
}

/** Two holders with tasks on one case (`holder_a` < `holder_b`): what the sum of counts counts twice. */
export interface CaseTaskPairTable {
  case_id: number;
  holder_a: string;
  holder_b: string;
}

export interface CaseEventTable {
  id: Generated<number>;
  case_id: number;
  part_id: number | null;
  at: string;
  actor_person_id: number | null;
  actor_name: string | null;
  action: string;
  from_state: string | null;
  to_state: string | null;
  revision: number;
  data_json: string | null;
}

export interface CaseWatchTable {
  case_id: number;
  person_id: number;
  kind: string; // 'cc' | 'follow'
  created_at: string;
}

export interface CaseLinkTable {
  case_id: number;
  other_case_id: number;
  created_at: string;
  created_by: number | null;
}

export interface CaseAttachmentTable {
  id: Generated<number>;
  case_id: number;
  part_id: number | null;
  event_id: number | null;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  uploaded_by: number | null;
  created_at: string;
}

export interface NotificationTable {
  id: Generated<number>;
  person_id: number;
  case_id: number | null;
  kind: string;
  params_json: string;
  created_at: string;
  read_at: string | null;
  /** The task the notification asked for (migration 0008): the part, and `awaits:state`; null when it only informs. */
  part_id: number | null;
  task: string | null;
  /** The ledger entry a notification about an assessment opens. */
  assessment_id: number | null;
}

export interface OutboxTable {
  id: Generated<number>;
  notification_id: number;
  channel: string;
  payload_json: string;
  created_at: string;
  delivered_at: string | null;
  attempts: number;
}

export interface AssessmentTable {
  id: Generated<number>;
  rule: string;
  source_type: string;
  source_id: number;
  source_part_id: number | null;
  evidence: string;
  subject_unit_id: number | null;
  subject_person_id: number | null;
  proposer_unit_id: number | null;
  proposer_person_id: number | null;
  judge_person_id: number | null;
  /** 'debit' (扣分/罚款) or 'credit' (加分/奖励); amounts are magnitudes. */
  direction: string;
  /** Points in hundredths (1.5 points = 150): exact, no floats. */
  points_centi: number;
  /** Money in fen (200 元 = 20000). */
  money_fen: number;
  /** The unit whose subtree the entry is filed under (who may read it). */
  scope_unit_id: number | null;
  /** The event the entry came from with others (a dismissal fans out into three). */
  event_id: number | null;
  /** Why the office entered it by hand. */
  reason: string | null;
  period: string; // YYYY-MM
  state: string;
  version: number;
  proposed_at: string;
  confirmed_at: string | null;
  confirmed_by: number | null;
  appeal_due_at: string | null;
  appeal_reason: string | null;
  appealed_at: string | null;
  ruling: string | null;
  ruling_reason: string | null;
  ruled_by: number | null;
  ruled_at: string | null;
  final_at: string | null;
}

export interface AssessmentEventTable {
  id: Generated<number>;
  /** 'manual' or the rule set that fanned out, e.g. 'liaison_officer.dismissal'. */
  kind: string;
  source_type: string;
  source_id: number | null;
  reason: string;
  period: string;
  created_at: string;
  created_by: number | null;
}

export interface AssessmentPeriodTable {
  period: string; // YYYY-MM
  state: string; // 'open' | 'closed'
  version: number;
  closed_at: string | null;
  closed_by: number | null;
  reopened_at: string | null;
  reopened_by: number | null;
  reopen_reason: string | null;
}

/** A recurring series of a module's job kind (modules/schedule); only its next occurrence is a job. */
export interface ScheduleSeriesTable {
  id: Generated<number>;
  kind: string;
  key: string;
  rule_json: string;
  payload_json: string;
  created_at: string;
  ended_at: string | null;
}

/** One unit of due work for a kind's handler (modules/schedule, ADR 0010). */
export interface JobTable {
  id: Generated<number>;
  kind: string;
  key: string;
  series_id: number | null;
  due_at: string;
  payload_json: string;
  state: 'pending' | 'running' | 'done' | 'failed';
  attempts: Generated<number>;
  last_error: string | null;
  claimed_by: string | null;
  claimed_until: string | null;
  created_at: string;
  done_at: string | null;
}

export interface Schema {
  organization: OrganizationTable;
  policy: PolicyTable;
  policy_unit: PolicyUnitTable;
  unit_type: UnitTypeTable;
  unit: UnitTable;
  person: PersonTable;
  role: RoleTable;
  role_permission: RolePermissionTable;
  membership: MembershipTable;
  account: AccountTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  login_throttle: LoginThrottleTable;
  calendar_day: CalendarDayTable;
  calendar_year: CalendarYearTable;
  calendar_term: CalendarTermTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  health_probe: HealthProbeTable;
  case_counter: CaseCounterTable;
  case_record: CaseRecordTable;
  case_part: CasePartTable;
  case_clock: CaseClockTable;
  case_clock_reminder: CaseClockReminderTable;
  case_task: CaseTaskTable;
  case_task_count: CaseTaskCountTable;
  case_task_pair: CaseTaskPairTable;
  case_event: CaseEventTable;
  case_watch: CaseWatchTable;
  case_link: CaseLinkTable;
  case_attachment: CaseAttachmentTable;
  notification: NotificationTable;
  outbox: OutboxTable;
  assessment: AssessmentTable;
  assessment_event: AssessmentEventTable;
  assessment_period: AssessmentPeriodTable;
  schedule_series: ScheduleSeriesTable;
  job: JobTable;
  delegation: DelegationTable;
}
