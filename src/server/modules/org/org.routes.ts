import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { AuditEventView } from '../../../contracts/audit.js';
import { IdParams, Ok, page } from '../../../contracts/common.js';
import {
  MembershipCreate,
  PeopleQuery,
  Person,
  PersonCreate,
  PersonDetail,
  PersonListItem,
  PersonUpdate,
  Unit,
  UnitCreate,
  UnitType,
  UnitTypeInput,
  UnitUpdate,
} from '../../../contracts/org.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { needs } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { auditView } from '../audit/index.js';
import type { OrgService } from './org.service.js';

const History = z.array(AuditEventView);

/** What these routes use. */
export interface OrgRouteDeps {
  org: OrgService;
  audit: AuditService;
}

export const orgRoutes =
  (s: OrgRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['org'];
    const history = async (entities: { type: string; id: number }[]) =>
      (await s.audit.search({ entities: entities.map((e) => ({ type: e.type, id: String(e.id) })), page: 1, pageSize: 200, order: 'desc' })).items.map(
        auditView,
      );

    r.get(
      '/unit-types',
      { config: { access: needs('org.read', 'any') }, schema: { tags, summary: '单位类型 / unit types', response: { 200: z.array(UnitType) } } },
      () => s.org.unitTypes(),
    );
    r.post(
      '/unit-types',
      {
        config: { access: needs('org.manage', 'org') },
        schema: { tags, summary: '新增单位类型 / add a unit type', body: UnitTypeInput, response: { 200: Ok, ...errorResponses } },
      },
      async (req) => {
        await s.org.createUnitType(req.ctx, req.body);
        return { ok: true as const };
      },
    );

    r.get(
      '/units',
      { config: { access: needs('org.read', 'any') }, schema: { tags, summary: '单位树 / unit tree', response: { 200: z.array(Unit) } } },
      (req) => s.org.tree(req.ctx),
    );
    r.get(
      '/units/:id',
      {
        config: { access: needs('org.read', 'unit') },
        schema: { tags, summary: '单位详情 / one unit', params: IdParams, response: { 200: Unit, ...errorResponses } },
      },
      (req) => s.org.getUnit(req.ctx, req.params.id),
    );
    r.get(
      '/units/:id/history',
      {
        config: { access: needs('org.read', 'unit') },
        schema: { tags, summary: '单位变更记录 / a unit’s change history', params: IdParams, response: { 200: History, ...errorResponses } },
      },
      async (req) => {
        await s.org.getUnit(req.ctx, req.params.id);
        return history([{ type: 'unit', id: req.params.id }]);
      },
    );
    r.post(
      '/units',
      {
        config: { access: needs('org.manage', 'unit') },
        schema: { tags, summary: '新增单位 / create a unit', body: UnitCreate, response: { 200: Unit, ...errorResponses } },
      },
      (req) => s.org.createUnit(req.ctx, req.body),
    );
    r.patch(
      '/units/:id',
      {
        config: { access: needs('org.manage', 'unit') },
        schema: { tags, summary: '修改或移动单位 / update or move', params: IdParams, body: UnitUpdate, response: { 200: Unit, ...errorResponses } },
      },
      (req) => s.org.updateUnit(req.ctx, req.params.id, req.body),
    );
    r.delete(
      '/units/:id',
      {
        config: { access: needs('org.manage', 'unit') },
        schema: { tags, summary: '删除单位（须无下级和人员）/ delete an empty unit', params: IdParams, response: { 200: Ok, ...errorResponses } },
      },
      async (req) => {
        await s.org.deleteUnit(req.ctx, req.params.id);
        return { ok: true as const };
      },
    );

    r.get(
      '/people',
      {
        config: { access: needs('people.read', 'any') },
        schema: { tags, summary: '人员查询 / search people', querystring: PeopleQuery, response: { 200: page(PersonListItem), ...errorResponses } },
      },
      (req) => s.org.searchPeople(req.ctx, req.query),
    );
    r.get(
      '/people/:id',
      {
        config: { access: needs('people.read', 'unit') },
        schema: { tags, summary: '人员详情与汇报链 / person with reporting chain', params: IdParams, response: { 200: PersonDetail, ...errorResponses } },
      },
      (req) => s.org.personDetail(req.ctx, req.params.id),
    );
    r.get(
      '/people/:id/history',
      {
        config: { access: needs('people.read', 'unit') },
        schema: { tags, summary: '人员变更记录 / a person’s change history', params: IdParams, response: { 200: History, ...errorResponses } },
      },
      async (req) => {
        const { account } = await s.org.personDetail(req.ctx, req.params.id);
        // The person's page shows their account's events (created, locked, deactivated) too.
        return history([{ type: 'person', id: req.params.id }, ...(account ? [{ type: 'account', id: account.id }] : [])]);
      },
    );
    r.post(
      '/people',
      {
        config: { access: needs('people.manage', 'unit') },
        schema: {
          tags,
          summary: '新增人员（含首个任职）/ create a person with a first membership',
          body: PersonCreate,
          response: { 200: Person, ...errorResponses },
        },
      },
      (req) => s.org.createPerson(req.ctx, req.body),
    );
    r.patch(
      '/people/:id',
      {
        config: { access: needs('people.manage', 'unit') },
        schema: { tags, summary: '修改人员信息 / update a person', params: IdParams, body: PersonUpdate, response: { 200: Person, ...errorResponses } },
      },
      (req) => s.org.updatePerson(req.ctx, req.params.id, req.body),
    );

    r.post(
      '/memberships',
      {
        config: { access: needs('people.manage', 'unit') },
        schema: { tags, summary: '新增任职 / add a membership', body: MembershipCreate, response: { 200: z.object({ id: z.number() }), ...errorResponses } },
      },
      async (req) => ({ id: await s.org.addMembership(req.ctx, req.body) }),
    );
    r.delete(
      '/memberships/:id',
      {
        config: { access: needs('people.manage', 'unit') },
        schema: { tags, summary: '撤销任职 / remove a membership', params: IdParams, response: { 200: Ok, ...errorResponses } },
      },
      async (req) => {
        await s.org.removeMembership(req.ctx, req.params.id);
        return { ok: true as const };
      },
    );
  };
