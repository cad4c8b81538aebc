import { sql } from 'kysely';
import type { Database, Tx } from '../../platform/db/database.js';

export interface NewNotification {
  personId: number;
  caseId: number | null;
  kind: string;
  params: Record<string, string | number | null>;
  /** The task it asks the reader to do (see migration 0008); absent when it only informs. */
  task?: { partId: number | null; key: string } | null;
  /** The ledger entry a notification about an assessment opens. */
  assessmentId?: number | null;
}

/** A task still open on a case: notifications that asked for anything else are done. */
export interface OpenTask {
  partId: number | null;
  key: string;
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
          items.map((n) => ({
            person_id: n.personId,
            case_id: n.caseId,
            kind: n.kind,
            params_json: JSON.stringify(n.params),
            created_at: at,
            read_at: null,
            part_id: n.task?.partId ?? null,
            task: n.task?.key ?? null,
            assessment_id: n.assessmentId ?? null,
          })),
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
          'notification.assessment_id',
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
    /**
     * Doing what a notification asked makes it read for everyone it went to: every unread
     * notification on the case that asked for a task no longer open.
     */
    async resolveCase(tx: Tx, caseId: number, open: readonly OpenTask[], at: string): Promise<number> {
      const rows = await tx
        .selectFrom('notification')
        .select(['id', 'part_id', 'task'])
        .where('case_id', '=', caseId)
        .where('read_at', 'is', null)
        .where('task', 'is not', null)
        .where('assessment_id', 'is', null)
        .execute();
      const still = new Set(open.map((t) => `${t.partId ?? 0}|${t.key}`));
      const done = rows.filter((r) => !still.has(`${r.part_id ?? 0}|${r.task}`)).map((r) => r.id);
      if (done.length === 0) return 0;
      const r = await tx.updateTable('notification').set({ read_at: at }).where('id', 'in', done).where('read_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /** The same for an assessment: notifications that asked for anything but its state now. */
    async resolveAssessment(tx: Tx, assessmentId: number, openKey: string | null, at: string): Promise<number> {
      let q = tx
        .updateTable('notification')
        .set({ read_at: at })
        .where('assessment_id', '=', assessmentId)
        .where('read_at', 'is', null)
        .where('task', 'is not', null);
      if (openKey !== null) q = q.where('task', '<>', openKey);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /**
     * Opening a case (or a ledger entry) reads the reader's notifications about it. Looked up first,
     * so opening a case with nothing unread writes nothing.
     */
    async markAboutRead(personId: number, about: { caseId: number } | { assessmentId: number }, at: string): Promise<number> {
      let sel = k.selectFrom('notification').select('id').where('person_id', '=', personId).where('read_at', 'is', null);
      sel =
        'caseId' in about ? sel.where('case_id', '=', about.caseId).where('assessment_id', 'is', null) : sel.where('assessment_id', '=', about.assessmentId);
      const ids = (await sel.execute()).map((r) => r.id);
      if (ids.length === 0) return 0;
      const r = await k.updateTable('notification').set({ read_at: at }).where('id', 'in', ids).where('read_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /** For tests and channel workers. */
    pendingOutbox: (limit: number) => k.selectFrom('outbox').selectAll().where('delivered_at', 'is', null).orderBy('id').limit(limit).execute(),
  };
}
