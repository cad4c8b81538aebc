import { defineErrors } from '../../platform/http/errors.js';

// The access rule: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const ACCESS_ERRORS = defineErrors('access', {
  PASSWORD_CHANGE_REQUIRED: { status: 403, 'zh-CN': '首次登录请先修改密码', en: 'Please change your password first' },
});

declare module '../../platform/http/errors.js' {
  interface ModuleErrorCodes extends Record<keyof typeof ACCESS_ERRORS, true> {}
}
