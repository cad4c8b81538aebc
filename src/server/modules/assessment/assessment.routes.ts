import type { FastifyPluginAsync } from 'fastify';
import {
  AssessmentAction,
  AssessmentList,
  AssessmentQuery,
  AssessmentView,
  LedgerEventCreate,
  LedgerEventCreated,
  PeriodClose,
  PeriodList,
  PeriodParams,
  PeriodQuery,
  PeriodReopen,
  PeriodView,
  TotalsQuery,
  TotalsView,
} from '../../../contracts/cases.js';
import { IdParams } from '../../../contracts/common.js';
import { contentDisposition } from '../../platform/files/index.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { needs, SELF } from '../access/index.js';
import type { AssessmentService } from './assessment.service.js';

/**
 * The assessment ledger (考核台账). Everyone sees the events they are party to; holders of
 * assessment.read (HR, office, leaders) see those of units in their subtree. The office
 * (assessment.manage) enters events by hand over its units and closes and reopens periods.
 */
/** What these routes use. */
export interface AssessmentRouteDeps {
  assessments: AssessmentService;
}

export const assessmentRoutes =
  (s: AssessmentRouteDeps): FastifyPluginAsync =>
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
    r.post(
      '/assessments',
      {
        config: { access: needs('assessment.manage', 'unit') },
        schema: {
          tags,
          summary: '手工录入（一事多条）/ enter by hand, one event into one or more entries',
          body: LedgerEventCreate,
          response: { 201: LedgerEventCreated, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await s.assessments.enter(req.ctx, req.body)),
    );
    r.get(
      '/assessments/totals',
      {
        config: { access: SELF },
        schema: { tags, summary: '期间汇总 / per-subject totals of a period', querystring: TotalsQuery, response: { 200: TotalsView, ...errorResponses } },
      },
      (req) => s.assessments.totals(req.ctx, req.query),
    );
    r.get(
      '/assessments/periods',
      {
        config: { access: needs('assessment.read', 'any') },
        schema: {
          tags,
          summary: '考核期间 / the months of a year, open or closed',
          querystring: PeriodQuery,
          response: { 200: PeriodList, ...errorResponses },
        },
      },
      (req) => s.assessments.periods(req.ctx, req.query),
    );
    r.post(
      '/assessments/periods/:period/close',
      {
        config: { access: needs('assessment.manage', 'org') },
        schema: { tags, summary: '结账 / close a period', params: PeriodParams, body: PeriodClose, response: { 200: PeriodView, ...errorResponses } },
      },
      (req) => s.assessments.closePeriod(req.ctx, req.params.period, req.body.version),
    );
    r.post(
      '/assessments/periods/:period/reopen',
      {
        config: { access: needs('assessment.manage', 'org') },
        schema: {
          tags,
          summary: '重新打开 / reopen a closed period',
          params: PeriodParams,
          body: PeriodReopen,
          response: { 200: PeriodView, ...errorResponses },
        },
      },
      (req) => s.assessments.reopenPeriod(req.ctx, req.params.period, req.body.reason, req.body.version),
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
