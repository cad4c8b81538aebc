import { z } from 'zod';

/** The only error shape the API ever answers with. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * The integer range every integer column stores: `integer`/`serial` on PostgreSQL is 32 bits
 * (SQLite's is 64). A larger id names no row, and PostgreSQL refuses to even compare with it.
 * The validator (server/platform/http/validation.ts) refuses any integer outside it, anywhere.
 */
export const DB_INT_MIN = -2_147_483_648;
export const DB_INT_MAX = 2_147_483_647;

export const Id = z.coerce.number().int().positive().max(DB_INT_MAX);
export const IdParams = z.strictObject({ id: Id });

export const PageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  order: z.enum(['asc', 'desc']).default('asc'),
};

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

export const Ok = z.object({ ok: z.literal(true) });

export const IsoInstant = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();
