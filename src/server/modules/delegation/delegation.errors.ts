import { defineEntityNames, defineErrors, defineProblems } from '../../platform/http/errors.js';

// 委托代理: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const DELEGATION_ERRORS = defineErrors('delegation', {
  DELEGATION_ENDED: { status: 409, 'zh-CN': '该委托已结束或已撤销', en: 'This delegation has already ended or been revoked' },
});

export const DELEGATION_PROBLEMS = defineProblems('delegation', {
  // The same words as accounts' person_has_left, for a deputy or principal who has left.
  delegate_has_left: { 'zh-CN': '该人员已离职', en: 'has left' },
  self_deputy: { 'zh-CN': '不能委托给本人', en: 'a person cannot be their own deputy' },
  until_not_after_from: { 'zh-CN': '结束时间须晚于开始时间', en: 'must be later than the start' },
  until_in_past: { 'zh-CN': '结束时间已过', en: 'is already past' },
  delegation_too_long: { 'zh-CN': '委托期限最长 {max} 天', en: 'a delegation lasts at most {max} days' },
  delegation_overlap: {
    'zh-CN': '与已有委托（{deputy}，{from} 至 {until}）时间重叠',
    en: 'overlaps the delegation to {deputy} ({from} to {until})',
  },
});

/** Names of this module's things in "not found" messages. */
export const DELEGATION_ENTITIES = defineEntityNames('delegation', {
  delegation: { 'zh-CN': '委托', en: 'Delegation' },
});

declare module '../../platform/http/errors.js' {
  interface ModuleErrorCodes extends Record<keyof typeof DELEGATION_ERRORS, true> {}
}
