import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { PolicyQuery, PolicyUnitChange, PolicyUnitParams, PolicyView } from '../../../contracts/policy.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { needs, SELF } from '../access/index.js';
import type { PolicyService } from './policy.service.js';

/** The organization's policies: every number the rules depend on, with its source (issue 4: amounts are policy). */
/** What these routes use. */
export interface PolicyRouteDeps {
  policy: PolicyService;
  /** Org-wide changes are recorded against the root unit. */
  rootUnit: () => Promise<{ id: number }>;
}

export const policyRoutes =
  (s: PolicyRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['policies'];
    r.get(
      '/policies',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '制度参数 / policies',
          description:
            'With unitId: the values in force at that unit (the nearest override on its path, else the organization, else the default) and where each comes from; the unit must be visible to the caller (org.read over it).',
          querystring: PolicyQuery,
          response: { 200: z.array(PolicyView), ...errorResponses },
        },
      },
      (req) => (req.query.unitId === undefined ? s.policy.view() : s.policy.viewAt(req.ctx, req.query.unitId)),
    );
    r.put(
      '/policies/units/:unitId',
      {
        config: { access: needs('policy.manage', 'unit') },
        schema: {
          tags,
          summary: "设置或清除某单位的制度参数（全部成功或全部不改）/ set or clear a unit's policy overrides (all or nothing)",
          description:
            'A value overrides the policy for the unit and everything below it; null clears the override (the unit inherits again). Only policies of scope "unit"; groups are checked at the unit and at every unit below it with overrides of its own.',
          params: PolicyUnitParams,
          body: PolicyUnitChange,
          response: { 200: z.array(PolicyView), ...errorResponses },
        },
      },
      (req) => s.policy.changeAtUnit(req.ctx, req.params.unitId, req.body.values),
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
