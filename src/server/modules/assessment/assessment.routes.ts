import type { FastifyPluginAsync } from 'fastify';
import { AssessmentAction, AssessmentList, AssessmentQuery, AssessmentView } from '../../../contracts/cases.js';
import { IdParams } from '../../../contracts/common.js';
import { contentDisposition } from '../../platform/files/index.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import type { Services } from '../../services.js';
import { SELF } from '../access/index.js';

/**
 * The assessment ledger (考核台账). Everyone sees the events they are party to; holders of
 * assessment.read (HR, office, leaders) see those of units in their subtree.
 */
export const assessmentRoutes =
  (s: Services): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['assessments'];
    r.get(
      '/assessments',
      {
        config: { access: SELF },
        schema: { tags, summary: '考核台账 / ledger', querystring: AssessmentQuery, response: { 200: AssessmentList, ...errorResponses } },
      },
      (req) => s.assessments.list(req.ctx, req.query),
    );
    r.get(
      '/assessments/export.xlsx',
      { config: { access: SELF }, schema: { tags, summary: '导出台账 / export (.xlsx)', querystring: AssessmentQuery } },
      async (req, reply) => {
        const data = await s.assessments.exportXlsx(req.ctx, req.query);
        const name = `${req.ctx.lang === 'en' ? 'assessments' : '考核台账'}${req.query.period ? `-${req.query.period}` : ''}.xlsx`;
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', contentDisposition(name))
          .send(data);
      },
    );
    r.get(
      '/assessments/:id',
      {
        config: { access: SELF },
        schema: { tags, summary: '考核记录详情 / one assessment', params: IdParams, response: { 200: AssessmentView, ...errorResponses } },
      },
      (req) => s.assessments.open(req.ctx, req.params.id),
    );
    r.post(
      '/assessments/:id/actions',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '确认/申诉/裁定 / confirm, appeal, rule',
          params: IdParams,
          body: AssessmentAction,
          response: { 200: AssessmentView, ...errorResponses },
        },
      },
      (req) => s.assessments.act(req.ctx, req.params.id, req.body),
    );
  };
