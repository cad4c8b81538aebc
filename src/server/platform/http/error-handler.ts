import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, renderError, retryAfterOf, statusOf } from './errors.js';
import { pickLang, renderProblem } from './messages.js';
import { RequestValidationError } from './validation.js';

const kb = (n: number) => (n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`);

/** Maps Fastify's own errors to ours, so every failure has the one error shape. */
function toAppError(err: FastifyError, limits: { body: number; upload: number }, contentType?: string): AppError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE', { limit: kb(limits.body) });
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
      return new AppError('UPLOAD_TOO_LARGE', { limit: kb(limits.upload) });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { type: contentType ?? '' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('MALFORMED_JSON');
  }
  if (err.statusCode === 429) return new AppError('RATE_LIMITED');
  if (err instanceof SyntaxError && err.statusCode === 400) return new AppError('MALFORMED_JSON');
  return null;
}

export function errorHandler(limits: { body: number; upload: number }) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const lang = req.ctx?.lang ?? pickLang(req.headers['accept-language']);
    if (err instanceof RequestValidationError) {
      const details = err.problems.map((p) => ({ path: p.path, message: renderProblem(p, lang) }));
      const summary = details.map((d) => `${d.path} ${d.message}`).join('；');
      const body = renderError(new AppError('VALIDATION', { summary }), lang);
      body.error.details = details;
      return reply.status(400).send(body);
    }
    const appErr = err instanceof AppError ? err : toAppError(err, limits, req.headers['content-type']);
    if (appErr) {
      if (appErr.code === 'VALIDATION' && appErr.details.length && !appErr.params.summary) {
        appErr.params.summary = appErr.details.map((d) => `${d.path} ${renderProblem(d, lang)}`).join('；');
      }
      const status = appErr.code === 'VALIDATION' ? 400 : statusOf(appErr.code);
      if (status >= 500) req.log.error({ err }, 'request failed');
      const retryAfter = retryAfterOf(appErr);
      if (retryAfter !== undefined) reply.header('retry-after', retryAfter);
      return reply.status(status).send(renderError(appErr, lang));
    }
    // Anything else is a bug or an outage: log it whole, answer without internals.
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(renderError(new AppError('INTERNAL'), lang));
  };
}
