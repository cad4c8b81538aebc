import type { z } from 'zod';
import type { AccountCreate, AccountUpdate, AccountView } from '../../../contracts/auth.js';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { AuditService } from '../audit/index.js';
import type { PolicyService } from '../policy/index.js';
import { type AccountRow, accessRepository } from './access.repository.js';
import type { Actor, Ctx } from './actor.js';
import { assertStrongPassword, hashPassword, timingDummyHash, verifyPassword } from './passwords.js';
import { can, canAnywhere, PERMISSIONS, type Permission, scopeRoots } from './permissions.js';
import { API_TOKEN_PREFIX, newApiToken, newSecret, sha256 } from './tokens.js';

interface Deps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  policy: PolicyService;
  /** The root unit: org-wide permissions must be held there, and org-wide events belong to it. */
  rootUnit: () => Promise<{ id: number; path: string }>;
}

const MINUTE = 60_000;

function accountView(a: AccountRow & { person_name: string }): AccountView {
  return {
    id: a.id,
    username: a.username,
    personId: a.person_id,
    personName: a.person_name,
    active: a.active === 1,
    mustChangePassword: a.must_change_password === 1,
    lockedUntil: a.locked_until,
    lastLoginAt: a.last_login_at,
    createdAt: a.created_at,
  };
}

const publicAccount = (a: AccountRow) => ({ id: a.id, username: a.username, personId: a.person_id, active: a.active === 1 });

export function createAccessService({ db, clock, audit, policy, rootUnit }: Deps) {
  const repo = accessRepository(db);
  const now = () => clock.now().toISOString();

  async function buildActor(account: AccountRow & { person_name?: string }, via: Actor['via'], csrfToken: string | null): Promise<Actor> {
    const name = account.person_name ?? (await repo.personName(db.kysely, account.person_id));
    const grants = await repo.grantsOf(db.kysely, account.person_id);
    return {
      accountId: account.id,
      personId: account.person_id,
      username: account.username,
      name: name ?? account.username,
      grants,
      mustChangePassword: account.must_change_password === 1,
      via,
      csrfToken,
    };
  }

  async function newSession(accountId: number, ip: string | null) {
    const token = newSecret();
    const csrf = newSecret(18);
    const idle = await policy.get('auth.sessionIdleMinutes');
    const t = clock.now();
    await repo.insertSession(db.kysely, {
      tokenHash: sha256(token),
      accountId,
      csrf,
      now: t.toISOString(),
      expires: new Date(t.getTime() + idle * MINUTE).toISOString(),
      ip,
    });
    return { token, csrf };
  }

  const service = {
    newSession,

    async login(ctx: Ctx, username: string, password: string) {
      const account = await repo.accountByUsername(db.kysely, username);
      if (!account) {
        await verifyPassword(await timingDummyHash(), password);
        throw new AppError('INVALID_CREDENTIALS');
      }
      const t = clock.now();
      if (account.locked_until && account.locked_until > t.toISOString()) {
        throw new AppError('ACCOUNT_LOCKED', { until: account.locked_until });
      }
      const ok = await verifyPassword(account.password_hash, password);
      if (!ok) {
        const maxFailures = await policy.get('auth.lockoutFailures');
        const minutes = await policy.get('auth.lockoutMinutes');
        const failures = account.failed_logins + 1;
        const lock = failures >= maxFailures ? new Date(t.getTime() + minutes * MINUTE).toISOString() : null;
        await db.kysely.transaction().execute(async (tx) => {
          await repo.updateAccount(tx, account.id, { failed_logins: lock ? 0 : failures, locked_until: lock });
          await audit.record(tx, ctx, {
            action: lock ? 'account.locked' : 'auth.login_failed',
            entityType: 'account',
            entityId: account.id,
            after: { username, failures, lockedUntil: lock },
          });
        });
        if (lock) throw new AppError('ACCOUNT_LOCKED', { until: lock });
        throw new AppError('INVALID_CREDENTIALS');
      }
      if (account.active !== 1) throw new AppError('ACCOUNT_INACTIVE');
      const session = await newSession(account.id, ctx.ip);
      const actor = await buildActor(account, 'session', session.csrf);
      await db.kysely.transaction().execute(async (tx) => {
        await repo.updateAccount(tx, account.id, { failed_logins: 0, locked_until: null, last_login_at: now() });
        await audit.record(tx, { ...ctx, actor }, { action: 'auth.login', entityType: 'account', entityId: account.id });
      });
      return { ...session, actor };
    },

    async logout(ctx: Ctx, sessionToken: string) {
      await db.kysely.transaction().execute(async (tx) => {
        await repo.deleteSession(tx, sha256(sessionToken));
        if (ctx.actor) await audit.record(tx, ctx, { action: 'auth.logout', entityType: 'account', entityId: ctx.actor.accountId });
      });
    },

    /** A tampered, unknown or expired cookie is just "no session"; the caller answers 401. */
    async authenticateSession(token: string): Promise<Actor | AppError> {
      const hash = sha256(token);
      const s = await repo.sessionByHash(hash);
      const t = clock.now();
      if (!s || s.expires_at <= t.toISOString()) return new AppError('SESSION_EXPIRED');
      const account = await repo.accountWithName(db.kysely, s.account_id);
      if (account?.active !== 1) return new AppError('ACCOUNT_INACTIVE');
      // Sliding expiry, written at most once a minute to keep reads cheap.
      if (t.getTime() - Date.parse(s.last_seen_at) > MINUTE) {
        const idle = await policy.get('auth.sessionIdleMinutes');
        await repo.touchSession(hash, t.toISOString(), new Date(t.getTime() + idle * MINUTE).toISOString());
      }
      return buildActor(account, 'session', s.csrf_token);
    },

    async authenticateToken(token: string): Promise<Actor | AppError> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return new AppError('UNAUTHENTICATED');
      const row = await repo.tokenByHash(sha256(token));
      if (!row || row.revoked_at) return new AppError('UNAUTHENTICATED');
      const account = await repo.accountWithName(db.kysely, row.account_id);
      if (account?.active !== 1) return new AppError('ACCOUNT_INACTIVE');
      const t = now();
      if (!row.last_used_at || Date.parse(t) - Date.parse(row.last_used_at) > MINUTE) await repo.touchToken(row.id, t);
      return buildActor(account, 'token', null);
    },

    async changePassword(ctx: Ctx, currentPassword: string, newPassword: string, keepSessionToken?: string) {
      const actor = ctx.actor as Actor;
      const account = await repo.accountById(db.kysely, actor.accountId);
      if (!account) throw new AppError('UNAUTHENTICATED');
      if (!(await verifyPassword(account.password_hash, currentPassword)))
        throw new AppError('WRONG_PASSWORD', {}, [{ path: 'currentPassword', key: 'WRONG_PASSWORD', params: {} }]);
      assertStrongPassword(newPassword, 'newPassword');
      const passwordHash = await hashPassword(newPassword);
      await db.kysely.transaction().execute(async (tx) => {
        await repo.updateAccount(tx, account.id, { password_hash: passwordHash, must_change_password: 0, updated_at: now() });
        await repo.deleteSessionsOf(tx, account.id, keepSessionToken ? sha256(keepSessionToken) : undefined);
        await audit.record(tx, ctx, { action: 'account.password_change', entityType: 'account', entityId: account.id });
      });
    },

    // --- API tokens (personal) ---
    async listTokens(ctx: Ctx) {
      const rows = await repo.tokensOf((ctx.actor as Actor).accountId);
      return rows.map((r) => ({ id: r.id, name: r.name, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at }));
    },
    async createToken(ctx: Ctx, name: string) {
      const actor = ctx.actor as Actor;
      const token = newApiToken();
      const prefix = token.slice(0, API_TOKEN_PREFIX.length + 6);
      const t = now();
      const id = await db.kysely.transaction().execute(async (tx) => {
        const id = await repo.insertToken(tx, { accountId: actor.accountId, name, tokenHash: sha256(token), prefix, now: t });
        await audit.record(tx, ctx, { action: 'api_token.create', entityType: 'api_token', entityId: id, after: { name, prefix } });
        return id;
      });
      return { id, name, prefix, createdAt: t, lastUsedAt: null, revokedAt: null, token };
    },
    async revokeToken(ctx: Ctx, id: number) {
      const actor = ctx.actor as Actor;
      await db.kysely.transaction().execute(async (tx) => {
        const row = await repo.tokenById(tx, id);
        if (!row || row.account_id !== actor.accountId) throw notFound('API token');
        if (row.revoked_at) return;
        await repo.revokeToken(tx, id, now());
        await audit.record(tx, ctx, { action: 'api_token.revoke', entityType: 'api_token', entityId: id, before: { name: row.name } });
      });
    },

    // --- accounts (administration) ---
    async listAccounts(ctx: Ctx) {
      const grants = (ctx.actor as Actor).grants;
      const root = await rootUnit();
      const roots = scopeRoots(grants, 'account.manage');
      const rows = await repo.listAccounts(roots.includes(root.path) ? 'all' : roots);
      return rows.map(accountView);
    },
    /** 404 unless the person has a membership inside the actor's account.manage scope. */
    async assertPersonManageable(ctx: Ctx, personId: number, permission: Permission = 'account.manage') {
      const grants = (ctx.actor as Actor).grants;
      const units = await repo.personUnitPaths(db.kysely, personId);
      if (!units) throw notFound('person');
      const root = await rootUnit();
      // A person without any membership belongs to the whole organization: root scope only.
      const paths = units.length ? units.map((u) => u.path) : [root.path];
      const inScope = paths.some((p) => can(grants, permission, p));
      if (!inScope) throw notFound('person');
      return units[0]?.id ?? null;
    },
    async createAccount(ctx: Ctx, input: z.infer<typeof AccountCreate>) {
      const unitId = await service.assertPersonManageable(ctx, input.personId);
      assertStrongPassword(input.password);
      const passwordHash = await hashPassword(input.password);
      try {
        return await db.kysely.transaction().execute(async (tx) => {
          if (await repo.accountByPerson(tx, input.personId))
            throw new AppError('DUPLICATE', { field: ctx.lang === 'en' ? 'Account for person' : '该人员的账号', value: input.personId }, [
              { path: 'personId', key: 'exists', params: { value: input.personId } },
            ]);
          const id = await repo.insertAccount(tx, { personId: input.personId, username: input.username, passwordHash, mustChange: true, now: now() });
          const row = (await repo.accountById(tx, id)) as AccountRow;
          await audit.record(tx, ctx, { action: 'account.create', entityType: 'account', entityId: id, unitId, after: publicAccount(row) });
          return id;
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new AppError('DUPLICATE', { field: ctx.lang === 'en' ? 'Username' : '用户名', value: input.username }, [
            { path: 'username', key: 'exists', params: { value: input.username } },
          ]);
        throw err;
      }
    },
    async updateAccount(ctx: Ctx, id: number, input: z.infer<typeof AccountUpdate>) {
      const existing = await repo.accountById(db.kysely, id);
      if (!existing) throw notFound('account');
      const unitId = await service.assertPersonManageable(ctx, existing.person_id);
      if (input.password) assertStrongPassword(input.password);
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      await db.kysely.transaction().execute(async (tx) => {
        const before = (await repo.accountById(tx, id)) as AccountRow;
        await repo.updateAccount(tx, id, {
          ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
          // An administrator's reset is a temporary password: the user must choose a new one.
          ...(passwordHash && { password_hash: passwordHash, must_change_password: 1, failed_logins: 0, locked_until: null }),
          updated_at: now(),
        });
        // Deactivation or a reset ends every open session of that account at once.
        if (input.active === false || passwordHash) await repo.deleteSessionsOf(tx, id);
        const after = (await repo.accountById(tx, id)) as AccountRow;
        const action = input.active === false ? 'account.deactivate' : input.active === true && !before.active ? 'account.activate' : 'account.update';
        await audit.record(tx, ctx, {
          action: passwordHash && input.active === undefined ? 'account.password_reset' : action,
          entityType: 'account',
          entityId: id,
          unitId,
          before: publicAccount(before),
          after: publicAccount(after),
        });
      });
    },

    // --- roles ---
    roles: () => repo.roles(),
    async updateRolePermissions(ctx: Ctx, code: string, permissions: string[]) {
      const unknown = permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
      if (unknown.length)
        throw new AppError('VALIDATION', { summary: `permissions: ${unknown.join(', ')}` }, [
          { path: 'permissions', key: 'invalid_value', params: { values: PERMISSIONS.join(' / ') } },
        ]);
      const root = await rootUnit();
      await db.kysely.transaction().execute(async (tx) => {
        if (!(await repo.roleExists(tx, code))) throw notFound('role');
        const before = await repo.rolePermissions(tx, code);
        const unique = [...new Set(permissions)].sort();
        await repo.setRolePermissions(tx, code, unique);
        await audit.record(tx, ctx, { action: 'role.update', entityType: 'role', entityId: code, unitId: root.id, before, after: unique });
      });
    },

    canAnywhere,
  };
  return service;
}

export type AccessService = ReturnType<typeof createAccessService>;
