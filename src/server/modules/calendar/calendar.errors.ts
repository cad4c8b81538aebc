import { defineProblems } from '../../platform/http/errors.js';

// The calendar: this module's field reasons (`details`); the platform renders them (platform/http/errors.ts).
export const CALENDAR_PROBLEMS = defineProblems('calendar', {
  // School terms (issue 9 §6)
  ends_before_start: { 'zh-CN': '结束日期不能早于开始日期', en: 'must not be before the start date' },
  term_too_long: { 'zh-CN': '一个学期最长 {max} 天', en: 'a term lasts at most {max} days' },
  term_overlaps: { 'zh-CN': '与另一个学期有重叠的日期', en: 'shares days with another term' },
});
