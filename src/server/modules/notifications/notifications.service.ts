import type { Clock } from '../../platform/clock.js';
import type { Database, Tx } from '../../platform/db/database.js';
import type { Lang } from '../../platform/http/messages.js';
import { renderNotification } from './notifications.messages.js';
import { type NewNotification, notificationsRepository } from './notifications.repository.js';

export function createNotificationService(db: Database, clock: Clock) {
  const repo = notificationsRepository(db);
  return {
    /** Writes in-app notifications and their outbox rows in the caller's transaction. */
    send: (tx: Tx, items: NewNotification[]) => repo.insert(tx, items, clock.now().toISOString()),
    async list(personId: number, lang: Lang, q: { unreadOnly: boolean; page: number; pageSize: number }) {
      const { total, rows } = await repo.list(personId, q.unreadOnly, q.page, q.pageSize);
      return {
        total,
        page: q.page,
        pageSize: q.pageSize,
        unread: await repo.unread(personId),
        items: rows.map((r) => ({
          id: r.id,
          caseId: r.case_id,
          caseNumber: r.number ?? null,
          kind: r.kind,
          text: renderNotification(r.kind, JSON.parse(r.params_json), lang),
          createdAt: r.created_at,
          read: r.read_at !== null,
        })),
      };
    },
    unread: (personId: number) => repo.unread(personId),
    markRead: (personId: number, ids: number[] | 'all') => repo.markRead(personId, ids, clock.now().toISOString()),
    pendingOutbox: (limit = 100) => repo.pendingOutbox(limit),
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
