import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AccountCandidate,
  AccountCreate,
  AccountTokenParams,
  AccountUpdate,
  AccountView,
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  BulkAccountsCreate,
  BulkAccountsCreated,
  ChangePasswordInput,
  LoginInput,
  Me,
} from '../../../contracts/auth.js';
import { IdParams, Ok } from '../../../contracts/common.js';
import { Role, RoleUpdate } from '../../../contracts/org.js';
import type { Config } from '../../platform/config.js';
import { AppError } from '../../platform/http/errors.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { type Actor, actorOf, needs, PUBLIC, SELF } from '../access/index.js';
import type { AccountsService } from './accounts.service.js';

/** What the account routes use: the accounts service, and the organization shown in `Me`. */
export interface AccountsRouteDeps {
  accounts: AccountsService;
  organization: () => Promise<z.infer<typeof Me>['organization']>;
}

const SESSION_COOKIE = 'liaison_session';

async function meView(s: AccountsRouteDeps, actor: Actor): Promise<z.infer<typeof Me>> {
  const grants = actor.grants as (Actor['grants'][number] & { unitName?: string; roleName?: string })[];
  return {
    accountId: actor.accountId,
    username: actor.username,
    personId: actor.personId,
    name: actor.name,
    mustChangePassword: actor.mustChangePassword,
    csrfToken: actor.csrfToken,
    organization: await s.organization(),
    grants: grants.map((g) => ({
      role: g.role,
      roleName: g.roleName ?? g.role,
      unitId: g.unitId,
      unitName: g.unitName ?? '',
      permissions: [...g.permissions],
    })),
    permissions: [...new Set(grants.flatMap((g) => g.permissions))].sort(),
  };
}

function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https' });
}

/** After setup: log the new administrator in. */
export async function startSession(s: AccountsRouteDeps, req: FastifyRequest, reply: FastifyReply, accountId: number) {
  const session = await s.accounts.newSession(accountId, req.ctx.ip);
  const actor = await s.accounts.authenticateSession(session.token);
  if (actor instanceof AppError) throw actor;
  setSessionCookie(req, reply, session.token);
  return meView(s, actor);
}

export const accountsRoutes =
  (s: AccountsRouteDeps, config: Pick<Config, 'loginRateLimit'>): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['auth'];

    r.post(
      '/auth/login',
      {
        config: { access: PUBLIC, rateLimit: { max: config.loginRateLimit, timeWindow: '1 minute' } },
        schema: { tags, summary: '登录 / log in', body: LoginInput, response: { 200: Me, ...errorResponses } },
      },
      async (req, reply) => {
        const { token, actor } = await s.accounts.login(req.ctx, req.body.username, req.body.password);
        setSessionCookie(req, reply, token);
        return meView(s, actor);
      },
    );
    r.post(
      '/auth/logout',
      { config: { access: { kind: 'self', allowPendingPasswordChange: true } }, schema: { tags, summary: '退出登录 / log out', response: { 200: Ok } } },
      async (req, reply) => {
        if (req.sessionToken) await s.accounts.logout(req.ctx, req.sessionToken);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true as const };
      },
    );
    r.get(
      '/auth/me',
      {
        config: { access: { kind: 'self', allowPendingPasswordChange: true } },
        schema: { tags, summary: '当前用户、权限与 CSRF 令牌 / the current user, grants and CSRF token', response: { 200: Me } },
      },
      (req) => meView(s, actorOf(req)),
    );
    r.post(
      '/auth/password',
      {
        config: { access: { kind: 'self', allowPendingPasswordChange: true } },
        schema: { tags, summary: '修改密码 / change password', body: ChangePasswordInput, response: { 200: Ok, ...errorResponses } },
      },
      async (req) => {
        await s.accounts.changePassword(req.ctx, req.body.currentPassword, req.body.newPassword, req.sessionToken);
        return { ok: true as const };
      },
    );

    r.get('/me/tokens', { config: { access: SELF }, schema: { tags, summary: '我的 API 令牌 / my API tokens', response: { 200: z.array(ApiToken) } } }, (req) =>
      s.accounts.listTokens(req.ctx),
    );
    r.post(
      '/me/tokens',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '创建 API 令牌（只显示一次）/ create API token (shown once)',
          body: ApiTokenCreate,
          response: { 200: ApiTokenCreated, ...errorResponses },
        },
      },
      (req) => s.accounts.createToken(req.ctx, req.body.name),
    );
    r.delete(
      '/me/tokens/:id',
      {
        config: { access: SELF },
        schema: { tags, summary: '吊销我的 API 令牌 / revoke one of my API tokens', params: IdParams, response: { 200: Ok, ...errorResponses } },
      },
      async (req) => {
        await s.accounts.revokeToken(req.ctx, req.params.id);
        return { ok: true as const };
      },
    );

    r.get(
      '/accounts',
      {
        config: { access: needs('account.manage', 'any') },
        schema: { tags: ['accounts'], summary: '账号列表 / accounts', response: { 200: z.array(AccountView) } },
      },
      (req) => s.accounts.listAccounts(req.ctx),
    );
    r.post(
      '/accounts',
      {
        config: { access: needs('account.manage', 'unit') },
        schema: {
          tags: ['accounts'],
          summary: '为人员开通账号 / open an account for a person',
          body: AccountCreate,
          response: { 200: z.object({ id: z.number() }), ...errorResponses },
        },
      },
      async (req) => ({ id: await s.accounts.createAccount(req.ctx, req.body) }),
    );
    r.patch(
      '/accounts/:id',
      {
        config: { access: needs('account.manage', 'unit') },
        schema: {
          tags: ['accounts'],
          summary: '停用/启用账号或重置密码 / deactivate, reactivate or reset the password',
          params: IdParams,
          body: AccountUpdate,
          response: { 200: Ok, ...errorResponses },
        },
      },
      async (req) => {
        await s.accounts.updateAccount(req.ctx, req.params.id, req.body);
        return { ok: true as const };
      },
    );

    r.get(
      '/accounts/candidates',
      {
        config: { access: needs('account.manage', 'any') },
        schema: { tags: ['accounts'], summary: '尚未开户的人员 / people without an account', response: { 200: z.array(AccountCandidate) } },
      },
      (req) => s.accounts.accountCandidates(req.ctx),
    );
    r.post(
      '/accounts/bulk',
      {
        config: { access: needs('account.manage', 'unit') },
        schema: {
          tags: ['accounts'],
          summary: '批量开户（一次性密码只返回这一次）/ open accounts in bulk (one-time passwords, shown once)',
          body: BulkAccountsCreate,
          response: { 200: BulkAccountsCreated, ...errorResponses },
        },
      },
      (req) => s.accounts.createAccountsInBulk(req.ctx, req.body.personIds),
    );
    r.get(
      '/accounts/:id/tokens',
      {
        config: { access: needs('account.manage', 'unit') },
        schema: {
          tags: ['accounts'],
          summary: "该账号的 API 令牌 / the account's API tokens",
          params: IdParams,
          response: { 200: z.array(ApiToken), ...errorResponses },
        },
      },
      (req) => s.accounts.accountTokens(req.ctx, req.params.id),
    );
    r.delete(
      '/accounts/:id/tokens/:tokenId',
      {
        config: { access: needs('account.manage', 'unit') },
        schema: {
          tags: ['accounts'],
          summary: '吊销该账号的 API 令牌 / revoke an API token',
          params: AccountTokenParams,
          response: { 200: Ok, ...errorResponses },
        },
      },
      async (req) => {
        await s.accounts.revokeAccountToken(req.ctx, req.params.id, req.params.tokenId);
        return { ok: true as const };
      },
    );

    r.get(
      '/roles',
      {
        config: { access: needs('org.read', 'any') },
        schema: { tags: ['roles'], summary: '角色及其权限 / roles and their permissions', response: { 200: z.array(Role) } },
      },
      () => s.accounts.roles(),
    );
    r.put(
      '/roles/:code',
      {
        config: { access: needs('role.manage', 'org') },
        schema: {
          tags: ['roles'],
          summary: '修改角色权限 / change a role’s permissions',
          params: z.strictObject({ code: z.string().max(32) }),
          body: RoleUpdate,
          response: { 200: Ok, ...errorResponses },
        },
      },
      async (req) => {
        await s.accounts.updateRolePermissions(req.ctx, req.params.code, req.body.permissions);
        return { ok: true as const };
      },
    );
  };
