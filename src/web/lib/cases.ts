import type { TFunction } from 'i18next';
import type { CaseTypeCodeView } from '../types.js';
import { dynT } from './format.js';

/** Case types and their case-level states (src/server/modules/cases/types/*), for the filters. */
export const CASE_STATES_BY_TYPE = {
  contact_form: ['draft', 'pending_issue', 'issued', 'revising', 'closed', 'withdrawn'],
  commission_letter: ['draft', 'head_signing', 'chief_signing', 'issued', 'closed', 'withdrawn'],
  notice: ['draft', 'monitoring', 'issued', 'closed', 'heading_stopped', 'withdrawn'],
  operation_ticket: ['draft', 'awaiting_review', 'awaiting_permit', 'may_start', 'in_operation', 'executed', 'closed', 'voided'],
} as const satisfies Record<CaseTypeCodeView, readonly string[]>;
/** The contract's `CaseTypeCode`: `satisfies` above refuses a type missing here or one the contract does not know. */
export type CaseType = keyof typeof CASE_STATES_BY_TYPE;
export const CASE_TYPES = Object.keys(CASE_STATES_BY_TYPE) as CaseType[];
export const isCaseType = (v: string | null | undefined): v is CaseType => !!v && v in CASE_STATES_BY_TYPE;

/** The state filter: that type's states, or every state (named as the first type that has it). */
export function stateOptions(t: TFunction, type: string | undefined): { value: string; label: string }[] {
  const types = isCaseType(type) ? [type] : CASE_TYPES;
  const seen = new Map<string, string>();
  for (const ty of types) for (const st of CASE_STATES_BY_TYPE[ty]) if (!seen.has(st)) seen.set(st, dynT(t, `caseState.${ty}.${st}`, st));
  return [...seen].map(([value, label]) => ({ value, label }));
}

export const CASE_TABS = ['todo', 'mine', 'done', 'watching', 'all'] as const;

const STATE_COLOR: Record<string, string> = {
  draft: 'default',
  pending_issue: 'gold',
  issued: 'blue',
  revising: 'orange',
  closed: 'green',
  withdrawn: 'default',
  pending: 'default',
  awaiting_sign: 'gold',
  objected: 'volcano',
  in_progress: 'processing',
  extension_requested: 'orange',
  replied: 'cyan',
  cancelled: 'default',
  // 委托书, 通知单, 操作票
  head_signing: 'gold',
  chief_signing: 'gold',
  awaiting_receipt: 'gold',
  delivered: 'cyan',
  monitoring: 'processing',
  awaiting_ack: 'gold',
  acknowledged: 'cyan',
  heading_stopped: 'green',
  awaiting_review: 'gold',
  awaiting_permit: 'gold',
  may_start: 'cyan',
  in_operation: 'processing',
  executed: 'cyan',
  voided: 'default',
};
/** A tag colour for a case or part state (the label itself comes from the server). */
export const stateColor = (state: string) => STATE_COLOR[state] ?? 'blue';

export const DEADLINE_COLOR: Record<string, string> = { running: 'processing', met: 'green', missed: 'red', fired: 'red' };

export const caseTypeLabel = (t: TFunction, type: string) => dynT(t, `caseType.${type}`, type);
export const caseStateLabel = (t: TFunction, state: string, type = 'contact_form') => dynT(t, `caseState.${type}.${state}`, state);
export const clockLabel = (t: TFunction, clock: string) => dynT(t, `caseDetail.clock.${clock}`, clock);
export const deadlineStateLabel = (t: TFunction, state: string) => dynT(t, `caseDetail.deadlineState.${state}`, state);
export const roleLabel = (t: TFunction, role: string) => (role === 'main' ? t('cases.main') : t('cases.assist'));

/** Query parameters shared by the list and its Excel export. */
export interface CaseFilters {
  tab: string;
  type?: string;
  state?: string;
  unitId?: number;
  overdue?: 'true';
  q?: string;
}

export function filterQuery(f: CaseFilters): Record<string, string | number | undefined> {
  return { tab: f.tab, type: f.type, state: f.state, unitId: f.unitId, overdue: f.overdue, q: f.q || undefined };
}
