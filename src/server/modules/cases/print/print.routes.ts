import type { FastifyPluginAsync } from 'fastify';
import { IdParams } from '../../../../contracts/common.js';
import type { Clock } from '../../../platform/clock.js';
import { contentDisposition } from '../../../platform/files/index.js';
import { typed } from '../../../platform/http/route-helpers.js';
import { type Ctx, SELF } from '../../access/index.js';
import type { CalendarService } from '../../calendar/index.js';
import type { CasesService } from '../cases.service.js';
import { renderPrintHtml } from './print.html.js';
import { buildPrintModel } from './print.model.js';
import { cjkFont, renderPrintPdf } from './print.pdf.js';

/**
 * The paper form (工作联系单, seed article 8) on A4: an HTML print view and a PDF. Whoever may open
 * the case may print it; `cases.detail` decides (404 for anyone else).
 */
/** What these routes use. */
export interface PrintRouteDeps {
  cases: CasesService;
  calendar: CalendarService;
  clock: Clock;
}

export const printRoutes =
  (s: PrintRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['cases'];

    const model = async (ctx: Ctx, id: number) => {
      const detail = await s.cases.detail(ctx, id);
      const cal = await s.calendar.load();
      return buildPrintModel(detail, { timeZone: cal.timeZone, now: s.clock.now(), lang: ctx.lang });
    };

    r.get(
      '/cases/:id/print',
      {
        config: { access: SELF },
        schema: { tags, summary: '打印 / print view (A4, HTML)', description: 'A self-contained page; the browser prints it (Ctrl+P).', params: IdParams },
      },
      async (req, reply) => {
        const m = await model(req.ctx, req.params.id);
        return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(renderPrintHtml(m));
      },
    );

    r.get(
      '/cases/:id/print.pdf',
      {
        config: { access: SELF },
        schema: {
          tags,
          summary: '打印 PDF / the form as an A4 PDF',
          description: 'With a CJK font embedded. When the server has no CJK font installed, answers 303 to the HTML print view instead.',
          params: IdParams,
        },
      },
      async (req, reply) => {
        const m = await model(req.ctx, req.params.id);
        const font = await cjkFont();
        if (!font) {
          req.log.warn('no CJK font installed (fc-list :lang=zh lists none; install fonts-noto-cjk): sending the HTML print view instead of a PDF');
          return reply.header('x-liaison-print-fallback', 'no-cjk-font').redirect('print', 303);
        }
        const pdf = await renderPrintPdf(m, font);
        return reply
          .type('application/pdf')
          .header('content-disposition', contentDisposition(m.fileName))
          .header('cache-control', 'private, no-store')
          .send(pdf);
      },
    );
  };
