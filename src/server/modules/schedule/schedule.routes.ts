import type { FastifyPluginAsync } from 'fastify';
import { SchedulePreviewAnswer, SchedulePreviewInput } from '../../../contracts/schedule.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { SELF } from '../access/index.js';
import type { ScheduleService } from './schedule.service.js';

/** What these routes use. */
export interface ScheduleRouteDeps {
  schedule: ScheduleService;
}

export const scheduleRoutes =
  (s: ScheduleRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['schedule'];
    r.post(
      '/schedules/preview',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '周期规则预览（期次及顺延说明）/ preview a recurrence: its occurrences with their explanations',
          description:
            'Occurrences whose actual (moved) local date lies in [from, to] (at most two years), moved off non-working days by the organization calendar as `rule.nonWorkingDay` says.',
          body: SchedulePreviewInput,
          response: { 200: SchedulePreviewAnswer, ...errorResponses },
        },
      },
      (req) => s.schedule.preview(req.ctx.lang, req.body),
    );
  };
