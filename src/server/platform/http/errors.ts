import { errorMessage, type FieldProblem, type Lang, renderProblem } from './messages.js';

export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * The one error type of the application. `code` is a stable string (see messages.ts for the
 * texts and STATUS below for the HTTP status); `params` fill the message template.
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

const STATUS = {
  VALIDATION: 400,
  MALFORMED_JSON: 400,
  MALFORMED_URL: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  BODY_TOO_LARGE: 413,
  UPLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  LOGIN_THROTTLED: 429,
  ACCOUNT_INACTIVE: 401,
  PERSON_LEFT: 409,
  PASSWORD_CHANGE_REQUIRED: 403,
  CSRF: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SETUP_DONE: 409,
  SETUP_REQUIRED: 409,
  DUPLICATE: 409,
  UNIT_CYCLE: 409,
  UNIT_NOT_EMPTY: 409,
  ROOT_UNIT: 409,
  WRONG_PASSWORD: 400,
  WEAK_PASSWORD: 400,
  RATE_LIMITED: 429,
  IMPORT_INVALID: 422,
  IMPORT_BAD_FILE: 400,
  ACTION_NOT_ALLOWED: 409,
  UNKNOWN_ACTION: 400,
  PART_REQUIRED: 400,
  NOT_EDITABLE: 409,
  EXTENSION_TOO_LATE: 409,
  EXTENSION_NOT_LATER: 400,
  APPEAL_TOO_LATE: 409,
  ATTACHMENT_TYPE: 415,
  NOTICE_TOO_LATE: 409,
  COMMISSION_TOO_LATE: 409,
  NOT_ALL_ACKNOWLEDGED: 409,
  OWN_TICKET: 409,
  // issue 8 (cases): a closed case takes no new files; a draft sent on must be complete.
  CASE_CLOSED: 409,
  DRAFT_INCOMPLETE: 400,
  // issue 9 §7 (ledger periods)
  PERIOD_CLOSED: 409,
  PERIOD_NOT_CLOSED: 409,
  PERIOD_NOT_ENDED: 409,
  // issue 9 §2 (delegation)
  DELEGATION_ENDED: 409,
  // issue 9 §4 (merging cases)
  MERGE_REFUSED: 409,
  // issue 9 §4: guards that read other cases
  CHILDREN_OPEN: 409,
  CASE_COUNT_SHORT: 409,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof STATUS;

export function statusOf(code: string): number {
  return (STATUS as Record<string, number>)[code] ?? 500;
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
