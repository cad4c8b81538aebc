/**
 * Plain constants shared by the contracts, the server and the web UI. No zod here: the web bundle
 * imports this file at run time (the rest of src/contracts only as types), so zod stays out of it.
 */

/**
 * The text encodings an imported .csv may have (the parser also reads UTF-16 with a BOM, which no
 * one needs to be told about). One wording, used by the upload page, the template's notes, the API
 * description and the error for an unreadable CSV header.
 */
export const CSV_ENCODINGS = { 'zh-CN': 'UTF-8 或 GBK（GB18030）', en: 'UTF-8 or GBK (GB18030)' } as const;

/**
 * The longest text each field accepts (characters). The contracts' zod schemas use these, the web
 * forms show them (a live count) and refuse more with a message, and the server answers an
 * overlong value with 400 naming the field: nothing is ever cut off silently.
 */
export const TEXT_LIMITS = {
  organizationName: 100,
  unitCode: 64,
  unitName: 100,
  unitTypeCode: 32,
  unitTypeName: 50,
  personName: 50,
  post: 50,
  employeeNo: 32,
  phone: 20,
  username: 64,
  tokenName: 100,
  caseTitle: 200,
  caseBody: 10_000,
  comment: 5000,
  reason: 2000,
  note: 2000,
  calendarDayName: 50,
  calendarSource: 200,
} as const;

/** The most people one request may open accounts for (批量开户). */
export const BULK_ACCOUNTS_MAX = 200;

/**
 * The ledger's bounds for one entry (issue 9 §7): more is a typing slip, not an assessment. Amounts
 * have at most two decimals (points in hundredths, money in fen); one event fans out into at most
 * LEDGER_LIMITS.entries entries.
 */
export const LEDGER_LIMITS = { points: 100, money: 100_000, entries: 20 } as const;
