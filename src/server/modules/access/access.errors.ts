import { defineErrors } from '../../platform/http/errors.js';

// The access rule: the error codes this module answers with (HTTP status, zh-CN and English) and the
// field reasons it names in `details`; the platform renders them (platform/http/errors.ts).
export const ACCESS_ERRORS = defineErrors('access', {
  PASSWORD_CHANGE_REQUIRED: { status: 403, 'zh-CN': '首次登录请先修改密码', en: 'Please change your password first' },
});

declare module '../../platform/http/errors.js' {
  interface ModuleErrorCodes extends Record<keyof typeof ACCESS_ERRORS, true> {}
}
