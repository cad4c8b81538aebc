import type { Clock } from '../../platform/clock.js';
import type { Database, Tx } from '../../platform/db/database.js';
import type { Lang } from '../../platform/http/messages.js';
import { renderNotification } from './notifications.messages.js';
import { type NewNotification, notificationsRepository, type OpenTask } from './notifications.repository.js';

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
          assessmentId: r.assessment_id,
          kind: r.kind,
          text: renderNotification(r.kind, JSON.parse(r.params_json), lang),
          createdAt: r.created_at,
          read: r.read_at !== null,
        })),
      };
    },
    unread: (personId: number) => repo.unread(personId),
    markRead: (personId: number, ids: number[] | 'all') => repo.markRead(personId, ids, clock.now().toISOString()),
    /** After a case moved: notifications that asked for a task no longer open are read, for everyone they went to. */
    resolveCase: (tx: Tx, caseId: number, open: readonly OpenTask[]) => repo.resolveCase(tx, caseId, open, clock.now().toISOString()),
    /** After an assessment moved: notifications that asked for anything but `openKey` (its state now, when someone must act in it). */
    resolveAssessment: (tx: Tx, assessmentId: number, openKey: string | null) => repo.resolveAssessment(tx, assessmentId, openKey, clock.now().toISOString()),
    /** Opening a case or a ledger entry reads the reader's notifications about it. */
    markAboutRead: (personId: number, about: { caseId: number } | { assessmentId: number }) => repo.markAboutRead(personId, about, clock.now().toISOString()),
    pendingOutbox: (limit = 100) => repo.pendingOutbox(limit),
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
