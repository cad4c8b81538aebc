import { CSV_ENCODINGS } from '../../../contracts/limits.js';
import { defineEntityNames, defineErrors, defineProblems } from '../../platform/http/errors.js';

// The organization, people and their import: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const ORG_ERRORS = defineErrors('org', {
  UNIT_CYCLE: {
    status: 409,
    'zh-CN': '不能把单位移到它自己或它的下级单位之下',
    en: 'A unit cannot be moved under itself or one of its descendants',
  },
  UNIT_NOT_EMPTY: {
    status: 409,
    'zh-CN': '该单位下还有下级单位或人员，不能删除',
    en: 'The unit still has sub-units or members and cannot be deleted',
  },
  ROOT_UNIT: { status: 409, 'zh-CN': '根单位不能移动或删除', en: 'The root unit cannot be moved or deleted' },
  IMPORT_INVALID: {
    status: 422,
    'zh-CN': '文件有 {count} 处错误，未导入任何数据',
    en: 'The file has {count} errors; nothing was imported',
  },
  IMPORT_BAD_FILE: {
    status: 400,
    'zh-CN': '无法读取文件：请上传 .xlsx 或 .csv 文件（{reason}）',
    en: 'Cannot read the file: upload an .xlsx or .csv file ({reason})',
  },
});

export const ORG_PROBLEMS = defineProblems('org', {
  duplicate_in_file: { 'zh-CN': '与第 {row} 行重复', en: 'duplicates row {row}' },
  missing_column: { 'zh-CN': '缺少列“{column}”', en: 'column "{column}" is missing' },
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
  more_errors: { 'zh-CN': '…还有 {count} 处错误', en: '… and {count} more errors' },
  unknown_choice: { 'zh-CN': '找不到“{value}”，可填：{values}', en: '"{value}" not found; use one of: {values}' },
  unknown_csv_header: {
    'zh-CN': `无法识别的 CSV：表头须包含“单位编码”或“工号”，文件编码须为 ${CSV_ENCODINGS['zh-CN']}`,
    en: `unrecognised CSV: the header must have 单位编码 (code) or 工号 (employee_no), and the file must be ${CSV_ENCODINGS.en}`,
  },
  person_not_covered: {
    'zh-CN': '不能修改工号“{value}”的人员：他在您的管理范围之外还有任职，或担任的角色权限多于您',
    en: 'cannot change person "{value}": they hold a role outside your scope or with rights you do not have',
  },
});

/** Names of this module's things in "not found" messages. */
export const ORG_ENTITIES = defineEntityNames('org', {
  membership: { 'zh-CN': '任职记录', en: 'Membership' },
});

declare module '../../platform/http/errors.js' {
  interface ModuleErrorCodes extends Record<keyof typeof ORG_ERRORS, true> {}
}
