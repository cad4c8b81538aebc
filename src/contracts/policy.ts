import { z } from 'zod';
import { Id } from './common.js';

/** Where the value in force comes from (issue 9 §8): the default, the organization's value, or a unit's override. */
export const PolicyOrigin = z.object({
  kind: z.enum(['default', 'organization', 'unit']),
  unitId: z.number().int().optional(),
  unitName: z.string().optional(),
});

/** One policy at the organization or at a unit: the value in force, its default and the rulebook it comes from. */
export const PolicyView = z.object({
  key: z.string(),
  value: z.unknown(),
  default: z.unknown(),
  source: z.string(),
  /** `unit`: may be overridden per unit; `org`: install-wide by nature. */
  scope: z.enum(['unit', 'org']),
  /** Set at the level asked for: the organization, or this very unit. */
  overridden: z.boolean(),
  origin: PolicyOrigin,
});

export const PolicyQuery = z.strictObject({ unitId: Id.optional() });
export const PolicyUnitParams = z.strictObject({ unitId: Id });
/** A value overrides the policy at the unit and below; null clears the override. */
export const PolicyUnitChange = z.strictObject({ values: z.record(z.string().max(100), z.unknown()) });
