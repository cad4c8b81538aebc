import type { ComponentType } from 'react';
import type { CaseType } from '../../lib/cases.js';
import { CommissionLetterItems, type CommissionLetterValues, fromCommissionFields, toCommissionFields } from './CommissionLetterItems.js';
import { ContactFormItems, type ContactFormValues, fromFields as fromContactFields, toFields as toContactFields } from './ContactFormItems.js';
import type { CaseItemsProps } from './formShared.js';
import { fromNoticeFields, NoticeItems, type NoticeValues, toNoticeFields } from './NoticeItems.js';
import { fromTicketFields, OperationTicketItems, type OperationTicketValues, toTicketFields } from './OperationTicketItems.js';

/** How one case type is filled in: its form items, and its fields to and from the form's values. */
export interface CaseFormDef {
  Items: ComponentType<CaseItemsProps>;
  toFields: (values: Record<string, unknown>) => Record<string, unknown>;
  fromFields: (fields: Record<string, unknown>) => Record<string, unknown>;
  /**
   * The action that sends a new draft on from the new-form page (its label is `caseForm.sendAs.<type>`);
   * null when saving is all there is (a breakthrough notice goes out when a measured distance says so).
   */
  sendAction: (values: Record<string, unknown>) => 'submit' | 'issue' | null;
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
