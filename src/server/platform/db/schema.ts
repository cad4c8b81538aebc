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
  failed_logins: number;
  locked_until: string | null;
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

export interface Schema {
  organization: OrganizationTable;
  policy: PolicyTable;
  unit_type: UnitTypeTable;
  unit: UnitTable;
  person: PersonTable;
  role: RoleTable;
  role_permission: RolePermissionTable;
  membership: MembershipTable;
  account: AccountTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  calendar_day: CalendarDayTable;
  calendar_year: CalendarYearTable;
  audit_event: AuditEventTable;
}
