import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { MarkRead, NotificationList, NotificationQuery } from '../../../contracts/cases.js';
import { errorResponses, typed } from '../../platform/http/route-helpers.js';
import { actorOf, SELF } from '../access/index.js';
import type { NotificationService } from './notifications.service.js';

/** The bell: a person's own in-app notifications. */
/** What these routes use. */
export interface NotificationsRouteDeps {
  notifications: NotificationService;
}

export const notificationsRoutes =
  (s: NotificationsRouteDeps): FastifyPluginAsync =>
  async (app) => {
    const r = typed(app);
    const tags = ['notifications'];
    r.get(
      '/notifications',
      {
        config: { access: SELF },
        schema: { tags, summary: '通知 / my notifications', querystring: NotificationQuery, response: { 200: NotificationList, ...errorResponses } },
      },
      (req) => s.notifications.list(actorOf(req).personId, req.ctx.lang, req.query),
    );
    r.get(
      '/notifications/unread',
      { config: { access: SELF }, schema: { tags, summary: '未读数 / unread count', response: { 200: z.object({ unread: z.number() }), ...errorResponses } } },
      async (req) => ({ unread: await s.notifications.unread(actorOf(req).personId) }),
    );
    r.post(
      '/notifications/read',
      {
        config: { access: SELF },
        schema: { tags, summary: '标为已读 / mark read', body: MarkRead, response: { 200: z.object({ updated: z.number() }), ...errorResponses } },
      },
      async (req) => ({ updated: await s.notifications.markRead(actorOf(req).personId, req.body.all ? 'all' : (req.body.ids ?? [])) }),
    );
  };
