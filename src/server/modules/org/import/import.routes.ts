import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ErrorBody } from '../../../../contracts/common.js';
import { CSV_ENCODINGS } from '../../../../contracts/limits.js';
import { ImportResult } from '../../../../contracts/org.js';
import type { Clock } from '../../../platform/clock.js';
import type { Database } from '../../../platform/db/database.js';
import { errorResponses, typed } from '../../../platform/http/route-helpers.js';
import { needs } from '../../access/index.js';
import type { AuditService } from '../../audit/index.js';
import type { OrgService } from '../org.service.js';
import { badFile, createImportService } from './import.service.js';

const ImportQuery = z.strictObject({
  /** Validate and count only; nothing is written. */
  dryRun: z.enum(['0', '1', 'true', 'false']).optional(),
});

/** Import and export of units and people (.xlsx / .csv). */
/** What these routes use. */
export interface ImportRouteDeps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  org: OrgService;
  rootPath: () => Promise<string>;
}

export const importRoutes =
  (s: ImportRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['org'];
    const svc = createImportService(s);

    r.get(
      '/org/import-template',
      { config: { access: needs('people.manage', 'any') }, schema: { tags, summary: '导入模板 / import template (.xlsx)' } },
      async (_req, reply) => {
        const d = await svc.template();
        return reply.header('content-type', d.contentType).header('content-disposition', d.contentDisposition).send(d.stream);
      },
    );

    r.get(
      '/org/export',
      { config: { access: needs('people.read', 'any') }, schema: { tags, summary: '导出单位和人员 / export units and people (.xlsx)' } },
      async (req, reply) => {
        const d = await svc.exportWorkbook(req.ctx);
        return reply.header('content-type', d.contentType).header('content-disposition', d.contentDisposition).send(d.stream);
      },
    );

    r.post(
      '/org/import',
      {
        config: { access: needs('org.manage', 'org') },
        schema: {
          tags,
          summary: '导入单位和人员（全部成功或全部不导入）/ import units and people (all or nothing)',
          description: `multipart/form-data, field \`file\`: .xlsx (sheets 单位 and/or 人员) or .csv (${CSV_ENCODINGS.en}, one kind). \`dryRun=1\` validates and counts only.`,
          consumes: ['multipart/form-data'],
          querystring: ImportQuery,
          response: { 200: ImportResult, 413: ErrorBody, 422: ErrorBody, ...errorResponses },
        },
      },
      async (req) => {
        if (!req.isMultipart()) throw badFile(req.ctx.lang, 'not_multipart');
        const part = await req.file();
        if (part?.fieldname !== 'file') throw badFile(req.ctx.lang, 'no_file');
        // Throws FST_REQ_FILE_TOO_LARGE past the upload limit; the error handler answers 413.
        const data = await part.toBuffer();
        const dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
        return svc.importFile(req.ctx, { data, fileName: part.filename }, { dryRun });
      },
    );
  };
