import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Queryable } from '../../platform/db/database.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Actor, Ctx } from './actor.js';
import { heldGrants } from './grants.repository.js';
import { can, canAnywhere, coversTarget, type Permission } from './permissions.js';

/**
 * Every route declares who may call it (`config.access`); the declaration is checked before the
 * handler runs and is what the access-matrix test enumerates.
 * - public: no login (setup, login, health);
 * - self: any logged-in user, acting on their own things;
 * - permission + scope 'unit': the handler then checks the concrete unit (404 outside scope);
 * - permission + scope 'org': org-wide resources, the permission must be held at the root unit;
 * - permission + scope 'any': held anywhere; the handler filters what it returns by scope.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'self'; allowPendingPasswordChange?: boolean }
  | { kind: 'permission'; permission: Permission; scope: 'unit' | 'org' | 'any' };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyRequest {
    ctx: Ctx;
    sessionToken: string | undefined;
  }
}

export const PUBLIC: AccessRule = { kind: 'public' };
export const SELF: AccessRule = { kind: 'self' };
export const needs = (permission: Permission, scope: 'unit' | 'org' | 'any'): AccessRule => ({ kind: 'permission', permission, scope });

export interface RouteEntry {
  method: string;
  url: string;
  access: AccessRule;
}

/** Collects every /api route with its access rule; a route without one is a startup error. */
export function collectRoutes(app: FastifyInstance): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api/v1') || r.url.startsWith('/api/v1/openapi')) return;
    const access = (r.config as { access?: AccessRule } | undefined)?.access;
    if (!access) throw new Error(`route ${String(r.method)} ${r.url} declares no access rule`);
    for (const method of [r.method].flat()) if (method !== 'HEAD') table.push({ method, url: r.url, access });
  });
  return table;
}

export function actorOf(req: FastifyRequest): Actor {
  const actor = req.ctx.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return actor;
}

export async function enforceAccess(req: FastifyRequest, rootPath: () => Promise<string>): Promise<void> {
  const rule = req.routeOptions.config.access;
  if (!rule || rule.kind === 'public') return;
  const actor = actorOf(req);
  if (actor.mustChangePassword && !(rule.kind === 'self' && rule.allowPendingPasswordChange)) {
    throw new AppError('PASSWORD_CHANGE_REQUIRED');
  }
  if (rule.kind === 'self') return;
  if (rule.scope === 'org') {
    if (!can(actor.grants, rule.permission, await rootPath())) throw new AppError('FORBIDDEN');
  } else if (!canAnywhere(actor.grants, rule.permission)) {
    throw new AppError('FORBIDDEN');
  }
}

/**
 * The scope check for one unit: allowed → returns; the unit is visible to the actor but the
 * permission is missing → 403; the unit is outside everything the actor may see → 404, so its
 * existence is not even confirmed.
 */
export function assertUnitAccess(ctx: Ctx, permission: Permission, unitPath: string, what = 'unit'): void {
  const grants = ctx.actor?.grants ?? [];
  if (can(grants, permission, unitPath)) return;
  if (can(grants, 'org.read', unitPath)) throw new AppError('FORBIDDEN');
  throw notFound(what);
}

/**
 * The scope check for a person and their account (issue 8, security 1): the caller must cover
 * every role the person holds (`coversTarget`). Returns the person's units (primary first).
 * No such person, or one the caller cannot even see → 404; visible but not wholly covered → 403.
 */
export async function assertCoversPerson(q: Queryable, ctx: Ctx, personId: number, permission: Permission, rootPath: string): Promise<number[]> {
  const held = await heldGrants(q, personId);
  if (!held) throw notFound('person');
  const grants = ctx.actor?.grants ?? [];
  if (coversTarget(grants, permission, held, rootPath)) return held.map((h) => h.unitId);
  const paths = held.length ? held.map((h) => h.unitPath) : [rootPath];
  if (paths.some((p) => can(grants, 'people.read', p))) throw new AppError('FORBIDDEN');
  throw notFound('person');
}
