import { sql } from 'kysely';
import type { Database, Tx } from '../../platform/db/database.js';

export interface NewNotification {
  personId: number;
  caseId: number | null;
  kind: string;
  params: Record<string, string | number | null>;
}

export function notificationsRepository(db: Database) {
  const k = db.kysely;
  return {
    /** In-app rows and their outbox rows, inside the caller's transaction. */
    async insert(tx: Tx, items: NewNotification[], at: string) {
      if (items.length === 0) return;
      const rows = await tx
        .insertInto('notification')
        .values(
          items.map((n) => ({ person_id: n.personId, case_id: n.caseId, kind: n.kind, params_json: JSON.stringify(n.params), created_at: at, read_at: null })),
        )
        .returning(['id', 'person_id', 'case_id', 'kind', 'params_json'])
        .execute();
      await tx
        .insertInto('outbox')
        .values(
          rows.map((r) => ({
            notification_id: r.id,
            channel: 'default',
            payload_json: JSON.stringify({ personId: r.person_id, caseId: r.case_id, kind: r.kind, params: JSON.parse(r.params_json) }),
            created_at: at,
            delivered_at: null,
            attempts: 0,
          })),
        )
        .execute();
    },
    async list(personId: number, unreadOnly: boolean, page: number, pageSize: number) {
      let q = k.selectFrom('notification').where('person_id', '=', personId);
      if (unreadOnly) q = q.where('read_at', 'is', null);
      const total = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await q
        .leftJoin('case_record as c', 'c.id', 'notification.case_id')
        .select([
          'notification.id',
          'notification.case_id',
          'notification.kind',
          'notification.params_json',
          'notification.created_at',
          'notification.read_at',
          'c.number',
        ])
        .orderBy('notification.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute();
      return { total: Number(total.n), rows };
    },
    async unread(personId: number): Promise<number> {
      const r = await k
        .selectFrom('notification')
        .select(sql<number>`count(*)`.as('n'))
        .where('person_id', '=', personId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async markRead(personId: number, ids: number[] | 'all', at: string): Promise<number> {
      let q = k.updateTable('notification').set({ read_at: at }).where('person_id', '=', personId).where('read_at', 'is', null);
      if (ids !== 'all') q = q.where('id', 'in', ids.length ? ids : [-1]);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /** For tests and channel workers. */
    pendingOutbox: (limit: number) => k.selectFrom('outbox').selectAll().where('delivered_at', 'is', null).orderBy('id').limit(limit).execute(),
  };
}
