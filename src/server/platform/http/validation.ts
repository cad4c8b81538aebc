import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { DB_INT_MAX, DB_INT_MIN } from '../../../contracts/common.js';
import { type FieldProblem, problemsFromZod } from './messages.js';

/** Raised by the validator; the error handler renders it in the request's language. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(readonly problems: FieldProblem[]) {
    super('validation');
  }
}

/**
 * What neither database accepts, whatever the contract says: a NUL character in text (PostgreSQL
 * refuses it in `text` and `jsonb`, SQLite stores it) and an integer outside the stored range.
 * Checked here, on every validated body, query and path, so both databases give the same 400
 * naming the field instead of PostgreSQL's 500. Free-form parts (`z.unknown()`, records) included.
 */
export function storableProblems(value: unknown, prefix: string[] = []): FieldProblem[] {
  const out: FieldProblem[] = [];
  const walk = (v: unknown, path: string[], depth: number) => {
    if (out.length >= 20) return;
    const at = () => path.join('.');
    if (typeof v === 'string') {
      if (v.includes('\u0000')) out.push({ path: at(), key: 'nul_character', params: {} });
    } else if (typeof v === 'number') {
      if (Number.isInteger(v) && v > DB_INT_MAX) out.push({ path: at(), key: 'too_big_number', params: { maximum: DB_INT_MAX } });
      else if (Number.isInteger(v) && v < DB_INT_MIN) out.push({ path: at(), key: 'too_small_number', params: { minimum: DB_INT_MIN } });
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      if (depth > 32) {
        out.push({ path: at(), key: 'too_deep', params: {} });
        return;
      }
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) out.push({ path: [...path, k.replaceAll('\u0000', '\\0')].join('.'), key: 'nul_character', params: {} });
        else walk(x, [...path, k], depth + 1);
      }
    }
  };
  walk(value, prefix, 0);
  return out;
}

/**
 * Our own compiler instead of the type provider's: it keeps the input on each issue
 * (`reportInput`) so "missing" and "wrong type" can be told apart, and it names the
 * part of the request in query and path-parameter paths. After the contract, what no database
 * stores (see `storableProblems`) is refused the same way.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    // Body paths are left bare so they match the form fields they came from.
    const prefix = httpPart === 'querystring' ? ['query'] : httpPart === 'params' ? ['params'] : [];
    const r = schema.safeParse(data, { reportInput: true });
    if (!r.success) return { error: new RequestValidationError(problemsFromZod(r.error.issues, prefix)) };
    const unstorable = storableProblems(r.data, prefix);
    if (unstorable.length) return { error: new RequestValidationError(unstorable) };
    return { value: r.data };
  };
