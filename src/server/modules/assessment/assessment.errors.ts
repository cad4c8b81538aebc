import { defineEntityNames, defineErrors, defineProblems } from '../../platform/http/errors.js';

// The assessment ledger: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const ASSESSMENT_ERRORS = defineErrors('assessment', {
  APPEAL_TOO_LATE: { status: 409, 'zh-CN': '申诉期限（{due}）已过', en: 'The appeal period ended at {due}' },
  PERIOD_CLOSED: {
    status: 409,
    'zh-CN': '考核期间 {period} 已结账：不能新增、修改或裁定其中的考核记录，须先重新打开',
    en: 'The period {period} is closed: no entry may be added, changed or ruled on in it until it is reopened',
  },
  PERIOD_NOT_CLOSED: { status: 409, 'zh-CN': '考核期间 {period} 尚未结账，无需重新打开', en: 'The period {period} is not closed; there is nothing to reopen' },
  PERIOD_NOT_ENDED: {
    status: 409,
    'zh-CN': '考核期间 {period} 尚未结束，结束后才能结账',
    en: 'The period {period} has not ended yet; it can be closed once it has',
  },
});

export const ASSESSMENT_PROBLEMS = defineProblems('assessment', {
  amount_required: { 'zh-CN': '分值和金额至少填一项，且不能为 0', en: 'give points or an amount of money, not zero' },
  two_decimals: { 'zh-CN': '最多两位小数', en: 'must have at most two decimals' },
  period_in_future: { 'zh-CN': '不能记入尚未开始的期间（当前为 {current}）', en: 'cannot be booked in a period that has not begun (now {current})' },
});

/** Names of this module's things in "not found" messages. */
export const ASSESSMENT_ENTITIES = defineEntityNames('assessment', {
  assessment: { 'zh-CN': '考核记录', en: 'Assessment' },
});

declare module '../../platform/http/errors.js' {
  interface ModuleErrorCodes extends Record<keyof typeof ASSESSMENT_ERRORS, true> {}
}
