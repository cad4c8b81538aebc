import { defineEntityNames, defineProblems } from '../../platform/http/errors.js';

// Policies: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const POLICY_PROBLEMS = defineProblems('policy', {
  policy_before: { 'zh-CN': '须早于 {other}（现为 {value}）', en: 'must be before {other} (now {value})' },
  policy_after: { 'zh-CN': '须晚于 {other}（现为 {value}）', en: 'must be after {other} (now {value})' },
  policy_not_above: { 'zh-CN': '不能大于 {other}（现为 {value}）', en: 'must not be above {other} (now {value})' },
  policy_not_below: { 'zh-CN': '不能小于 {other}（现为 {value}）', en: 'must not be below {other} (now {value})' },
  policy_group_below: {
    'zh-CN': '与下级单位“{unit}”的设置冲突（{other} 在该单位为 {value}）',
    en: 'conflicts with the unit "{unit}" below, where {other} is {value}',
  },
  policy_root_unit: {
    'zh-CN': '最上级单位的取值就是全单位的取值，请在全单位中修改',
    en: "the top unit's values are the organization's; change them there",
  },
  policy_org_only: { 'zh-CN': '只能全单位统一设置，不能按单位设置', en: 'is set for the whole organization only, not per unit' },
});

/** Names of this module's things in "not found" messages. */
export const POLICY_ENTITIES = defineEntityNames('policy', {
  policy: { 'zh-CN': '制度参数', en: 'Policy' },
});
