import type { FastifyPluginAsync } from 'fastify';
import { Me } from '../../../contracts/auth.js';
import { SetupInput, SetupStatus } from '../../../contracts/setup.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { PUBLIC } from '../access/index.js';
import { type AccountsRouteDeps, startSession } from '../accounts/index.js';
import type { SetupService } from './setup.service.js';

/** Setup, and the accounts it logs the new administrator in with. */
export interface SetupRouteDeps extends AccountsRouteDeps {
  setup: SetupService;
}

export const setupRoutes =
  (s: SetupRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    r.get(
      '/setup',
      {
        config: { access: PUBLIC },
        schema: { tags: ['setup'], summary: '是否需要初始设置 / whether first-run setup is needed', response: { 200: SetupStatus } },
      },
      () => s.setup.status(),
    );
    r.post(
      '/setup',
      {
        config: { access: PUBLIC },
        schema: { tags: ['setup'], summary: '初始设置 / first-run setup', body: SetupInput, response: { 200: Me, ...errorResponses } },
      },
      async (req, reply) => {
        const { accountId } = await s.setup.run(req.ctx, req.body);
        return startSession(s, req, reply, accountId);
      },
    );
  };
