import { sql } from 'kysely';
import type { Database, Queryable, Tx } from '../../platform/db/database.js';
import type { JobTable } from '../../platform/db/schema.js';

/** A job as the sweeper hands it to a handler. */
export interface JobRow {
  id: number;
  kind: string;
  key: string;
  seriesId: number | null;
  dueAt: string;
  payload: unknown;
  attempts: number;
  claimedBy: string | null;
  claimedUntil: string | null;
  state: JobTable['state'];
}

export interface SeriesRow {
  id: number;
  kind: string;
  key: string;
  rule: unknown;
  payload: unknown;
  endedAt: string | null;
}

const toJob = (r: {
  id: number;
  kind: string;
  key: string;
  series_id: number | null;
  due_at: string;
  payload_json: string;
  attempts: number;
  claimed_by: string | null;
  claimed_until: string | null;
  state: JobTable['state'];
}): JobRow => ({
  id: r.id,
  kind: r.kind,
  key: r.key,
  seriesId: r.series_id,
  dueAt: r.due_at,
  payload: JSON.parse(r.payload_json),
  attempts: r.attempts,
  claimedBy: r.claimed_by,
  claimedUntil: r.claimed_until,
  state: r.state,
});

const COLS = ['id', 'kind', 'key', 'series_id', 'due_at', 'payload_json', 'attempts', 'claimed_by', 'claimed_until', 'state'] as const;

/** The job table and the series table; SQL for the scheduler lives here only. */
export function jobsRepository(db: Database) {
  /** Inserts a pending job; a job of the same kind and key already there (in any state) wins. True if inserted. */
  async function enqueue(q: Queryable, j: { kind: string; key: string; dueAt: string; payload: unknown; seriesId?: number | null; now: string }) {
    const r = await q
      .insertInto('job')
      .values({
        kind: j.kind,
        key: j.key,
        series_id: j.seriesId ?? null,
        due_at: j.dueAt,
        payload_json: JSON.stringify(j.payload ?? null),
        state: 'pending',
        attempts: 0,
        created_at: j.now,
      })
      .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  return {
    enqueue,

    /**
     * Claims up to `limit` due jobs of `kinds` for `worker` until `leaseUntil`, atomically: a pending
     * job due by `now`, or a running one whose lease ran out (its process died). One statement; on
     * PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED so concurrent claimers take different
     * rows without waiting; on SQLite the statement runs in the write transaction, which is exclusive.
     */
    async claim(worker: string, kinds: readonly string[], now: string, leaseUntil: string, limit: number): Promise<JobRow[]> {
      if (!kinds.length) return [];
      return db.kysely.transaction().execute(async (tx) => {
        let due = tx
          .selectFrom('job')
          .select('id')
          .where('kind', 'in', [...kinds])
          .where((eb) =>
            eb.or([eb.and([eb('state', '=', 'pending'), eb('due_at', '<=', now)]), eb.and([eb('state', '=', 'running'), eb('claimed_until', '<=', now)])]),
          )
          .orderBy('due_at')
          .limit(limit);
        if (db.dialect === 'postgres') due = due.forUpdate().skipLocked();
        const rows = await tx
          .updateTable('job')
          .set({ state: 'running', claimed_by: worker, claimed_until: leaseUntil, attempts: sql`attempts + 1` })
          .where('id', 'in', due)
          .returning(COLS)
          .execute();
        return rows.map(toJob).sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id - b.id));
      });
    },

    /**
     * Marks a job this worker still holds done, in the caller's transaction (with the handler's own
     * writes). False when the claim is no longer ours — the lease ran out and another process took
     * it: the caller must roll back.
     */
    async complete(tx: Tx, id: number, worker: string, now: string) {
      const r = await tx
        .updateTable('job')
        .set({ state: 'done', done_at: now, claimed_by: null, claimed_until: null, last_error: null })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .where('claimed_by', '=', worker)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** A periodic job: the same row becomes pending again at `dueAt`, if this worker still holds it. */
    async reschedule(tx: Tx, id: number, worker: string, dueAt: string) {
      const r = await tx
        .updateTable('job')
        .set({ state: 'pending', due_at: dueAt, attempts: 0, claimed_by: null, claimed_until: null, last_error: null })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .where('claimed_by', '=', worker)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** After a failed attempt: pending again at `dueAt`, or failed for good (`dueAt` null). */
    async fail(tx: Tx, id: number, worker: string, error: string, dueAt: string | null) {
      await tx
        .updateTable('job')
        .set({
          state: dueAt ? 'pending' : 'failed',
          ...(dueAt && { due_at: dueAt }),
          last_error: error.slice(0, 1000),
          claimed_by: null,
          claimed_until: null,
        })
        .where('id', '=', id)
        .where('state', '=', 'running')
        .where('claimed_by', '=', worker)
        .execute();
    },

    /**
     * A periodic job's one row: inserted due `now` if absent; if pending and due later, due `now`
     * (what came due while the server was down runs at start, not a period later).
     */
    async ensureDueNow(kind: string, key: string, now: string) {
      await db.kysely.transaction().execute(async (tx) => {
        await enqueue(tx, { kind, key, dueAt: now, payload: null, now });
        await tx
          .updateTable('job')
          .set({ state: 'pending', due_at: now, attempts: 0 })
          .where('kind', '=', kind)
          .where('key', '=', key)
          .where((eb) => eb.or([eb('state', '=', 'failed'), eb.and([eb('state', '=', 'pending'), eb('due_at', '>', now)])]))
          .execute();
      });
    },

    async job(id: number, q: Queryable = db.kysely) {
      const r = await q.selectFrom('job').select(COLS).where('id', '=', id).executeTakeFirst();
      return r ? toJob(r) : undefined;
    },

    async jobByKey(kind: string, key: string, q: Queryable = db.kysely) {
      const r = await q.selectFrom('job').select(COLS).where('kind', '=', kind).where('key', '=', key).executeTakeFirst();
      return r ? toJob(r) : undefined;
    },

    /** Inserts a series; one of the same kind and key already there wins. Its id either way. */
    async insertSeries(tx: Tx, s: { kind: string; key: string; rule: unknown; payload?: unknown; now: string }) {
      await tx
        .insertInto('schedule_series')
        .values({ kind: s.kind, key: s.key, rule_json: JSON.stringify(s.rule), payload_json: JSON.stringify(s.payload ?? null), created_at: s.now })
        .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
        .execute();
      const r = await tx.selectFrom('schedule_series').select(['id', 'ended_at']).where('kind', '=', s.kind).where('key', '=', s.key).executeTakeFirstOrThrow();
      return r;
    },

    async series(q: Queryable, id: number): Promise<SeriesRow | undefined> {
      const r = await q.selectFrom('schedule_series').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { id: r.id, kind: r.kind, key: r.key, rule: JSON.parse(r.rule_json), payload: JSON.parse(r.payload_json), endedAt: r.ended_at };
    },

    /** Open series with no job pending or running: those counted in terms wait for terms to be entered. */
    async waitingSeries(q: Queryable): Promise<(SeriesRow & { lastDate: string | null })[]> {
      const rows = await q
        .selectFrom('schedule_series as s')
        .selectAll('s')
        .select((eb) =>
          eb.selectFrom('job').select('job.payload_json').whereRef('job.series_id', '=', 's.id').orderBy('job.due_at', 'desc').limit(1).as('last_payload'),
        )
        .where('s.ended_at', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('job').select('job.id').whereRef('job.series_id', '=', 's.id').where('job.state', 'in', ['pending', 'running']))),
        )
        .orderBy('s.id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        key: r.key,
        rule: JSON.parse(r.rule_json),
        payload: JSON.parse(r.payload_json),
        endedAt: r.ended_at,
        lastDate: r.last_payload ? ((JSON.parse(r.last_payload) as { occurrence?: { date?: string } }).occurrence?.date ?? null) : null,
      }));
    },

    async endSeries(q: Queryable, id: number, now: string) {
      await q.updateTable('schedule_series').set({ ended_at: now }).where('id', '=', id).where('ended_at', 'is', null).execute();
    },
  };
}

export type JobsRepository = ReturnType<typeof jobsRepository>;
