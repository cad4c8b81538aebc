import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  CalendarOverrideInput,
  CalendarPolicyInput,
  CalendarYearImport,
  CalendarYearView,
  DeadlineAnswer,
  DeadlineQuery,
  SchoolTermsInput,
  SchoolTermsView,
} from '../../../contracts/calendar.js';
import { IsoDate, Ok } from '../../../contracts/common.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { needs, SELF } from '../access/index.js';
import type { CalendarService } from './calendar.service.js';

/** What these routes use. */
export interface CalendarRouteDeps {
  calendar: CalendarService;
}

export const calendarRoutes =
  (s: CalendarRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['calendar'];
    r.get(
      '/calendar/deadline',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '期限计算 / deadline calculator',
          description: 'workingDays: end of the n-th working day strictly after the day of `from`; hours: natural hours.',
          querystring: DeadlineQuery,
          response: { 200: DeadlineAnswer, ...errorResponses },
        },
      },
      (req) => s.calendar.deadline(req.ctx.lang, new Date(req.query.from), req.query),
    );
    r.get(
      '/calendar/years/:year',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '全年工作日历 / the working-day calendar of a year',
          params: z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) }),
          response: { 200: CalendarYearView, ...errorResponses },
        },
      },
      (req) => s.calendar.year(req.ctx, req.params.year),
    );
    r.get(
      '/calendar/terms',
      {
        config: { access: SELF },
        schema: { tags, summary: '学期 / the school terms rules count in', response: { 200: SchoolTermsView, ...errorResponses } },
      },
      () => s.calendar.terms(),
    );
    r.put(
      '/calendar/terms',
      {
        config: { access: needs('calendar.manage', 'org') },
        schema: {
          tags,
          summary: '设置学期 / set the school terms',
          description:
            'Replaces the terms as a whole: ascending or not, apart, each at most 240 days. Series counted in terms that waited for them are planned in the same transaction.',
          body: SchoolTermsInput,
          response: { 200: SchoolTermsView, ...errorResponses },
        },
      },
      (req) => s.calendar.setTerms(req.ctx, req.body),
    );
    r.put(
      '/calendar/overrides',
      {
        config: { access: needs('calendar.manage', 'org') },
        schema: { tags, summary: '本单位调整（加休/加班）/ organization override', body: CalendarOverrideInput, response: { 200: Ok, ...errorResponses } },
      },
      async (req) => {
        await s.calendar.setOverride(req.ctx, req.body);
        return { ok: true as const };
      },
    );
    r.delete(
      '/calendar/overrides/:date',
      {
        config: { access: needs('calendar.manage', 'org') },
        schema: {
          tags,
          summary: '删除本单位的日历调整 / remove an override',
          params: z.strictObject({ date: IsoDate }),
          response: { 200: Ok, ...errorResponses },
        },
      },
      async (req) => {
        await s.calendar.removeOverride(req.ctx, req.params.date);
        return { ok: true as const };
      },
    );
    r.post(
      '/calendar/years',
      {
        config: { access: needs('calendar.manage', 'org') },
        schema: { tags, summary: '导入某年官方安排 / import a year', body: CalendarYearImport, response: { 200: Ok, ...errorResponses } },
      },
      async (req) => {
        await s.calendar.importYear(req.ctx, req.body);
        return { ok: true as const };
      },
    );
    r.put(
      '/calendar/policy',
      {
        config: { access: needs('calendar.manage', 'org') },
        schema: {
          tags,
          summary: '工作时间（上班/下班）/ working hours (start and end of the day)',
          body: CalendarPolicyInput,
          response: { 200: Ok, ...errorResponses },
        },
      },
      async (req) => {
        await s.calendar.setPolicy(req.ctx, req.body);
        return { ok: true as const };
      },
    );
  };
