import { defineEntityNames, defineErrors, defineProblems } from '../../platform/http/errors.js';

// Accounts, sessions and tokens: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const ACCOUNTS_ERRORS = defineErrors('accounts', {
  SESSION_EXPIRED: { status: 401, 'zh-CN': '登录已失效，请重新登录', en: 'Your session has expired; please log in again' },
  INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  LOGIN_THROTTLED: {
    status: 429,
    retryAfter: 'seconds',
    'zh-CN': '登录失败次数过多，请 {seconds} 秒后再试',
    en: 'Too many failed logins; try again in {seconds} s',
  },
  ACCOUNT_INACTIVE: { status: 401, 'zh-CN': '账号已停用', en: 'This account has been deactivated' },
  PERSON_LEFT: { status: 409, 'zh-CN': '该人员已离职，不能启用其账号', en: 'This person has left; their account cannot be activated' },
  WRONG_PASSWORD: { status: 400, 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  WEAK_PASSWORD: {
    status: 400,
    'zh-CN': '密码至少 {min} 位，且须同时包含字母和数字',
    en: 'The password needs at least {min} characters with both letters and digits',
  },
});

export const ACCOUNTS_PROBLEMS = defineProblems('accounts', {
  has_account: { 'zh-CN': '该人员已有账号', en: 'already has an account' },
  person_has_left: { 'zh-CN': '该人员已离职', en: 'has left' },
});

/** Names of this module's things in "not found" messages. */
export const ACCOUNTS_ENTITIES = defineEntityNames('accounts', {
  account: { 'zh-CN': '账号', en: 'Account' },
  role: { 'zh-CN': '角色', en: 'Role' },
  'API token': { 'zh-CN': 'API 令牌', en: 'API token' },
});

declare module '../../platform/http/errors.js' {
  interface ModuleErrorCodes extends Record<keyof typeof ACCOUNTS_ERRORS, true> {}
}
