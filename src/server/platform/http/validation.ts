import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { type FieldProblem, problemsFromZod } from './messages.js';

/** Raised by the validator; the error handler renders it in the request's language. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(readonly problems: FieldProblem[]) {
    super('validation');
  }
}

/**
 * Our own compiler instead of the type provider's: it keeps the input on each issue
 * (`reportInput`) so "missing" and "wrong type" can be told apart, and it names the
 * part of the request in query and path-parameter paths.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const r = schema.safeParse(data, { reportInput: true });
    if (r.success) return { value: r.data };
    // Body paths are left bare so they match the form fields they came from.
    const prefix = httpPart === 'querystring' ? ['query'] : httpPart === 'params' ? ['params'] : [];
    return { error: new RequestValidationError(problemsFromZod(r.error.issues, prefix)) };
  };
