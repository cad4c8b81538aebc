import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { typed } from '../../platform/http/route-helpers.js';
import type { SystemService } from './system.service.js';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({
    dialect: z.string(),
    /** Rows of real tables could be read. */
    reachable: z.boolean(),
    /** A write was committed (at most once a second; answers in between share it). */
    writable: z.boolean(),
  }),
});

/** What these routes use. */
export interface SystemRouteDeps {
  system: SystemService;
  db: Pick<Database, 'dialect'>;
}

export const systemRoutes =
  (s: SystemRouteDeps): FastifyPluginAsync =>
  async (app) => {
    typed(app).get(
      '/health',
      {
        config: { access: { kind: 'public' } },
        schema: {
          tags: ['system'],
          summary: '健康检查（真实读写数据库）/ health: a real read and write of the database',
          response: { 200: Health, 503: Health },
        },
      },
      async (_req, reply) => {
        const { readable, writable } = await s.system.health();
        const ok = readable && writable;
        const body = {
          status: ok ? ('ok' as const) : ('degraded' as const),
          version: process.env.npm_package_version ?? '0.1.0',
          database: { dialect: s.db.dialect, reachable: readable, writable },
        };
        return reply.status(ok ? 200 : 503).send(body);
      },
    );
  };
