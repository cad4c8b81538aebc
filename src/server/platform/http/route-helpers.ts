import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../../contracts/common.js';

/** Fastify with zod-typed handlers. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

/** The error responses every route may give, for OpenAPI. */
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
