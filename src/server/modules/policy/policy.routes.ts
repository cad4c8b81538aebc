import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import type { Services } from '../../services.js';
import { needs, SELF } from '../access/index.js';

const PolicyView = z.object({ key: z.string(), value: z.unknown(), default: z.unknown(), source: z.string(), overridden: z.boolean() });

/** The organization's policies: every number the rules depend on, with its source (issue 4: amounts are policy). */
export const policyRoutes =
  (s: Services): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['policies'];
    r.get(
      '/policies',
      { config: { access: SELF }, schema: { tags, summary: '制度参数 / policies', response: { 200: z.array(PolicyView), ...errorResponses } } },
      () => s.policy.view(),
    );
    r.put(
      '/policies',
      {
        config: { access: needs('policy.manage', 'org') },
        schema: {
          tags,
          summary: '同时修改多项制度参数（全部成功或全部不改）/ change several policies at once (all or nothing)',
          description: 'Policies that belong together (e.g. calendar.workdayStart before calendar.workdayEnd) are checked together.',
          body: z.strictObject({ values: z.record(z.string().max(100), z.unknown()) }),
          response: { 200: z.array(PolicyView), ...errorResponses },
        },
      },
      (req) => s.policy.changeMany(req.ctx, req.body.values, s.rootUnit),
    );
    r.put(
      '/policies/:key',
      {
        config: { access: needs('policy.manage', 'org') },
        schema: {
          tags,
          summary: '修改制度参数 / change a policy',
          params: z.strictObject({ key: z.string().min(1).max(100) }),
          body: z.strictObject({ value: z.unknown() }),
          response: { 200: PolicyView, ...errorResponses },
        },
      },
      (req) => s.policy.change(req.ctx, req.params.key, req.body.value, s.rootUnit),
    );
  };
