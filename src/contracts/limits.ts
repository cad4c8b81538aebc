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
