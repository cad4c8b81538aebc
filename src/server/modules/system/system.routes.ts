import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ping } from '../../platform/db/database.js';
import { typed } from '../../platform/http/route-helpers.js';
import type { Services } from '../../services.js';

const Health = z.object({ status: z.enum(['ok', 'degraded']), version: z.string(), database: z.object({ dialect: z.string(), reachable: z.boolean() }) });

export const systemRoutes =
  (s: Services): FastifyPluginAsync =>
  async (app) => {
    typed(app).get(
      '/health',
      { config: { access: { kind: 'public' } }, schema: { tags: ['system'], summary: '健康检查 / health', response: { 200: Health, 503: Health } } },
      async (_req, reply) => {
        const reachable = await ping(s.db);
        const body = {
          status: reachable ? ('ok' as const) : ('degraded' as const),
          version: process.env.npm_package_version ?? '0.1.0',
          database: { dialect: s.db.dialect, reachable },
        };
        return reply.status(reachable ? 200 : 503).send(body);
      },
    );
  };
