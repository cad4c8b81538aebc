import type { Selectable } from 'kysely';
import type { z } from 'zod';
import { type AccountCreate, type AccountUpdate, type AccountView, type OneTimeLogin, Username } from '../../../contracts/auth.js';
import type { Clock } from '../../platform/clock.js';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/database.js';
import type { ApiTokenTable } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { loadExcel } from '../../platform/xlsx/index.js';
import {
  type Actor,
  assertCoversPerson,
  type Ctx,
  canAnywhere,
  coversTarget,
  heldGrantsOfMany,
  PERMISSIONS,
  type Permission,
  scopeRoots,
} from '../access/index.js';
import type { AuditService, Change } from '../audit/index.js';
import type { PolicyService } from '../policy/index.js';
import { type AccountRow, accountsRepository } from './accounts.repository.js';
import { assertStrongPassword, hashPassword, randomPassword, timingDummyHash, verifyPassword } from './passwords.js';
import { afterFailure, waitSeconds } from './throttle.js';
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
    lastLoginAt: a.last_login_at,
    createdAt: a.created_at,
  };
}

const tokenView = (r: Selectable<ApiTokenTable>) => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const publicAccount = (a: AccountRow) => ({ id: a.id, username: a.username, personId: a.person_id, active: a.active === 1 });

/** The hand-over list of new logins, as .xlsx and as UTF-8 .csv with a BOM (Excel opens it right). */
async function handoverFiles(rows: z.infer<typeof OneTimeLogin>[], lang: Ctx['lang']) {
  const zh = lang === 'zh-CN';
  const header = zh ? ['姓名', '工号', '单位', '用户名', '一次性密码'] : ['Name', 'Employee no.', 'Unit', 'Username', 'One-time password'];
  const data = rows.map((r) => [r.name, r.employeeNo ?? '', r.unitName ?? '', r.username, r.password]);
  const note = zh ? '首次登录须修改密码；本表只生成这一次，请妥善交接后销毁。' : 'The password must be changed at first login; this list is made only once.';
  const ExcelJS = await loadExcel();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(zh ? '账号交接' : 'Logins');
  ws.columns = [{ width: 14 }, { width: 14 }, { width: 24 }, { width: 18 }, { width: 20 }];
  ws.addRow(header).font = { bold: true };
  for (const d of data) ws.addRow(d);
  ws.addRow([]);
  ws.addRow([note]);
  const cell = (v: string) => (/[",\r\n]/.test(v) || /^[=+\-@]/.test(v) ? `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replaceAll('"', '""')}"` : v);
  const csv = `\uFEFF${[header, ...data].map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;
  return { xlsx: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64'), csv: Buffer.from(csv, 'utf8').toString('base64') };
}

export function createAccountsService({ db, clock, audit, policy, rootUnit }: Deps) {
  const repo = accountsRepository(db);
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

    /** A person's roles with their permissions (a deputy acts with their principal's, 委托代理). */
    grantsOf: (q: Queryable, personId: number) => repo.grantsOf(q, personId),

    /**
     * Wrong password, unknown name and disabled account answer alike (INVALID_CREDENTIALS) and
     * count alike: failures per user name and client address earn growing waits (LOGIN_THROTTLED,
     * checked before the password), never a lockout that a stranger could set off.
     */
    async login(ctx: Ctx, username: string, password: string) {
      const ip = ctx.ip ?? '';
      const t = clock.now();
      const p = await policy.getMany(['auth.throttleFreeAttempts', 'auth.throttleBaseSeconds', 'auth.throttleMaxSeconds', 'auth.throttleForgetMinutes']);
      const throttle = {
        freeAttempts: p['auth.throttleFreeAttempts'],
        baseSeconds: p['auth.throttleBaseSeconds'],
        maxSeconds: p['auth.throttleMaxSeconds'],
        forgetMinutes: p['auth.throttleForgetMinutes'],
      };
      const state = await repo.throttleOf(db.kysely, username, ip);
      const wait = waitSeconds(state, t);
      if (wait > 0) throw new AppError('LOGIN_THROTTLED', { seconds: wait });
      const account = await repo.accountByUsername(db.kysely, username);
      const ok = account ? await verifyPassword(account.password_hash, password) : await verifyPassword(await timingDummyHash(), password);
      if (!account || !ok || account.active !== 1) {
        const next = afterFailure(state, t, throttle);
        await db.kysely.transaction().execute(async (tx) => {
          await repo.setThrottle(tx, username, ip, next);
          if (account)
            await audit.record(tx, ctx, {
              action: 'auth.login_failed',
              entityType: 'account',
              entityId: account.id,
              after: { username, failures: next.failures, waitUntil: next.blockedUntil, ...(account.active !== 1 && { inactive: true }) },
            });
        });
        throw new AppError('INVALID_CREDENTIALS');
      }
      const session = await newSession(account.id, ctx.ip);
      const actor = await buildActor(account, 'session', session.csrf);
      await db.kysely.transaction().execute(async (tx) => {
        await repo.updateAccount(tx, account.id, { last_login_at: now() });
        if (state) await repo.clearThrottle(tx, username, ip);
        await repo.forgetThrottles(tx, new Date(t.getTime() - throttle.forgetMinutes * MINUTE).toISOString());
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
      return rows.map(tokenView);
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
    /** The caller must cover every role the person holds (403/404 otherwise); returns the person's primary unit. */
    async assertPersonManageable(ctx: Ctx, personId: number, permission: Permission = 'account.manage', q: Queryable = db.kysely) {
      const units = await assertCoversPerson(q, ctx, personId, permission, (await rootUnit()).path);
      return units[0] ?? null;
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
      if (input.password) assertStrongPassword(input.password);
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      await db.kysely.transaction().execute(async (tx) => {
        const before = await repo.accountById(tx, id);
        if (!before) throw notFound('account');
        const unitId = await service.assertPersonManageable(ctx, before.person_id, 'account.manage', tx);
        if (input.active === true && !before.active && (await repo.personStatus(tx, before.person_id)) === 'left') throw new AppError('PERSON_LEFT');
        await repo.updateAccount(tx, id, {
          ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
          // An administrator's reset is a temporary password: the user must choose a new one.
          ...(passwordHash && { password_hash: passwordHash, must_change_password: 1 }),
          updated_at: now(),
        });
        // Deactivation or a reset ends every open session and every API token of that account at once.
        let tokensRevoked = 0;
        if (input.active === false || passwordHash) {
          await repo.deleteSessionsOf(tx, id);
          tokensRevoked = await repo.revokeTokensOf(tx, id, now());
        }
        const after = (await repo.accountById(tx, id)) as AccountRow;
        const action = input.active === false ? 'account.deactivate' : input.active === true && !before.active ? 'account.activate' : 'account.update';
        await audit.record(tx, ctx, {
          action: passwordHash && input.active === undefined ? 'account.password_reset' : action,
          entityType: 'account',
          entityId: id,
          unitId,
          before: publicAccount(before),
          after: { ...publicAccount(after), ...(tokensRevoked && { tokensRevoked }) },
        });
      });
    },

    /**
     * A person marked 离职 loses access at once (issue 8, security 5): the account is disabled,
     * its sessions end and its API tokens are revoked, in the transaction that records the leave.
     */
    async endAccessOf(tx: Tx, ctx: Ctx, personId: number, unitId: number | null) {
      const account = await repo.accountByPerson(tx, personId);
      if (!account) return;
      await repo.updateAccount(tx, account.id, { active: 0, updated_at: now() });
      await repo.deleteSessionsOf(tx, account.id);
      const tokensRevoked = await repo.revokeTokensOf(tx, account.id, now());
      if (account.active !== 1 && !tokensRevoked) return;
      await audit.record(tx, ctx, {
        action: 'account.deactivate',
        entityType: 'account',
        entityId: account.id,
        unitId,
        before: publicAccount(account),
        after: { ...publicAccount({ ...account, active: 0 }), reason: 'person.leave', ...(tokensRevoked && { tokensRevoked }) },
      });
    },

    // --- accounts in bulk for imported people (issue 8, first use 8) ---
    /** People the caller may open an account for: active, no account yet, wholly covered. */
    async accountCandidates(ctx: Ctx) {
      const grants = (ctx.actor as Actor).grants;
      const root = await rootUnit();
      const roots = scopeRoots(grants, 'account.manage');
      const rows = await repo.peopleWithoutAccount(db.kysely, roots.includes(root.path) ? 'all' : roots);
      const held = await heldGrantsOfMany(
        db.kysely,
        rows.map((r) => r.id),
      );
      return rows
        .filter((r) => coversTarget(grants, 'account.manage', held.get(r.id) ?? [], root.path))
        .map((r) => ({ personId: r.id, name: r.name, employeeNo: r.employee_no, unitName: r.unit_name ?? null }));
    },

    /**
     * Opens an account with a one-time password for each person, all or nothing. The user name is
     * the employee number when it is a valid, free user name. The passwords are answered once, as
     * a list and as files to hand over; only their hashes are kept, and each must be changed at
     * first login.
     */
    async createAccountsInBulk(ctx: Ctx, personIds: readonly number[]) {
      const ids = [...new Set(personIds)];
      const passwords = ids.map(() => randomPassword());
      const hashes: string[] = [];
      // argon2 is deliberately slow: hash before the transaction, one at a time (a small server).
      for (const p of passwords) hashes.push(await hashPassword(p));
      const t = now();
      const created = await db.kysely.transaction().execute(async (tx) => {
        const unitOf = new Map<number, number | null>();
        for (const id of ids) unitOf.set(id, await service.assertPersonManageable(ctx, id, 'account.manage', tx));
        const rows = new Map((await repo.peopleWithoutAccount(tx, 'all', ids)).map((r) => [r.id, r]));
        const problems = ids.flatMap((id) => {
          const r = rows.get(id) as NonNullable<ReturnType<typeof rows.get>>;
          const path = `personIds.${personIds.indexOf(id)}`;
          if (r.account_id !== null) return [{ path, key: 'has_account', params: {} }];
          if (r.status === 'left') return [{ path, key: 'person_has_left', params: {} }];
          return [];
        });
        if (problems.length) throw new AppError('VALIDATION', {}, problems);
        const wanted = ids.map((id) => {
          const no = rows.get(id)?.employee_no ?? '';
          return Username.safeParse(no).success ? no : `u${id}`;
        });
        const taken = await repo.usernamesTaken(tx, wanted);
        const used = new Set<string>();
        const out: z.infer<typeof OneTimeLogin>[] = [];
        const events: Change[] = [];
        for (const [i, id] of ids.entries()) {
          const r = rows.get(id) as NonNullable<ReturnType<typeof rows.get>>;
          let username = wanted[i] as string;
          if (taken.has(username) || used.has(username)) username = `${username}_${id}`;
          used.add(username);
          const accountId = await repo.insertAccount(tx, { personId: id, username, passwordHash: hashes[i] as string, mustChange: true, now: t });
          events.push({
            action: 'account.create',
            entityType: 'account',
            entityId: accountId,
            unitId: unitOf.get(id) ?? null,
            after: { id: accountId, username, personId: id, active: true, bulk: true },
          });
          out.push({
            accountId,
            personId: id,
            name: r.name,
            employeeNo: r.employee_no,
            unitName: r.unit_name ?? null,
            username,
            password: passwords[i] as string,
          });
        }
        await audit.recordMany(tx, ctx, events);
        return out;
      });
      return { accounts: created, files: await handoverFiles(created, ctx.lang) };
    },

    // --- API tokens of any account (administration) ---
    async accountTokens(ctx: Ctx, accountId: number) {
      const account = await repo.accountById(db.kysely, accountId);
      if (!account) throw notFound('account');
      await service.assertPersonManageable(ctx, account.person_id);
      return (await repo.tokensOf(accountId)).map(tokenView);
    },
    async revokeAccountToken(ctx: Ctx, accountId: number, tokenId: number) {
      await db.kysely.transaction().execute(async (tx) => {
        const account = await repo.accountById(tx, accountId);
        if (!account) throw notFound('account');
        const unitId = await service.assertPersonManageable(ctx, account.person_id, 'account.manage', tx);
        const row = await repo.tokenById(tx, tokenId);
        if (!row || row.account_id !== accountId) throw notFound('API token');
        if (row.revoked_at) return;
        await repo.revokeToken(tx, tokenId, now());
        await audit.record(tx, ctx, {
          action: 'api_token.revoke',
          entityType: 'api_token',
          entityId: tokenId,
          unitId,
          before: { name: row.name, prefix: row.prefix, accountId },
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

export type AccountsService = ReturnType<typeof createAccountsService>;
