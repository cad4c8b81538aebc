import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdParams } from '../../../contracts/common.js';
import { DelegationCreate, DelegationView } from '../../../contracts/delegation.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { SELF } from '../access/index.js';
import type { DelegationService } from './delegation.service.js';

/**
 * 委托代理 (issue 9 §2). Any logged-in person, for themselves: the service lets a manager act for the
 * people their people.manage scope covers (404/403 outside it), and lists only what the caller may see.
 */
/** What these routes use. */
export interface DelegationRouteDeps {
  delegations: DelegationService;
}

export const delegationRoutes =
  (s: DelegationRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['delegation'];
    r.get(
      '/delegations',
      {
        config: { access: SELF },
        schema: { tags, summary: '委托代理列表 / delegations (mine; managers: in scope)', response: { 200: z.array(DelegationView) } },
      },
      (req) => s.delegations.list(req.ctx),
    );
    r.post(
      '/delegations',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '委托代理 / delegate one’s roles to a deputy for a period',
          body: DelegationCreate,
          response: { 200: DelegationView, ...errorResponses },
        },
      },
      (req) => s.delegations.create(req.ctx, req.body),
    );
    r.post(
      '/delegations/:id/revoke',
      {
        config: { access: SELF },
        schema: { tags, summary: '撤销委托 / end a delegation early', params: IdParams, response: { 200: DelegationView, ...errorResponses } },
      },
      (req) => s.delegations.revoke(req.ctx, req.params.id),
    );
  };
