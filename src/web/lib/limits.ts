import type { TFunction } from 'i18next';

export { LEDGER_LIMITS, TEXT_LIMITS } from '../../contracts/limits.js';

/**
 * Props for an antd Input or TextArea with a limit: a live "12 / 50" count that turns red past the
 * limit. Deliberately no `maxLength`: the browser would cut pasted text without a word.
 */
export const counted = (max: number) => ({ count: { show: true, max } });

/** A form rule refusing more than `max` characters, naming the field. */
export const maxRule = (t: TFunction, label: string, max: number) => ({ max, message: t('firstHour.tooLong', { label, max }) });
