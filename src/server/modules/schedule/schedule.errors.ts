import { defineProblems } from '../../platform/http/errors.js';

// Schedules: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const SCHEDULE_PROBLEMS = defineProblems('schedule', {
  never_occurs: { 'zh-CN': '按此规则永远不会出现期次', en: 'the rule can never occur with this value' },
  not_before_from: { 'zh-CN': '不能早于开始日期', en: 'must not be before the start date' },
  range_too_long: { 'zh-CN': '预览范围最长两年', en: 'the preview range is at most two years' },
});
