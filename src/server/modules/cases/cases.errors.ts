import { defineEntityNames, defineErrors, defineProblems } from '../../platform/http/errors.js';

// The case engine and its types: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const CASES_ERRORS = defineErrors('cases', {
  UNKNOWN_ACTION: { status: 400, 'zh-CN': '没有“{action}”这个操作', en: 'There is no action "{action}"' },
  PART_REQUIRED: { status: 400, 'zh-CN': '请指明是哪个收单单位（partId）', en: 'Say which receiving unit (partId) the action is about' },
  NOT_EDITABLE: { status: 409, 'zh-CN': '只有起草人可在草稿或修改状态下编辑', en: 'Only the drafter may edit, and only in draft or while revising' },
  EXTENSION_TOO_LATE: {
    status: 409,
    'zh-CN': '已超过完成时限（{due}），不能再申请延期',
    en: 'The deadline ({due}) has passed; an extension can no longer be requested',
  },
  EXTENSION_NOT_LATER: { status: 400, 'zh-CN': '新期限须晚于当前期限 {current}', en: 'The new deadline must be later than the current one ({current})' },
  ATTACHMENT_TYPE: {
    status: 415,
    'zh-CN': '附件“{name}”不被接受：文件类型不允许或内容与扩展名不符',
    en: 'Attachment "{name}" refused: the type is not allowed or the content does not match its extension',
  },
  NOTICE_TOO_LATE: {
    status: 409,
    'zh-CN': '距作业日期 {workDate} 已不足 {days} 天，最迟应于 {latest} 发出；紧急情况请标明紧急并写明原因',
    en: 'Less than {days} days before the work date {workDate}: the notice was due by {latest}; mark it urgent with a reason',
  },
  COMMISSION_TOO_LATE: {
    status: 409,
    'zh-CN': '距采区设计日期 {designDate} 已不足 {years} 年，委托书最迟应于 {latest} 提交；紧急情况请标明紧急并写明原因',
    en: 'Less than {years} years before the district design date {designDate}: the letter was due by {latest}; mark it urgent with a reason',
  },
  NOT_ALL_ACKNOWLEDGED: {
    status: 409,
    'zh-CN': '尚有 {count} 个收单单位未确认收到，不能停止掘进',
    en: '{count} receiving units have not acknowledged yet; the heading cannot be stopped',
  },
  OWN_TICKET: {
    status: 409,
    'zh-CN': '填票人不能兼任审核人或值长/许可人，请修改后再提交',
    en: 'The operator cannot also be the reviewer or the permitting shift leader',
  },
  CASE_CLOSED: { status: 409, 'zh-CN': '已办结的表单不能再添加附件', en: 'A closed case takes no new attachments' },
  DRAFT_INCOMPLETE: {
    status: 400,
    'zh-CN': '草稿尚未填写完整，还有 {count} 处需要填写或改正',
    en: 'The draft is not complete yet: {count} fields to fill in or correct',
  }, // issue 9 §4: merging cases — the message names the field; each detail says why.
  MERGE_REFUSED: { status: 409, 'zh-CN': '不能合并：{summary}', en: 'Cannot merge: {summary}' },
  // issue 9 §4: what a guard that reads other cases answers (a parent waiting on its children; a count in a period).
  CHILDREN_OPEN: { status: 409, 'zh-CN': '下级表单尚未全部办结：{open}', en: 'Not every child case is closed yet: {open}' },
  CASE_COUNT_SHORT: {
    status: 409,
    'zh-CN': '{type}数量不足：本期 {count} 件，至少需 {min} 件',
    en: 'Too few {type}: {count} this period, at least {min} needed',
  },
});

export const CASES_PROBLEMS = defineProblems('cases', {
  exactly_one_main: { 'zh-CN': '须有且只有一个主办单位', en: 'exactly one receiving unit must be the main one' },
  duplicate_unit: { 'zh-CN': '同一单位不能重复', en: 'a unit may appear only once' },
  not_a_leader: { 'zh-CN': '“{value}”不是发单单位的领导，不能签发', en: '"{value}" is not a leader over the initiating unit and cannot sign' },
  not_a_member: { 'zh-CN': '“{value}”不是该单位的人员', en: '"{value}" is not a member of that unit' },
  own_unit: { 'zh-CN': '不能向本单位发工作联系单', en: 'a form cannot be sent to the initiating unit itself' },
  no_one_above: {
    'zh-CN': '汇报链上没有“{role}”：请组织机构管理员设置本单位或上级单位的该岗位人员',
    en: 'nobody above the reporter holds "{role}": the organization administrator sets who does in this unit or above it',
  },
  date_in_past: { 'zh-CN': '日期不能早于今天', en: 'the date cannot be in the past' },
  empty_file: { 'zh-CN': '文件为空', en: 'the file is empty' },
  attachment_type_not_allowed: { 'zh-CN': '不允许上传 .{ext} 文件', en: '.{ext} files are not allowed' },
  attachment_content_mismatch: { 'zh-CN': '文件内容与扩展名 .{ext} 不符', en: 'the content does not match the .{ext} extension' },
  // issue 9 §4 (merging cases)
  merge_self: { 'zh-CN': '不能把表单合并到它自己', en: 'a case cannot be merged into itself' },
  merge_not_mergeable: { 'zh-CN': '{type}不能合并', en: 'cases of type {type} cannot be merged' },
  merge_other_type: { 'zh-CN': '{type}不能合并到其他类型的表单 {number}', en: 'a {type} cannot be merged into {number}, a case of another type' },
  merge_already_merged: { 'zh-CN': '{number} 已经合并到其他表单', en: '{number} is already merged into another case' },
  merge_closed: { 'zh-CN': '{number} 已办结，不能合并', en: '{number} is closed and cannot be merged' },
  merge_target_closed: { 'zh-CN': '{number} 已办结，不能再合并进去', en: '{number} is closed; nothing can be merged into it' },
  merge_target_merged: { 'zh-CN': '{number} 本身已合并到其他表单', en: '{number} is itself merged into another case' },
  merge_other_organization: {
    'zh-CN': '{number} 属于其他单位组织，不能跨组织合并',
    en: '{number} belongs to another organization; cases are not merged across organizations',
  },
});

/** Names of this module's things in "not found" messages. */
export const CASES_ENTITIES = defineEntityNames('cases', {
  case: { 'zh-CN': '案件/表单', en: 'Case' },
  attachment: { 'zh-CN': '附件', en: 'Attachment' },
});

declare module '../../platform/http/errors.js' {
  interface ModuleErrorCodes extends Record<keyof typeof CASES_ERRORS, true> {}
}
