import { defineErrors } from '../../platform/http/errors.js';

// First-run setup: this module's error codes (HTTP status, zh-CN, English), its field reasons
// (`details`) and the names of its things; the platform renders them (platform/http/errors.ts).
export const SETUP_ERRORS = defineErrors('setup', {
  SETUP_DONE: { status: 409, 'zh-CN': '系统已完成初始化', en: 'Liaison has already been set up' },
  SETUP_REQUIRED: { status: 409, 'zh-CN': '系统尚未初始化，请先完成初始设置', en: 'Liaison is not set up yet' },
});

declare module '../../platform/http/errors.js' {
  interface ModuleErrorCodes extends Record<keyof typeof SETUP_ERRORS, true> {}
}
