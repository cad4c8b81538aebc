import { z } from 'zod';
import { Id } from './common.js';
import { BULK_ACCOUNTS_MAX, TEXT_LIMITS } from './limits.js';

export const PASSWORD_MIN_LENGTH = 8;

export const Password = z.string().min(PASSWORD_MIN_LENGTH).max(200);
export const Username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/);

export const LoginInput = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });

export const GrantView = z.object({
  role: z.string(),
  roleName: z.string(),
  unitId: z.number(),
  unitName: z.string(),
  permissions: z.array(z.string()),
});

export const Me = z.object({
  accountId: z.number(),
  username: z.string(),
  personId: z.number(),
  name: z.string(),
  mustChangePassword: z.boolean(),
  csrfToken: z.string().nullable(),
  organization: z.object({ name: z.string(), timeZone: z.string() }),
  grants: z.array(GrantView),
  /** Permissions held anywhere, to decide which menus to show; the server still checks scope per request. */
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;

export const ChangePasswordInput = z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: Password });

export const ApiTokenCreate = z.strictObject({ name: z.string().trim().min(1).max(TEXT_LIMITS.tokenName) });
export const ApiToken = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const ApiTokenCreated = ApiToken.extend({ token: z.string() });

export const AccountView = z.object({
  id: z.number(),
  username: z.string(),
  personId: z.number(),
  personName: z.string(),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AccountView = z.infer<typeof AccountView>;

export const AccountCreate = z.strictObject({
  personId: z.number().int().positive(),
  username: Username,
  /** Initial password; the user must change it at first login. */
  password: Password,
});
export const AccountUpdate = z.strictObject({ active: z.boolean().optional(), password: Password.optional() });

// --- issue 8: accounts in bulk for imported people, API tokens of any account ---
/** A person in the caller's scope who has no account yet. */
export const AccountCandidate = z.object({
  personId: z.number(),
  name: z.string(),
  employeeNo: z.string().nullable(),
  unitName: z.string().nullable(),
});
export const BulkAccountsCreate = z.strictObject({ personIds: z.array(z.number().int().positive()).min(1).max(BULK_ACCOUNTS_MAX) });
/** A new login with its one-time password: shown once, the user must change it at first login. */
export const OneTimeLogin = z.object({
  accountId: z.number(),
  personId: z.number(),
  name: z.string(),
  employeeNo: z.string().nullable(),
  unitName: z.string().nullable(),
  username: z.string(),
  password: z.string(),
});
export const BulkAccountsCreated = z.object({
  accounts: z.array(OneTimeLogin),
  /** The same list as files to hand over, base64: .xlsx and UTF-8 .csv (with BOM). Nothing is kept on the server. */
  files: z.object({ xlsx: z.string(), csv: z.string() }),
});
export const AccountTokenParams = z.strictObject({ id: Id, tokenId: Id });
