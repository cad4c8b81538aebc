import { addEntityNames, addMessages, type Catalog, errorMessage, type FieldProblem, type Lang, renderProblem, type Texts } from './messages.js';

export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * The one error type of the application. `code` is a stable string: a generic one of the platform
 * (messages.ts for the texts, PLATFORM_STATUS below for the HTTP status) or one a module defines in its
 * `*.errors.ts` with `defineErrors`; `params` fill the message template.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly details: FieldProblem[] = [],
  ) {
    super(code);
  }
}

/** The platform's generic codes: malformed requests, who-are-you and may-you, not found, conflicts. */
const PLATFORM_STATUS = {
  VALIDATION: 400,
  MALFORMED_JSON: 400,
  MALFORMED_URL: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  UPLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  CSRF: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DUPLICATE: 409,
  RATE_LIMITED: 429,
  ACTION_NOT_ALLOWED: 409,
  INTERNAL: 500,
} as const;

/**
 * The codes modules add: each module's `*.errors.ts` merges its own into this interface
 * (`interface ModuleErrorCodes extends Record<keyof typeof X_ERRORS, true> {}`), so `new AppError`
 * accepts exactly the codes some catalog defines.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging from each module's *.errors.ts
export interface ModuleErrorCodes {}

export type ErrorCode = keyof typeof PLATFORM_STATUS | keyof ModuleErrorCodes;

const STATUS = new Map<string, number>(Object.entries(PLATFORM_STATUS));
/** Codes answered with a `Retry-After` header, and the parameter that holds the seconds. */
const RETRY_AFTER = new Map<string, string>();

export interface ErrorDefinition extends Texts {
  status: number;
  /** The parameter giving the seconds for a `Retry-After` header. */
  retryAfter?: string;
}

/** A module's error codes: their HTTP status and texts, rendered by the platform. One owner per code. */
export function defineErrors<const T extends Record<string, ErrorDefinition>>(owner: string, definitions: T): T {
  addMessages(owner, Object.fromEntries(Object.entries(definitions).map(([code, d]) => [code, { 'zh-CN': d['zh-CN'], en: d.en }])));
  for (const [code, d] of Object.entries(definitions)) {
    STATUS.set(code, d.status);
    if (d.retryAfter) RETRY_AFTER.set(code, d.retryAfter);
  }
  return definitions;
}

/** A module's field reasons (`details[].message`, keyed by `FieldProblem.key`). */
export function defineProblems<const T extends Catalog>(owner: string, texts: T): T {
  addMessages(owner, texts);
  return texts;
}

/** A module's names of its things in "not found" messages (`notFound('case')`). */
export function defineEntityNames<const T extends Catalog>(owner: string, names: T): T {
  addEntityNames(owner, names);
  return names;
}

export function statusOf(code: string): number {
  return STATUS.get(code) ?? 500;
}

/** The `Retry-After` seconds an error asks the client to wait, if its code says so. */
export function retryAfterOf(err: AppError): string | undefined {
  const param = RETRY_AFTER.get(err.code);
  return param === undefined ? undefined : String(err.params[param]);
}

export interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

export function renderError(err: AppError, lang: Lang): ErrorBody {
  return {
    error: {
      code: err.code,
      message: errorMessage(err.code, lang, err.params),
      details: err.details.map((d) => ({ path: d.path, message: renderProblem(d, lang) })),
    },
  };
}

export const notFound = (what = 'resource') => new AppError('NOT_FOUND', { what });
