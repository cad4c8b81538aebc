import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';

/** Client-side checks mirror the server's (src/contracts/auth.ts, access/passwords.ts); the server decides. */
export const PASSWORD_MIN = 8;
export const USERNAME_RE = /^[A-Za-z0-9_.@-]{2,64}$/;

export const required = (t: TFunction, field: string): FormRule => ({ required: true, whitespace: true, message: t('common.required', { field }) });
/** A number to type in (no whitespace check: it is not a string). */
export const requiredNumber = (t: TFunction, field: string): FormRule => ({ required: true, message: t('common.required', { field }) });
export const requiredSelect = (t: TFunction, field: string): FormRule => ({ required: true, message: t('common.selectRequired', { field }) });

export const passwordRules = (t: TFunction, field: string): FormRule[] => [
  { required: true, message: t('common.required', { field }) },
  {
    validator: (_, v: string | undefined) =>
      !v || (v.length >= PASSWORD_MIN && /[A-Za-z]/.test(v) && /\d/.test(v)) ? Promise.resolve() : Promise.reject(new Error(t('common.passwordRule'))),
  },
];

/** Must equal the field `other`. */
export const sameAs = (t: TFunction, other: (string | number)[] | string, field: string): FormRule[] => [
  { required: true, message: t('common.required', { field }) },
  ({ getFieldValue }) => ({
    validator: (_, v) => (!v || getFieldValue(other) === v ? Promise.resolve() : Promise.reject(new Error(t('common.passwordMismatch')))),
  }),
];
