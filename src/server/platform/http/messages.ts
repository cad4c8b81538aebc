import type { z } from 'zod';
import { CSV_ENCODINGS } from '../../../contracts/limits.js';

export type Lang = 'zh-CN' | 'en';

/** zh-CN unless the request asks for English (Accept-Language or the UI's `lang` cookie). */
export function pickLang(acceptLanguage: string | undefined, cookieLang?: string): Lang {
  if (cookieLang === 'en' || cookieLang === 'zh-CN') return cookieLang;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

type Catalog = Record<string, { 'zh-CN': string; en: string }>;

const MESSAGES: Catalog = {
  VALIDATION: { 'zh-CN': '请求有误：{summary}', en: 'Invalid request: {summary}' },
  MALFORMED_JSON: { 'zh-CN': '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  MALFORMED_URL: { 'zh-CN': '请求地址无效（编码有误）', en: 'The request URL is not valid (bad encoding)' },
  UNSUPPORTED_MEDIA_TYPE: {
    'zh-CN': '不支持的内容类型 {type}，请使用 application/json',
    en: 'Unsupported content type {type}; use application/json',
  },
  BODY_TOO_LARGE: { 'zh-CN': '请求体过大（上限 {limit}）', en: 'Request body too large (limit {limit})' },
  UPLOAD_TOO_LARGE: { 'zh-CN': '上传文件过大（上限 {limit}）', en: 'Uploaded file too large (limit {limit})' },
  UNAUTHENTICATED: { 'zh-CN': '请先登录', en: 'Please log in' },
  SESSION_EXPIRED: { 'zh-CN': '登录已失效，请重新登录', en: 'Your session has expired; please log in again' },
  INVALID_CREDENTIALS: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  LOGIN_THROTTLED: {
    'zh-CN': '登录失败次数过多，请 {seconds} 秒后再试',
    en: 'Too many failed logins; try again in {seconds} s',
  },
  ACCOUNT_INACTIVE: { 'zh-CN': '账号已停用', en: 'This account has been deactivated' },
  PERSON_LEFT: { 'zh-CN': '该人员已离职，不能启用其账号', en: 'This person has left; their account cannot be activated' },
  PASSWORD_CHANGE_REQUIRED: { 'zh-CN': '首次登录请先修改密码', en: 'Please change your password first' },
  CSRF: {
    'zh-CN': '跨站请求校验失败，请刷新页面后重试',
    en: 'Cross-site request check failed; reload the page and try again',
  },
  FORBIDDEN: { 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { 'zh-CN': '未找到{what}', en: '{what} not found' },
  CONFLICT: { 'zh-CN': '数据已被他人修改，请刷新后重试', en: 'The data was changed by someone else; reload and retry' },
  SETUP_DONE: { 'zh-CN': '系统已完成初始化', en: 'Liaison has already been set up' },
  SETUP_REQUIRED: { 'zh-CN': '系统尚未初始化，请先完成初始设置', en: 'Liaison is not set up yet' },
  DUPLICATE: { 'zh-CN': '{field}“{value}”已存在', en: '{field} "{value}" already exists' },
  UNIT_CYCLE: {
    'zh-CN': '不能把单位移到它自己或它的下级单位之下',
    en: 'A unit cannot be moved under itself or one of its descendants',
  },
  UNIT_NOT_EMPTY: {
    'zh-CN': '该单位下还有下级单位或人员，不能删除',
    en: 'The unit still has sub-units or members and cannot be deleted',
  },
  ROOT_UNIT: { 'zh-CN': '根单位不能移动或删除', en: 'The root unit cannot be moved or deleted' },
  WRONG_PASSWORD: { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  WEAK_PASSWORD: {
    'zh-CN': '密码至少 {min} 位，且须同时包含字母和数字',
    en: 'The password needs at least {min} characters with both letters and digits',
  },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  IMPORT_INVALID: {
    'zh-CN': '文件有 {count} 处错误，未导入任何数据',
    en: 'The file has {count} errors; nothing was imported',
  },
  IMPORT_BAD_FILE: {
    'zh-CN': '无法读取文件：请上传 .xlsx 或 .csv 文件（{reason}）',
    en: 'Cannot read the file: upload an .xlsx or .csv file ({reason})',
  },
  ACTION_NOT_ALLOWED: {
    'zh-CN': '当前状态（{state}）下不能执行“{action}”；您现在可以：{allowed}',
    en: '"{action}" is not possible in the current state ({state}); you may now: {allowed}',
  },
  UNKNOWN_ACTION: { 'zh-CN': '没有“{action}”这个操作', en: 'There is no action "{action}"' },
  PART_REQUIRED: { 'zh-CN': '请指明是哪个收单单位（partId）', en: 'Say which receiving unit (partId) the action is about' },
  NOT_EDITABLE: { 'zh-CN': '只有起草人可在草稿或修改状态下编辑', en: 'Only the drafter may edit, and only in draft or while revising' },
  EXTENSION_TOO_LATE: {
    'zh-CN': '已超过完成时限（{due}），不能再申请延期',
    en: 'The deadline ({due}) has passed; an extension can no longer be requested',
  },
  EXTENSION_NOT_LATER: { 'zh-CN': '新期限须晚于当前期限 {current}', en: 'The new deadline must be later than the current one ({current})' },
  ATTACHMENT_TYPE: {
    'zh-CN': '附件“{name}”不被接受：文件类型不允许或内容与扩展名不符',
    en: 'Attachment "{name}" refused: the type is not allowed or the content does not match its extension',
  },
  NOTICE_TOO_LATE: {
    'zh-CN': '距作业日期 {workDate} 已不足 {days} 天，最迟应于 {latest} 发出；紧急情况请标明紧急并写明原因',
    en: 'Less than {days} days before the work date {workDate}: the notice was due by {latest}; mark it urgent with a reason',
  },
  COMMISSION_TOO_LATE: {
    'zh-CN': '距采区设计日期 {designDate} 已不足 {years} 年，委托书最迟应于 {latest} 提交；紧急情况请标明紧急并写明原因',
    en: 'Less than {years} years before the district design date {designDate}: the letter was due by {latest}; mark it urgent with a reason',
  },
  NOT_ALL_ACKNOWLEDGED: {
    'zh-CN': '尚有 {count} 个收单单位未确认收到，不能停止掘进',
    en: '{count} receiving units have not acknowledged yet; the heading cannot be stopped',
  },
  OWN_TICKET: {
    'zh-CN': '填票人不能兼任审核人或值长/许可人，请修改后再提交',
    en: 'The operator cannot also be the reviewer or the permitting shift leader',
  },
  APPEAL_TOO_LATE: { 'zh-CN': '申诉期限（{due}）已过', en: 'The appeal period ended at {due}' },
  INTERNAL: { 'zh-CN': '服务器内部错误，请稍后再试', en: 'Internal server error; please try again later' },

  // Field-level reasons (details[].message)
  required: { 'zh-CN': '必填', en: 'is required' },
  invalid_type: { 'zh-CN': '应为{expected}', en: 'must be {expected}' },
  too_small_string: { 'zh-CN': '至少 {minimum} 个字符', en: 'must have at least {minimum} characters' },
  too_big_string: { 'zh-CN': '最多 {maximum} 个字符', en: 'must have at most {maximum} characters' },
  too_small_number: { 'zh-CN': '不能小于 {minimum}', en: 'must be at least {minimum}' },
  too_big_number: { 'zh-CN': '不能大于 {maximum}', en: 'must be at most {maximum}' },
  too_small_array: { 'zh-CN': '至少 {minimum} 项', en: 'must have at least {minimum} items' },
  too_big_array: { 'zh-CN': '最多 {maximum} 项', en: 'must have at most {maximum} items' },
  unrecognized_key: { 'zh-CN': '不允许的字段', en: 'is not an allowed field' },
  invalid_value: { 'zh-CN': '取值无效，可选：{values}', en: 'must be one of: {values}' },
  invalid_format: { 'zh-CN': '格式不正确（{format}）', en: 'has a wrong format ({format})' },
  invalid: { 'zh-CN': '取值无效', en: 'is invalid' },
  duplicate_in_file: { 'zh-CN': '与第 {row} 行重复', en: 'duplicates row {row}' },
  unknown_reference: { 'zh-CN': '找不到“{value}”', en: '"{value}" not found' },
  missing_column: { 'zh-CN': '缺少列“{column}”', en: 'column "{column}" is missing' },
  exists: { 'zh-CN': '“{value}”已存在', en: '"{value}" already exists' },
  role_not_grantable: {
    'zh-CN': '不能授予角色“{role}”：它包含您在该单位没有的权限',
    en: 'cannot grant role "{role}": it holds rights you do not have in that unit',
  },
  cycle: { 'zh-CN': '上级关系形成循环', en: 'the parent relation forms a cycle' },
  invalid_phone: { 'zh-CN': '手机号“{value}”格式不正确', en: 'phone number "{value}" is not valid' },
  no_rows: { 'zh-CN': '没有数据行', en: 'there are no data rows' },
  unknown_sheet: {
    'zh-CN': '无法识别的表：应为“单位”或“人员”表，表头须包含“单位编码”或“工号”',
    en: 'unrecognised sheet: expected a units or people sheet whose header has 单位编码 (code) or 工号 (employee_no)',
  },
  exactly_one_main: { 'zh-CN': '须有且只有一个主办单位', en: 'exactly one receiving unit must be the main one' },
  duplicate_unit: { 'zh-CN': '同一单位不能重复', en: 'a unit may appear only once' },
  not_a_leader: { 'zh-CN': '“{value}”不是发单单位的领导，不能签发', en: '"{value}" is not a leader over the initiating unit and cannot sign' },
  not_a_member: { 'zh-CN': '“{value}”不是该单位的人员', en: '"{value}" is not a member of that unit' },
  own_unit: { 'zh-CN': '不能向本单位发工作联系单', en: 'a form cannot be sent to the initiating unit itself' },
  date_in_past: { 'zh-CN': '日期不能早于今天', en: 'the date cannot be in the past' },
  self_deputy: { 'zh-CN': '不能委托给本人', en: 'a person cannot be their own deputy' },
  until_not_after_from: { 'zh-CN': '结束时间须晚于开始时间', en: 'must be later than the start' },
  until_in_past: { 'zh-CN': '结束时间已过', en: 'is already past' },
  delegation_too_long: { 'zh-CN': '委托期限最长 {max} 天', en: 'a delegation lasts at most {max} days' },
  delegation_overlap: {
    'zh-CN': '与已有委托（{deputy}，{from} 至 {until}）时间重叠',
    en: 'overlaps the delegation to {deputy} ({from} to {until})',
  },
  empty_file: { 'zh-CN': '文件为空', en: 'the file is empty' },
  attachment_type_not_allowed: { 'zh-CN': '不允许上传 .{ext} 文件', en: '.{ext} files are not allowed' },
  attachment_content_mismatch: { 'zh-CN': '文件内容与扩展名 .{ext} 不符', en: 'the content does not match the .{ext} extension' },
  more_errors: { 'zh-CN': '…还有 {count} 处错误', en: '… and {count} more errors' },

  // Issue 8, first hour: an import cell that names no known entry lists the valid ones; a CSV whose
  // header cannot be read says which encodings it may have.
  unknown_choice: { 'zh-CN': '找不到“{value}”，可填：{values}', en: '"{value}" not found; use one of: {values}' },
  unknown_csv_header: {
    'zh-CN': `无法识别的 CSV：表头须包含“单位编码”或“工号”，文件编码须为 ${CSV_ENCODINGS['zh-CN']}`,
    en: `unrecognised CSV: the header must have 单位编码 (code) or 工号 (employee_no), and the file must be ${CSV_ENCODINGS.en}`,
  },
  // issue 8 (edge): what no database stores, and policies that belong together
  nul_character: { 'zh-CN': '不能包含空字符（\\0）', en: 'must not contain a NUL character (\\0)' },
  too_deep: { 'zh-CN': '嵌套层级过深', en: 'is nested too deeply' },
  policy_before: { 'zh-CN': '须早于 {other}（现为 {value}）', en: 'must be before {other} (now {value})' },
  policy_after: { 'zh-CN': '须晚于 {other}（现为 {value}）', en: 'must be after {other} (now {value})' },
  // issue 9 §8, policies per unit
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
  // issue 8, access
  person_not_covered: {
    'zh-CN': '不能修改工号“{value}”的人员：他在您的管理范围之外还有任职，或担任的角色权限多于您',
    en: 'cannot change person "{value}": they hold a role outside your scope or with rights you do not have',
  },
  has_account: { 'zh-CN': '该人员已有账号', en: 'already has an account' },
  person_has_left: { 'zh-CN': '该人员已离职', en: 'has left' },
  // issue 9 §6 (schedules)
  never_occurs: { 'zh-CN': '按此规则永远不会出现期次', en: 'the rule can never occur with this value' },
  not_before_from: { 'zh-CN': '不能早于开始日期', en: 'must not be before the start date' },
  range_too_long: { 'zh-CN': '预览范围最长两年', en: 'the preview range is at most two years' },
  // issue 8 (cases)
  CASE_CLOSED: { 'zh-CN': '已办结的表单不能再添加附件', en: 'A closed case takes no new attachments' },
  // issue 9 §2 (委托代理)
  DELEGATION_ENDED: { 'zh-CN': '该委托已结束或已撤销', en: 'This delegation has already ended or been revoked' },
  DRAFT_INCOMPLETE: { 'zh-CN': '草稿尚未填写完整，还有 {count} 处需要填写或改正', en: 'The draft is not complete yet: {count} fields to fill in or correct' },
  // issue 9 §4 (merging cases): the request's message names the field; each detail says why.
  MERGE_REFUSED: { 'zh-CN': '不能合并：{summary}', en: 'Cannot merge: {summary}' },
  // issue 9 §4: what a guard that reads other cases answers (a parent waiting on its children; a count in a period)
  CHILDREN_OPEN: { 'zh-CN': '下级表单尚未全部办结：{open}', en: 'Not every child case is closed yet: {open}' },
  CASE_COUNT_SHORT: { 'zh-CN': '{type}数量不足：本期 {count} 件，至少需 {min} 件', en: 'Too few {type}: {count} this period, at least {min} needed' },
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
  // issue 9 §7 (ledger periods)
  PERIOD_CLOSED: {
    'zh-CN': '考核期间 {period} 已结账：不能新增、修改或裁定其中的考核记录，须先重新打开',
    en: 'The period {period} is closed: no entry may be added, changed or ruled on in it until it is reopened',
  },
  PERIOD_NOT_CLOSED: { 'zh-CN': '考核期间 {period} 尚未结账，无需重新打开', en: 'The period {period} is not closed; there is nothing to reopen' },
  PERIOD_NOT_ENDED: { 'zh-CN': '考核期间 {period} 尚未结束，结束后才能结账', en: 'The period {period} has not ended yet; it can be closed once it has' },
  amount_required: { 'zh-CN': '分值和金额至少填一项，且不能为 0', en: 'give points or an amount of money, not zero' },
  two_decimals: { 'zh-CN': '最多两位小数', en: 'must have at most two decimals' },
  period_in_future: { 'zh-CN': '不能记入尚未开始的期间（当前为 {current}）', en: 'cannot be booked in a period that has not begun (now {current})' },
};

const TYPE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'a number' },
  int: { 'zh-CN': '整数', en: 'an integer' },
  boolean: { 'zh-CN': '是/否', en: 'true or false' },
  object: { 'zh-CN': '对象', en: 'an object' },
  array: { 'zh-CN': '列表', en: 'a list' },
  date: { 'zh-CN': '日期', en: 'a date' },
};

/** Names of things for "not found" messages; unknown names are shown as given. */
const ENTITY_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  unit: { 'zh-CN': '单位', en: 'Unit' },
  person: { 'zh-CN': '人员', en: 'Person' },
  account: { 'zh-CN': '账号', en: 'Account' },
  role: { 'zh-CN': '角色', en: 'Role' },
  membership: { 'zh-CN': '任职记录', en: 'Membership' },
  'API token': { 'zh-CN': 'API 令牌', en: 'API token' },
  page: { 'zh-CN': '页面', en: 'Page' },
  case: { 'zh-CN': '案件/表单', en: 'Case' },
  assessment: { 'zh-CN': '考核记录', en: 'Assessment' },
  attachment: { 'zh-CN': '附件', en: 'Attachment' },
  policy: { 'zh-CN': '制度参数', en: 'Policy' },
  delegation: { 'zh-CN': '委托', en: 'Delegation' },
  resource: { 'zh-CN': '资源', en: 'Resource' },
};

export function errorMessage(key: string, lang: Lang, params: Record<string, string | number> = {}): string {
  const entity = typeof params.what === 'string' ? ENTITY_NAMES[params.what] : undefined;
  if (entity) params = { ...params, what: entity[lang] };
  const template = MESSAGES[key]?.[lang] ?? MESSAGES.INTERNAL?.[lang] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}

export interface FieldProblem {
  path: string;
  key: string;
  params: Record<string, string | number>;
}

/** Turns zod issues into field problems with our own wording (zod's zhCN texts are too technical). */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.map(String)].join('.');
    switch (issue.code) {
      case 'invalid_type':
        if ((issue as { input?: unknown }).input === undefined) out.push({ path, key: 'required', params: {} });
        else out.push({ path, key: 'invalid_type', params: { expected: issue.expected } });
        break;
      case 'too_small':
      case 'too_big': {
        const origin = ['string', 'array'].includes(String(issue.origin)) ? String(issue.origin) : 'number';
        const bound: Record<string, number> = issue.code === 'too_small' ? { minimum: Number(issue.minimum) } : { maximum: Number(issue.maximum) };
        out.push({ path, key: `${issue.code}_${origin}`, params: bound });
        break;
      }
      case 'unrecognized_keys':
        for (const k of issue.keys) out.push({ path: [path, k].filter(Boolean).join('.'), key: 'unrecognized_key', params: {} });
        break;
      case 'invalid_value':
        out.push({ path, key: 'invalid_value', params: { values: issue.values.map(String).join(' / ') } });
        break;
      case 'invalid_format':
        out.push({ path, key: 'invalid_format', params: { format: issue.format } });
        break;
      case 'invalid_union':
        out.push({ path, key: 'invalid', params: {} });
        break;
      default:
        out.push({ path, key: MESSAGES[issue.message] ? issue.message : 'invalid', params: {} });
    }
  }
  return out;
}

/** Localizes the `expected` type name inside a problem before rendering. */
export function renderProblem(p: FieldProblem, lang: Lang): string {
  const params = { ...p.params };
  if (typeof params.expected === 'string') params.expected = TYPE_NAMES[params.expected]?.[lang] ?? params.expected;
  return errorMessage(p.key, lang, params);
}
