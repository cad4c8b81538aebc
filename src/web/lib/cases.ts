import type { TFunction } from 'i18next';
import type { CaseTypeCodeView } from '../types.js';
import { type CaseTypeView, typeLabel, typeName } from './caseTypes.js';
import { dynT } from './format.js';

/** The case types with a form of their own in the web (CaseNewPage, caseForms.ts); any other type the server describes gets a generated one. */
export const CASE_TYPES = ['contact_form', 'commission_letter', 'notice', 'operation_ticket'] as const satisfies readonly CaseTypeCodeView[];
export type CaseType = (typeof CASE_TYPES)[number];
export const isCaseType = (v: string | null | undefined): v is CaseType => !!v && (CASE_TYPES as readonly string[]).includes(v);

/** The state filter: that type's case-level states, or every type's (named as the first type that has it), from GET /case-types. */
export function stateOptions(views: readonly CaseTypeView[] | undefined, type: string | undefined): { value: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const v of views ?? [])
    if (!type || v.code === type)
      for (const st of v.states) if (st.level === 'case' && !seen.has(st.code)) seen.set(st.code, typeLabel(v, `state.${st.code}`, st.code));
  return [...seen].map(([value, label]) => ({ value, label }));
}

/** A case state's name, from its type's description (or the first type that names it). */
export function caseStateLabel(views: readonly CaseTypeView[] | undefined, state: string, type?: string): string {
  const list = views ?? [];
  const own = list.find((v) => v.code === type && v.labels[`state.${state}`]);
  const any = own ?? list.find((v) => v.states.some((s) => s.level === 'case' && s.code === state));
  return typeLabel(any, `state.${state}`, state);
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

/** A type's name: the web's word for the four it knows, else the name the server gives it. */
export const caseTypeLabel = (t: TFunction, type: string, views?: readonly CaseTypeView[]) =>
  dynT(
    t,
    `caseType.${type}`,
    typeName(
      views?.find((v) => v.code === type),
      type,
    ),
  );
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
