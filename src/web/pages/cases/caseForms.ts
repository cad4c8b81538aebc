import { type ComponentType, createElement, useMemo } from 'react';
import type { CaseType } from '../../lib/cases.js';
import { type CaseTypeView, fieldWords } from '../../lib/caseTypes.js';
import { CommissionLetterItems, type CommissionLetterValues, fromCommissionFields, toCommissionFields } from './CommissionLetterItems.js';
import { ContactFormItems, type ContactFormValues, fromFields as fromContactFields, toFields as toContactFields } from './ContactFormItems.js';
import type { CaseItemsProps } from './formShared.js';
import { fromNoticeFields, NoticeItems, type NoticeValues, toNoticeFields } from './NoticeItems.js';
import { fromTicketFields, OperationTicketItems, type OperationTicketValues, toTicketFields } from './OperationTicketItems.js';
import { initialValues, SchemaFormItems } from './schemaForm/SchemaFormItems.js';
import { allFields, formSpec, fromStored, newValues, toInput } from './schemaForm/schema.js';

/** How one case type is filled in: its form items, and its fields to and from the form's values. */
export interface CaseFormDef {
  Items: ComponentType<CaseItemsProps>;
  toFields: (values: Record<string, unknown>) => Record<string, unknown>;
  fromFields: (fields: Record<string, unknown>) => Record<string, unknown>;
  /**
   * The action that sends a new draft on from the new-form page (its label is `caseForm.sendAs.<type>`);
   * null when saving is all there is (a breakthrough notice goes out when a measured distance says so).
   */
  sendAction: (values: Record<string, unknown>) => string | null;
  /** Starting values of a new form of this type. */
  defaults?: Record<string, unknown>;
  /** Fields naming people chosen over the initiating unit: cleared when that unit changes. */
  personFields?: readonly string[];
}

/** The items of a generated form: the type's fields as its description gives them. */
function GeneratedItems({ view, initiatorUnitId, active }: CaseItemsProps) {
  const spec = useMemo(() => formSpec(view?.fields), [view]);
  const words = useMemo(() => fieldWords(view), [view]);
  return createElement(SchemaFormItems, { spec, words, ctx: { initiatorUnitId, active } });
}

/**
 * The form of a type without a component of its own: built from its fields' JSON Schema and labels
 * (GET /case-types). Its send action is the drafter's first case-level action out of the initial
 * state that asks for nothing (提交, 发出); without one, saving is all there is.
 */
export function generatedForm(view: CaseTypeView): CaseFormDef {
  const spec = formSpec(view.fields);
  const send = view.transitions.find((x) => x.level === 'case' && x.from.includes(view.initialState) && x.by.includes('drafter') && !x.input && x.to);
  return {
    Items: GeneratedItems,
    toFields: (v) => toInput(spec, v),
    fromFields: (f) => fromStored(spec, f),
    sendAction: () => send?.action ?? null,
    // Its first kind, one row of each list, and what the annotations start with (an occurrence time: now).
    defaults: { ...newValues(spec), ...initialValues(allFields(spec), {}) },
    personFields: allFields(spec)
      .filter((f) => f.meta.widget === 'signingLeader' || f.meta.widget === 'unitMember')
      .map((f) => f.name),
  };
}

/** How a type is filled in: its own component where the paper form needs one, else the generated form. */
export function formFor(type: string, view: CaseTypeView | undefined): CaseFormDef | null {
  if (type in CASE_FORMS) return CASE_FORMS[type as CaseType];
  return view ? generatedForm(view) : null;
}

export const CASE_FORMS: Record<CaseType, CaseFormDef> = {
  contact_form: {
    Items: ContactFormItems,
    toFields: (v) => toContactFields(v as unknown as ContactFormValues),
    fromFields: (f) => fromContactFields(f),
    sendAction: () => 'submit',
  },
  commission_letter: {
    Items: CommissionLetterItems,
    toFields: (v) => toCommissionFields(v as unknown as CommissionLetterValues),
    fromFields: (f) => fromCommissionFields(f),
    sendAction: () => 'submit',
  },
  notice: {
    Items: NoticeItems,
    toFields: (v) => toNoticeFields(v as unknown as NoticeValues),
    fromFields: (f) => fromNoticeFields(f),
    sendAction: (v) => (v.kind === 'breakthrough' ? null : 'issue'),
  },
  operation_ticket: {
    Items: OperationTicketItems,
    toFields: (v) => toTicketFields(v as unknown as OperationTicketValues),
    fromFields: (f) => fromTicketFields(f),
    sendAction: () => 'submit',
  },
};

/**
 * Starting values of every type at once: the new-form page keeps one form while the type changes, so
 * what was typed in the common fields (title, text) stays.
 */
export const NEW_FORM_DEFAULTS = {
  title: '',
  body: '',
  receivers: [{ role: 'main' }],
  reportKind: 'heading',
  kind: 'work_start',
  receiverUnitIds: [undefined],
  strata: 'coal',
  operation: 'power_off',
  steps: [''],
} as const;

/** Form names of the people chosen among the initiating unit's leaders or members: cleared when that unit changes. */
export const PERSON_FIELDS = [
  'signingLeaderPersonId',
  'departmentHeadPersonId',
  'chiefEngineerPersonId',
  'leaderPersonId',
  'reviewerPersonId',
  'permitterPersonId',
] as const;
