import { z } from 'zod';
import { PageQuery } from './common.js';
import { TEXT_LIMITS } from './limits.js';

export const UnitType = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), sortOrder: z.number() });
export const UnitTypeInput = z.strictObject({
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[a-z][a-z0-9_]*$/),
  nameZh: z.string().trim().min(1).max(TEXT_LIMITS.unitTypeName),
  nameEn: z.string().trim().min(1).max(TEXT_LIMITS.unitTypeName),
  sortOrder: z.number().int().default(100),
});

export const Unit = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  typeCode: z.string(),
  code: z.string(),
  name: z.string(),
  path: z.string(),
  depth: z.number(),
  sortOrder: z.number(),
  active: z.boolean(),
});
export type Unit = z.infer<typeof Unit>;

export const UnitCode = z.string().trim().min(1).max(TEXT_LIMITS.unitCode);
export const UnitCreate = z.strictObject({
  parentId: z.number().int().positive(),
  typeCode: z.string().min(1).max(32),
  code: UnitCode,
  name: z.string().trim().min(1).max(TEXT_LIMITS.unitName),
  sortOrder: z.number().int().default(0),
});
export const UnitUpdate = z.strictObject({
  parentId: z.number().int().positive().optional(),
  typeCode: z.string().min(1).max(32).optional(),
  code: UnitCode.optional(),
  name: z.string().trim().min(1).max(TEXT_LIMITS.unitName).optional(),
  sortOrder: z.number().int().optional(),
  active: z.boolean().optional(),
});

export const Gender = z.enum(['male', 'female']);
export const PersonStatus = z.enum(['active', 'left']);

export const Person = z.object({
  id: z.number(),
  name: z.string(),
  gender: Gender.nullable(),
  post: z.string().nullable(),
  employeeNo: z.string().nullable(),
  phone: z.string().nullable(),
  status: PersonStatus,
});
export type Person = z.infer<typeof Person>;

export const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{3,20}$/);

const personFields = {
  name: z.string().trim().min(1).max(TEXT_LIMITS.personName),
  gender: Gender.nullable(),
  post: z.string().trim().max(TEXT_LIMITS.post).nullable(),
  employeeNo: z.string().trim().min(1).max(TEXT_LIMITS.employeeNo).nullable(),
  phone: Phone.nullable(),
  status: PersonStatus,
};
export const PersonInput = z.strictObject({
  ...personFields,
  gender: personFields.gender.default(null),
  post: personFields.post.default(null),
  employeeNo: personFields.employeeNo.default(null),
  phone: personFields.phone.default(null),
  status: personFields.status.default('active'),
});
export const PersonCreate = PersonInput.extend({
  /** First membership: the unit the person belongs to and their role there. */
  unitId: z.number().int().positive(),
  roleCode: z.string().min(1).max(32).default('staff'),
});
// No defaults here: a PATCH must leave the fields it does not name untouched.
export const PersonUpdate = z.strictObject(personFields).partial();

export const Membership = z.object({
  id: z.number(),
  personId: z.number(),
  personName: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  roleCode: z.string(),
  roleName: z.string(),
  isPrimary: z.boolean(),
});
export type Membership = z.infer<typeof Membership>;
export const MembershipCreate = z.strictObject({
  personId: z.number().int().positive(),
  unitId: z.number().int().positive(),
  roleCode: z.string().min(1).max(32),
  isPrimary: z.boolean().default(false),
});

/** A row of the people list: the person and the units they hold a post in, the primary one first. */
export const PersonListItem = Person.extend({
  units: z.array(z.object({ unitId: z.number(), unitName: z.string(), roleCode: z.string(), roleName: z.string(), isPrimary: z.boolean() })),
});
export type PersonListItem = z.infer<typeof PersonListItem>;

export const PersonDetail = Person.extend({
  memberships: z.array(Membership),
  /** Who this person reports to, nearest first (DOMAIN.md §1). */
  reportingChain: z.array(
    z.object({ personId: z.number(), name: z.string(), roleCode: z.string(), roleName: z.string(), unitId: z.number(), unitName: z.string() }),
  ),
  account: z.object({ id: z.number(), username: z.string(), active: z.boolean() }).nullable(),
});

export const PeopleQuery = z.strictObject({
  ...PageQuery,
  unitId: z.coerce.number().int().positive().optional(),
  /** Include members of the unit's sub-units. */
  subtree: z.enum(['0', '1']).default('1'),
  q: z.string().trim().max(50).optional(),
  status: z.enum(['active', 'left', 'all']).default('active'),
  sort: z.enum(['name', 'employeeNo', 'id']).default('id'),
});

export const Role = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  chainRank: z.number().nullable(),
  permissions: z.array(z.string()),
});
export const RoleUpdate = z.strictObject({ permissions: z.array(z.string()) });

export const ImportKind = z.enum(['units', 'people']);
const ImportCounts = z.object({ created: z.number(), updated: z.number(), unchanged: z.number() });
/** A successful import (or dry run). A failed one answers 422 IMPORT_INVALID with `<sheet>:<row>:<column>` detail paths. */
export const ImportResult = z.object({ ok: z.literal(true), dryRun: z.boolean(), units: ImportCounts, people: ImportCounts });
export type ImportResult = z.infer<typeof ImportResult>;
