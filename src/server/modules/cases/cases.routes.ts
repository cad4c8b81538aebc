import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  AttachmentView,
  CaseAction,
  CaseComment,
  CaseCreate,
  CaseCreated,
  CaseDetail,
  CaseLinkInput,
  CaseList,
  CaseListQuery,
  CaseMergeInput,
  CaseTypeView,
  CaseUpdate,
  CaseWatch,
} from '../../../contracts/cases.js';
import { ErrorBody, Id, IdParams, Ok } from '../../../contracts/common.js';
import { Unit } from '../../../contracts/org.js';
import { AppError } from '../../platform/http/errors.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { SELF } from '../access/index.js';
import { caseActionDoc, caseCreateDoc } from './action-docs.js';
import type { CasesService } from './cases.service.js';
import { describeCaseType } from './engine/describe.js';

const Person = z.object({ id: z.number(), name: z.string(), post: z.string().nullable() });

/**
 * Cases (工作联系单 and the other forms on the engine). Every logged-in user may call these; what
 * they see and may do is decided per case by their relational roles (404 when they have none).
 */
/** What these routes use. */
export interface CasesRouteDeps {
  cases: CasesService;
}

export const casesRoutes =
  (s: CasesRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['cases'];

    // The definitions do not change while the server runs: described once.
    const described = [...s.cases.types.values()].map(describeCaseType);
    r.get(
      '/case-types',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary:
            '表单类型自述：字段、状态、操作及其输入、期限、名称 / case types describe themselves: fields, states, actions and their input, clocks, labels',
          response: { 200: z.array(CaseTypeView), ...errorResponses },
        },
      },
      () => described,
    );

    r.get(
      '/cases',
      {
        config: { access: SELF },
        schema: { tags, summary: '待办/我发起的/已办/关注 / inbox and lists', querystring: CaseListQuery, response: { 200: CaseList, ...errorResponses } },
      },
      (req) => s.cases.list(req.ctx, req.query),
    );

    r.get(
      '/cases/export.xlsx',
      { config: { access: SELF }, schema: { tags, summary: '导出列表 / export the list (.xlsx)', querystring: CaseListQuery } },
      async (req, reply) => {
        const file = await s.cases.exportXlsx(req.ctx, req.query);
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', file.contentDisposition)
          .send(file.data);
      },
    );

    r.post(
      '/cases',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '起草 / draft a new case',
          body: CaseCreate,
          bodyDoc: caseCreateDoc(s.cases.types.values()),
          response: { 201: CaseCreated, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(201).send(await s.cases.create(req.ctx, req.body)),
    );

    r.get(
      '/cases/signing-leaders',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '可签发的领导 / who may sign for a unit',
          querystring: z.strictObject({ unitId: Id }),
          response: { 200: z.array(Person.extend({ unitName: z.string(), role: z.string() })), ...errorResponses },
        },
      },
      (req) => s.cases.signingLeaders(req.ctx, req.query.unitId),
    );

    r.get(
      '/cases/unit-members',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '本单位人员（起草时选人）/ members of a unit the user belongs to',
          description:
            "For naming people on a form (a reviewer on an operation ticket): members of the user's own unit, or of a unit where they may read people.",
          querystring: z.strictObject({ unitId: Id }),
          response: { 200: z.array(Person), ...errorResponses },
        },
      },
      (req) => s.cases.unitMembers(req.ctx, req.query.unitId),
    );

    r.get(
      '/cases/receiver-units',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '可接收表单的单位（全组织通讯录）/ units a form may be addressed to',
          description: "The whole organization's active units: addressing a form to another department is the point, whatever the sender may manage.",
          response: { 200: z.array(Unit), ...errorResponses },
        },
      },
      () => s.cases.unitDirectory(),
    );

    r.get(
      '/cases/:id',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '表单详情、时限与可办理的操作 / a case with its deadlines and the actions open to me',
          params: IdParams,
          response: { 200: CaseDetail, ...errorResponses },
        },
      },
      (req) => s.cases.open(req.ctx, req.params.id),
    );

    r.put(
      '/cases/:id',
      {
        config: { access: SELF },
        schema: { tags, summary: '修改草稿 / edit a draft', params: IdParams, body: CaseUpdate, response: { 200: CaseDetail, ...errorResponses } },
      },
      (req) => s.cases.update(req.ctx, req.params.id, req.body),
    );

    r.post(
      '/cases/:id/actions',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '办理 / take an action',
          description: 'Only the actions listed in the case’s `actions` are possible; others answer 409 with what is allowed now.',
          params: IdParams,
          body: CaseAction,
          bodyDoc: caseActionDoc(s.cases.types.values()),
          response: { 200: CaseDetail, ...errorResponses },
        },
      },
      (req) => s.cases.act(req.ctx, req.params.id, req.body),
    );

    r.post(
      '/cases/:id/comments',
      {
        config: { access: SELF },
        schema: { tags, summary: '留言 / comment', params: IdParams, body: CaseComment, response: { 200: CaseDetail, ...errorResponses } },
      },
      (req) => s.cases.comment(req.ctx, req.params.id, req.body.text),
    );

    r.post(
      '/cases/:id/links',
      {
        config: { access: SELF },
        schema: { tags, summary: '关联表单 / link two cases', params: IdParams, body: CaseLinkInput, response: { 200: CaseDetail, ...errorResponses } },
      },
      (req) => s.cases.link(req.ctx, req.params.id, req.body.otherCaseId),
    );

    r.post(
      '/cases/:id/merge',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '合并到另一表单 / merge into another case',
          description:
            '归纳整改 (issue 9 §4): the case waits in its type’s merge state and follows the target to its result. Refused: into itself (400), not yours to merge (403), a case you cannot see (404), into a closed or merged case, across organizations, into another type, a case already merged (409).',
          params: IdParams,
          body: CaseMergeInput,
          response: { 200: CaseDetail, ...errorResponses },
        },
      },
      (req) => s.cases.merge(req.ctx, req.params.id, req.body),
    );

    r.put(
      '/cases/:id/watch',
      { config: { access: SELF }, schema: { tags, summary: '关注 / follow', params: IdParams, body: CaseWatch, response: { 200: Ok, ...errorResponses } } },
      async (req) => {
        await s.cases.setWatching(req.ctx, req.params.id, req.body.watching);
        return { ok: true as const };
      },
    );

    r.get(
      '/cases/:id/parts/:partId/members',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '收单单位人员 / members of a receiving unit',
          params: z.strictObject({ id: Id, partId: Id }),
          response: { 200: z.array(Person), ...errorResponses },
        },
      },
      (req) => s.cases.partMembers(req.ctx, req.params.id, req.params.partId),
    );

    r.post(
      '/cases/:id/attachments',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '上传附件 / upload an attachment',
          description: 'multipart/form-data: field `file`, optional field `partId`. Size and type are checked against the content.',
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: AttachmentView, 413: ErrorBody, ...errorResponses },
        },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('VALIDATION', { summary: 'file' }, [{ path: 'file', key: 'required', params: {} }]);
        const part = await req.file();
        if (part?.fieldname !== 'file') throw new AppError('VALIDATION', { summary: 'file' }, [{ path: 'file', key: 'required', params: {} }]);
        const data = await part.toBuffer();
        const rawPartId = (part.fields.partId as { value?: unknown } | undefined)?.value;
        const partId = rawPartId === undefined || rawPartId === '' ? null : Number(rawPartId);
        if (partId !== null && !Number.isInteger(partId))
          throw new AppError('VALIDATION', { summary: 'partId' }, [{ path: 'partId', key: 'invalid', params: {} }]);
        return reply.code(201).send(await s.cases.attach(req.ctx, req.params.id, { name: part.filename, data, partId }));
      },
    );

    r.get(
      '/cases/:id/attachments/:attachmentId',
      { config: { access: SELF }, schema: { tags, summary: '下载附件 / download', params: z.strictObject({ id: Id, attachmentId: Id }) } },
      async (req, reply) => {
        const file = await s.cases.attachmentFile(req.ctx, req.params.id, req.params.attachmentId);
        return reply.header('content-type', file.mime).header('content-disposition', file.contentDisposition).send(file.stream);
      },
    );
  };
