import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Clock } from '../../platform/clock.js';
import type { Database, Tx } from '../../platform/db/database.js';
import { type Calendar, type CalendarService, localDate } from '../calendar/index.js';
import { afterFailure, DEFAULT_LEASE_MS, firstOccurrence, nextOccurrence, nextPeriodic } from './jobs.core.js';
import { type JobRow, jobsRepository } from './jobs.repository.js';
import { countsInTerms, occurrences, RecurrenceError, type RecurrenceRule, ruleProblems } from './recurrence.core.js';

/** Counts a handler reports (`{ fired: 2, reminded: 0 }`); the sweeper adds them up per kind and logs them. */
export type JobResult = Record<string, number> | undefined;

interface HandlerBase {
  /** The job kind, `<module>.<what>` (`cases.clocks`, `meetings.occurrence`). */
  kind: string;
  /** A periodic job: one row, due again `every` ms after the time it was due (its phase is kept). */
  every?: number;
  /** The log message for a run with something to say (`clock sweep`). */
  logAs?: string;
}

/**
 * What a module registers for a kind. Two contracts (ADR 0010):
 * - `transaction`: `run(job, tx)` writes only through `tx`, the transaction that also marks the job
 *   done (and enqueues a series' next occurrence): the job's effects are committed exactly once.
 *   A process that dies mid-run commits nothing; another one runs the job after the lease.
 * - `idempotent`: `run(job)` keeps its own transactions (a sweep over many rows, a file written);
 *   the job is marked done afterwards, so it runs at least once and may run again after a crash or
 *   an expired lease: the handler must make a second run harmless (the clock sweep claims each clock).
 */
export type JobHandler =
  | (HandlerBase & { mode: 'transaction'; run(job: JobRow, tx: Tx): Promise<JobResult | undefined> })
  | (HandlerBase & { mode: 'idempotent'; run(job: JobRow): Promise<JobResult | undefined> });

/** The payload of a series' job: the series' own payload and the occurrence it is for. */
export interface OccurrencePayload<P = unknown> {
  series: P;
  occurrence: { date: string; time: string; at: string; deadline?: { date: string; time: string; at: string } };
}

export interface RunSummary {
  /** Jobs claimed and run to completion. */
  ran: number;
  /** Attempts that threw (tried again later, or failed for good). */
  failed: number;
  /** Jobs whose claim another process took over (our lease ran out first): nothing of ours committed. */
  lost: number;
  /** Per kind: jobs completed and the sums of their handlers' counts. */
  kinds: Record<string, { jobs: number } & Record<string, number>>;
  /** The attempts that threw, recorded on their jobs. */
  errors: { jobId: number; kind: string; error: unknown }[];
}

class LostClaim extends Error {}

/**
 * The job registry and the runner behind the one sweeper. Modules register handlers through the
 * composition root; the schedule module knows none of them.
 */
export function createJobsService(deps: { db: Database; clock: Clock; calendar: CalendarService; workerId?: string }) {
  const { db, clock, calendar } = deps;
  const repo = jobsRepository(db);
  const handlers = new Map<string, JobHandler>();
  const worker = deps.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  const toPayload = (o: NonNullable<ReturnType<typeof nextOccurrence>>, series: unknown): OccurrencePayload => ({
    series,
    occurrence: { date: o.date, time: o.time, at: o.at, ...(o.deadline && { deadline: o.deadline }) },
  });

  /**
   * A series with no occurrence left ends, unless it counts in school terms and its `until` and
   * `count` leave room: next year's terms are entered later, and it waits for them (`wakeTermSeries`).
   */
  function outOfOccurrences(tx: Tx, rule: RecurrenceRule, cal: Calendar, seriesId: number, after: string | null, now: string) {
    if (countsInTerms(rule)) {
      const today = localDate(new Date(now), cal.timeZone);
      const untilPassed = rule.until !== undefined && (today > rule.until || (after !== null && after >= rule.until));
      const countDone = rule.count !== undefined && after !== null && occurrences(rule, cal, rule.start, after).length >= rule.count;
      if (!untilPassed && !countDone) return;
    }
    return repo.endSeries(tx, seriesId, now);
  }

  /** In `tx`: a series' next occurrence after the one `job` was for, as its one pending job (or the series ends). */
  async function enqueueNext(tx: Tx, job: JobRow, cal: (tx: Tx) => Promise<Calendar>, now: string) {
    if (job.seriesId === null) return;
    const series = await repo.series(tx, job.seriesId);
    if (!series || series.endedAt) return;
    const after = (job.payload as OccurrencePayload).occurrence.date;
    const calendarNow = await cal(tx);
    const next = nextOccurrence(series.rule as RecurrenceRule, calendarNow, after);
    if (!next) return outOfOccurrences(tx, series.rule as RecurrenceRule, calendarNow, series.id, after, now);
    await repo.enqueue(tx, {
      kind: series.kind,
      key: `${series.id}@${next.date}`,
      dueAt: next.at,
      payload: toPayload(next, series.payload),
      seriesId: series.id,
      now,
    });
  }

  /** In `tx`: the job is done, or (periodic) pending again; false if our claim was taken over. */
  function finish(tx: Tx, job: JobRow, h: JobHandler, now: Date) {
    if (h.every) return repo.reschedule(tx, job.id, worker, nextPeriodic(new Date(job.dueAt), h.every, now).toISOString());
    return repo.complete(tx, job.id, worker, now.toISOString());
  }

  async function runOne(job: JobRow, h: JobHandler, cal: (tx: Tx) => Promise<Calendar>, summary: RunSummary): Promise<'ran' | 'lost' | 'failed'> {
    try {
      let result: JobResult | undefined;
      if (h.mode === 'transaction') {
        result = await db.kysely.transaction().execute(async (tx) => {
          const now = clock.now();
          // First: the row is ours and locked (PostgreSQL) until commit, so nobody takes it meanwhile.
          if (!(await finish(tx, job, h, now))) throw new LostClaim();
          const r = await h.run(job, tx);
          await enqueueNext(tx, job, cal, now.toISOString());
          return r;
        });
      } else {
        result = await h.run(job);
        await db.kysely.transaction().execute(async (tx) => {
          const now = clock.now();
          if (!(await finish(tx, job, h, now))) throw new LostClaim();
          await enqueueNext(tx, job, cal, now.toISOString());
        });
      }
      const k = summary.kinds[job.kind] ?? { jobs: 0 };
      summary.kinds[job.kind] = k;
      k.jobs++;
      for (const [name, n] of Object.entries(result ?? {})) if (typeof n === 'number') k[name] = (k[name] ?? 0) + n;
      return 'ran';
    } catch (e) {
      if (e instanceof LostClaim) return 'lost';
      const now = clock.now();
      const next = afterFailure(now, job.attempts);
      await db.kysely.transaction().execute(async (tx) => {
        const message = e instanceof Error ? e.message : String(e);
        await repo.fail(tx, job.id, worker, message, next.state === 'pending' ? next.dueAt.toISOString() : null);
        // One occurrence that keeps failing does not end its series.
        if (next.state === 'failed') await enqueueNext(tx, job, cal, now.toISOString());
      });
      summary.errors.push({ jobId: job.id, kind: job.kind, error: e });
      return 'failed';
    }
  }

  return {
    /** This process's name in `claimed_by`. */
    worker,

    /** Registers the handler of a kind (once per kind, at wiring time). */
    register(h: JobHandler) {
      if (handlers.has(h.kind)) throw new Error(`job kind ${h.kind} registered twice`);
      if (h.every !== undefined && !(h.every > 0)) throw new Error(`job kind ${h.kind}: every must be positive`);
      handlers.set(h.kind, h);
    },

    kinds: () => [...handlers.keys()],

    /** The log message for a kind's runs. */
    messageOf: (kind: string) => handlers.get(kind)?.logAs ?? `job ${kind}`,

    /**
     * Enqueues a one-off job in the caller's transaction; a job of the same kind and key already
     * there (pending, done or failed) makes this a no-op. True if it was inserted.
     */
    enqueue(tx: Tx, j: { kind: string; key: string; dueAt: Date | string; payload?: unknown }) {
      const dueAt = typeof j.dueAt === 'string' ? j.dueAt : j.dueAt.toISOString();
      return repo.enqueue(tx, { ...j, dueAt, payload: j.payload ?? null, now: clock.now().toISOString() });
    },

    /**
     * Starts a recurring series of `kind` in the caller's transaction: its first occurrence at or
     * after now becomes the one pending job; each run enqueues the next. The same kind and key again
     * is a no-op. Throws {@link RecurrenceError} for a rule that cannot be used.
     */
    async createSeries(tx: Tx, s: { kind: string; key: string; rule: RecurrenceRule; payload?: unknown }) {
      const problems = ruleProblems(s.rule);
      if (problems.length) throw new RecurrenceError(problems);
      const now = clock.now();
      const series = await repo.insertSeries(tx, { ...s, now: now.toISOString() });
      const cal = await calendar.load(tx);
      const first = firstOccurrence(s.rule, cal, now);
      if (!first) {
        await outOfOccurrences(tx, s.rule, cal, series.id, null, now.toISOString());
        return { seriesId: series.id, first: null };
      }
      await repo.enqueue(tx, {
        kind: s.kind,
        key: `${series.id}@${first.date}`,
        dueAt: first.at,
        payload: toPayload(first, s.payload ?? null),
        seriesId: series.id,
        now: now.toISOString(),
      });
      return { seriesId: series.id, first: first.at };
    },

    /**
     * In the transaction that set the school terms: each open series counted in terms with nothing
     * pending gets its next occurrence (after the last one it had, at or after now). Returns how many.
     */
    async wakeTermSeries(tx: Tx): Promise<number> {
      const now = clock.now();
      const cal = await calendar.load(tx);
      let woken = 0;
      for (const s of await repo.waitingSeries(tx)) {
        const rule = s.rule as RecurrenceRule;
        if (!countsInTerms(rule)) continue;
        let next = firstOccurrence(rule, cal, now);
        if (next && s.lastDate !== null && next.date <= s.lastDate) next = nextOccurrence(rule, cal, s.lastDate);
        if (!next) {
          await outOfOccurrences(tx, rule, cal, s.id, s.lastDate, now.toISOString());
          continue;
        }
        const inserted = await repo.enqueue(tx, {
          kind: s.kind,
          key: `${s.id}@${next.date}`,
          dueAt: next.at,
          payload: toPayload(next, s.payload),
          seriesId: s.id,
          now: now.toISOString(),
        });
        if (inserted) woken++;
      }
      return woken;
    },

    /** Makes every periodic kind's row due now (inserting it if absent): what came due while down runs at start. */
    async prepare() {
      const now = clock.now().toISOString();
      for (const h of handlers.values()) if (h.every) await repo.ensureDueNow(h.kind, h.kind, now);
    },

    /**
     * Claims and runs due jobs of the registered kinds in batches of `limit` until none is due (a
     * series' next occurrence that is already due runs in the same sweep). Cost
     * follows the due jobs: the claim reads the (state, due_at) index. A handler's error is recorded on
     * its job (tried again later), listed in `errors`, and does not stop the others.
     */
    async runDue(opts: { limit?: number; leaseMs?: number; concurrency?: number } = {}): Promise<RunSummary> {
      const limit = opts.limit ?? 100;
      const concurrency = opts.concurrency ?? 8;
      const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
      const summary: RunSummary = { ran: 0, failed: 0, lost: 0, kinds: {}, errors: [] };
      let cached: Promise<Calendar> | undefined;
      // Loaded once per run, through the transaction asking first (SQLite has one connection).
      const cal = (tx: Tx) => (cached ??= calendar.load(tx));
      for (;;) {
        const now = clock.now();
        const claimed = await repo.claim(worker, [...handlers.keys()], now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), limit);
        let ran = 0;
        // A few at a time, each in its own transaction: on SQLite their commits share one fsync
        // (group commit, ADR 0007), on PostgreSQL they use the pool; one failing rolls back only itself.
        const queue = [...claimed];
        const lane = async () => {
          for (let job = queue.shift(); job; job = queue.shift()) {
            const h = handlers.get(job.kind);
            if (!h) continue;
            const outcome = await runOne(job, h, cal, summary);
            summary[outcome]++;
            if (outcome === 'ran') ran++;
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
        // Again while work is done: a series that missed several occurrences catches up in one sweep.
        if (!claimed.length || !ran) break;
      }
      return summary;
    },

    repo,
  };
}

export type JobsService = ReturnType<typeof createJobsService>;
