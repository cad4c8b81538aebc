import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { AuditEventView, AuditSearch } from '../../../contracts/audit.js';
import { page } from '../../../contracts/common.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { needs, scopeRoots } from '../access/index.js';
import type { ChainedEvent } from './audit.chain.js';
import type { AuditService } from './audit.service.js';

export const auditView = (e: ChainedEvent): z.infer<typeof AuditEventView> => ({
  seq: e.seq,
  at: e.at,
  actorAccountId: e.actorAccountId,
  actorName: e.actorName,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  unitId: e.unitId,
  before: e.before ? JSON.parse(e.before) : null,
  after: e.after ? JSON.parse(e.after) : null,
  requestId: e.requestId,
  ip: e.ip,
  hash: e.hash,
});

/** What these routes use. */
export interface AuditRouteDeps {
  audit: AuditService;
  rootPath: () => Promise<string>;
}

export const auditRoutes =
  (s: AuditRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    r.get(
      '/audit',
      {
        config: { access: needs('audit.read', 'any') },
        schema: { tags: ['audit'], summary: '审计日志 / audit log', querystring: AuditSearch, response: { 200: page(AuditEventView), ...errorResponses } },
      },
      async (req) => {
        const roots = scopeRoots(req.ctx.actor?.grants ?? [], 'audit.read');
        const root = await s.rootPath();
        const { items, total } = await s.audit.search({ ...req.query, unitPaths: roots.includes(root) ? undefined : roots });
        return { items: items.map(auditView), total, page: req.query.page, pageSize: req.query.pageSize };
      },
    );
    r.get(
      '/audit/verify',
      {
        config: { access: needs('audit.read', 'org') },
        schema: {
          tags: ['audit'],
          summary: '校验哈希链 / verify the hash chain',
          response: {
            200: z.object({
              ok: z.boolean(),
              checked: z.number(),
              firstBreak: z.object({ seq: z.number(), reason: z.string() }).optional(),
              tip: z.object({ seq: z.number(), hash: z.string() }),
              problems: z.array(z.object({ code: z.string() }).passthrough()),
            }),
          },
        },
      },
      () => s.audit.verify(),
    );
  };
