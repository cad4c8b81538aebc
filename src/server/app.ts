import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransformObject, serializerCompiler } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import { collectRoutes, enforceAccess, type RouteEntry } from './modules/access/index.js';
import { accountsRoutes } from './modules/accounts/index.js';
import { assessmentRoutes } from './modules/assessment/index.js';
import { auditRoutes } from './modules/audit/index.js';
import { calendarRoutes } from './modules/calendar/index.js';
import { casesRoutes, printRoutes } from './modules/cases/index.js';
import { delegationRoutes } from './modules/delegation/index.js';
import { notificationsRoutes } from './modules/notifications/index.js';
import { importRoutes, orgRoutes } from './modules/org/index.js';
import { policyRoutes } from './modules/policy/index.js';
import { scheduleRoutes } from './modules/schedule/index.js';
import { setupRoutes } from './modules/setup/index.js';
import { systemRoutes } from './modules/system/index.js';
import type { Config } from './platform/config.js';
import { errorHandler } from './platform/http/error-handler.js';
import { AppError, renderError } from './platform/http/errors.js';
import { pickLang } from './platform/http/messages.js';
import { openApiTransform } from './platform/http/route-helpers.js';
import { zodValidatorCompiler } from './platform/http/validation.js';
import type { Services } from './services.js';

export const SESSION_COOKIE = 'liaison_session';
export const CSRF_HEADER = 'x-csrf-token';
export const LANG_COOKIE = 'liaison_lang';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** proxy-addr's trust function for "the nearest `hops` proxies": the socket peer and hops − 1 forwarded entries. */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;
const here = path.dirname(fileURLToPath(import.meta.url));
export const WEB_DIST = path.resolve(here, '../../dist/web');

/**
 * Files under /assets/ are named by their content hash (Vite): a new build gives them new names, so
 * a browser may keep them for a year without asking. Everything else (index.html above all, which
 * names the current assets) is revalidated on every load.
 */
export function webCacheControl(webDist: string, filePath: string): string {
  return path.resolve(filePath).startsWith(`${path.join(webDist, 'assets')}${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export interface App {
  app: FastifyInstance;
  routes: RouteEntry[];
}

export async function buildApp(config: Config, services: Services, opts: { logger?: boolean; webDist?: string } = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    // A hop count trusts the nearest N proxies (Fastify alone fails closed on a number); a list trusts those addresses only.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // Bad percent-encoding in a path and the like: the one error shape too.
    frameworkErrors: (err, req, reply) => {
      const lang = pickLang(req.headers['accept-language']);
      const code = err.code === 'FST_ERR_BAD_URL' || err.code === 'FST_ERR_ASYNC_CONSTRAINT' ? 'MALFORMED_URL' : 'VALIDATION';
      void (reply as FastifyReply)
        .status(400)
        .header('cache-control', 'no-store')
        .send(renderError(new AppError(code, { summary: 'url' }), lang));
    },
    // What Node's HTTP parser refuses (a raw space or control character in the request line…).
    clientErrorHandler: (err, socket) => {
      if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || !socket.writable) return socket.destroy();
      const body = JSON.stringify(renderError(new AppError('MALFORMED_URL'), 'zh-CN'));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
    genReqId: () => crypto.randomUUID(),
    ajv: undefined,
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler({ body: config.bodyLimit, upload: config.uploadLimit }));
  const routes = collectRoutes(app);

  // helmet's middleware is built once: @fastify/helmet built it again on every request, CSP parsing
  // included (2 % of the server's CPU in the case benchmark).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // antd writes its CSS-in-JS into <style> tags at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // Plain-HTTP intranet installs are common; HSTS is for the reverse proxy that terminates TLS.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
  // API answers are never stored by a browser or proxy: they hold personal data and one-time secrets.
  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.url.startsWith('/api')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: config.uploadLimit, files: 1, fields: 10 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Liaison API', version: process.env.npm_package_version ?? '0.1.0', description: '工作联络 — /api/v1' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }, token: { type: 'http', scheme: 'bearer' } } },
    },
    transform: openApiTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.decorateRequest('ctx', null as never);
  app.decorateRequest('sessionToken', undefined);

  // Who is calling, in which language; then the route's access rule and, for cookie sessions, CSRF.
  app.addHook('onRequest', async (req) => {
    req.ctx = { actor: null, requestId: req.id, ip: req.ip ?? null, lang: pickLang(req.headers['accept-language'], req.cookies[LANG_COOKIE]) };
    if (!req.url.startsWith('/api/v1')) return;
    const rule = req.routeOptions.config?.access;
    const isPublic = !rule || rule.kind === 'public';
    const auth = req.headers.authorization;
    let result: Awaited<ReturnType<Services['accounts']['authenticateSession']>> | null = null;
    if (auth?.startsWith('Bearer ')) {
      result = await services.accounts.authenticateToken(auth.slice(7).trim());
    } else if (req.cookies[SESSION_COOKIE]) {
      req.sessionToken = req.cookies[SESSION_COOKIE];
      result = await services.accounts.authenticateSession(req.sessionToken);
    }
    if (result instanceof AppError) {
      if (!isPublic) throw result;
    } else if (result) {
      req.ctx.actor = result;
      if (result.via === 'session' && !SAFE_METHODS.has(req.method)) {
        const sent = req.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || sent !== result.csrfToken) throw new AppError('CSRF');
      }
    }
    if (!isPublic && !req.ctx.actor) throw new AppError('UNAUTHENTICATED');
    await enforceAccess(req, services.rootPath);
  });

  // Each module's routes get what they use, named here: the one place that sees every service.
  const s = services;
  const accounts = { accounts: s.accounts, organization: s.setup.organization };
  await app.register(systemRoutes({ system: s.system, db: s.db }), { prefix: '/api' });
  await app.register(
    async (v1) => {
      v1.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await v1.register(setupRoutes({ ...accounts, setup: s.setup }));
      await v1.register(accountsRoutes(accounts, config));
      await v1.register(orgRoutes({ org: s.org, audit: s.audit }));
      await v1.register(importRoutes({ db: s.db, clock: s.clock, audit: s.audit, org: s.org, rootPath: s.rootPath }));
      await v1.register(calendarRoutes({ calendar: s.calendar }));
      await v1.register(scheduleRoutes({ schedule: s.schedule }));
      await v1.register(auditRoutes({ audit: s.audit, rootPath: s.rootPath }));
      await v1.register(casesRoutes({ cases: s.cases }));
      await v1.register(printRoutes({ cases: s.cases, calendar: s.calendar, clock: s.clock }));
      await v1.register(notificationsRoutes({ notifications: s.notifications }));
      await v1.register(assessmentRoutes({ assessments: s.assessments }));
      await v1.register(policyRoutes({ policy: s.policy, rootUnit: s.rootUnit }));
      await v1.register(delegationRoutes({ delegations: s.delegations }));
    },
    { prefix: '/api/v1' },
  );

  const webDist = opts.webDist ?? WEB_DIST;
  const hasWeb = config.serveWeb && fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      // The build writes .br and .gz next to each asset (src/web/vite.config.ts).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, filePath) => reply.header('cache-control', webCacheControl(webDist, filePath)),
    });
  }
  app.setNotFoundHandler((req, reply) => {
    // The SPA owns every non-API path; unknown API paths get the JSON error shape.
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api')) return reply.sendFile('index.html');
    throw new AppError('NOT_FOUND', { what: 'page' });
  });

  return { app, routes };
}
