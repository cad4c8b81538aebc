import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ErrorBody } from '../../../contracts/common.js';

/** Fastify with zod-typed handlers. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

/** The error responses every route may give, for OpenAPI. */
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

declare module 'fastify' {
  interface FastifySchema {
    /** The body as OpenAPI shows it, when it says more than the validating `body` (per-action inputs). */
    bodyDoc?: z.ZodType;
  }
}

/** The zod → OpenAPI transform, showing `bodyDoc` in place of `body` where a route gives one. */
export const openApiTransform: typeof jsonSchemaTransform = (doc) => {
  const schema = doc.schema as { bodyDoc?: z.ZodType } | undefined;
  if (!schema?.bodyDoc) return jsonSchemaTransform(doc);
  const { bodyDoc, ...rest } = schema;
  return jsonSchemaTransform({ ...doc, schema: { ...rest, body: bodyDoc } } as typeof doc);
};
