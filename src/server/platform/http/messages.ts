import type { z } from 'zod';

export type Lang = 'zh-CN' | 'en';

/** zh-CN unless the request asks for English (Accept-Language or the UI's `lang` cookie). */
export function pickLang(acceptLanguage: string | undefined, cookieLang?: string): Lang {
  if (cookieLang === 'en' || cookieLang === 'zh-CN') return cookieLang;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export interface Texts {
  'zh-CN': string;
  en: string;
}

export type Catalog = Record<string, Texts>;

/** The platform's own texts: generic errors and field reasons. Each module keeps its own next to it. */

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
  CSRF: {
    'zh-CN': '跨站请求校验失败，请刷新页面后重试',
    en: 'Cross-site request check failed; reload the page and try again',
  },
  FORBIDDEN: { 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  NOT_FOUND: { 'zh-CN': '未找到{what}', en: '{what} not found' },
  CONFLICT: { 'zh-CN': '数据已被他人修改，请刷新后重试', en: 'The data was changed by someone else; reload and retry' },
  DUPLICATE: { 'zh-CN': '{field}“{value}”已存在', en: '{field} "{value}" already exists' },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  ACTION_NOT_ALLOWED: {
    'zh-CN': '当前状态（{state}）下不能执行“{action}”；您现在可以：{allowed}',
    en: '"{action}" is not possible in the current state ({state}); you may now: {allowed}',
  },
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
  unknown_reference: { 'zh-CN': '找不到“{value}”', en: '"{value}" not found' },
  exists: { 'zh-CN': '“{value}”已存在', en: '"{value}" already exists' },
  // issue 8 (edge): what no database stores
  nul_character: { 'zh-CN': '不能包含空字符（\\0）', en: 'must not contain a NUL character (\\0)' },
  too_deep: { 'zh-CN': '嵌套层级过深', en: 'is nested too deeply' },
};

/** Who defined each key that is not the platform's: a module's `*.errors.ts` (see errors.ts). */
const OWNERS = new Map<string, string>();

/**
 * A module's texts join the catalog (through `defineErrors` / `defineProblems` in errors.ts, called
 * when the module's `*.errors.ts` is loaded). A key has one owner: defining it again elsewhere is an
 * error at start, so two modules cannot quietly answer with each other's words.
 */
export function addMessages(owner: string, catalog: Catalog): void {
  for (const [key, texts] of Object.entries(catalog)) {
    const had = messageOwner(key);
    if (had && had !== owner) throw new Error(`message "${key}" of ${owner} is already defined by ${had}`);
    MESSAGES[key] = texts;
    OWNERS.set(key, owner);
  }
}

const ENTITY_OWNERS = new Map<string, string>();

/** A module's names of its things, for `NOT_FOUND {what}`; one owner per name, as for messages. */
export function addEntityNames(owner: string, names: Catalog): void {
  for (const [name, texts] of Object.entries(names)) {
    const had = entityOwner(name);
    if (had && had !== owner) throw new Error(`entity name "${name}" of ${owner} is already defined by ${had}`);
    ENTITY_NAMES[name] = texts;
    ENTITY_OWNERS.set(name, owner);
  }
}

/** `platform`, the module that named `name`, or undefined. */
export function entityOwner(name: string): string | undefined {
  return Object.hasOwn(ENTITY_NAMES, name) ? (ENTITY_OWNERS.get(name) ?? 'platform') : undefined;
}

/** `platform`, the module that defined `key`, or undefined for an unknown key. */
export function messageOwner(key: string): string | undefined {
  return Object.hasOwn(MESSAGES, key) ? (OWNERS.get(key) ?? 'platform') : undefined;
}

const TYPE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  string: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'a number' },
  int: { 'zh-CN': '整数', en: 'an integer' },
  boolean: { 'zh-CN': '是/否', en: 'true or false' },
  object: { 'zh-CN': '对象', en: 'an object' },
  array: { 'zh-CN': '列表', en: 'a list' },
  date: { 'zh-CN': '日期', en: 'a date' },
};

/**
 * Names of things for "not found" messages; unknown names are shown as given. The platform names
 * what every module speaks of (units, people); a module names its own things (`defineEntityNames`).
 */
const ENTITY_NAMES: Catalog = {
  unit: { 'zh-CN': '单位', en: 'Unit' },
  person: { 'zh-CN': '人员', en: 'Person' },
  page: { 'zh-CN': '页面', en: 'Page' },
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
