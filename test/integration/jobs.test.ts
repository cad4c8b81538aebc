import { afterEach, describe, expect, it } from 'vitest';
import { createJobsService, type JobRow, type OccurrencePayload, startSweeper } from '../../src/server/modules/schedule/index.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import type { Tx } from '../../src/server/platform/db/database.js';
import { startTestApp, type TestApp } from '../support/harness.js';

/**
 * Issue 9 §6: the job table. Due jobs run once; a claim holds for its lease and is taken over after
 * it; a handler's writes and the job's completion commit together; a series has one pending job.
 */

const ctx = { actor: null, requestId: null, ip: null, lang: 'zh-CN' as const };
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function setup(at = '2026-03-02T00:00:00.000Z') {
  const clock = new ManualClock(new Date(at));
  t = await startTestApp({ clock });
  const { db, calendar, audit } = t.services;
  /** A second process on the same database: its own worker name and registry. */
  const process = (workerId: string) => createJobsService({ db, clock, calendar, workerId });
  /** A transaction handler whose one write is an audit event naming the job. */
  const writing = (fail?: (job: JobRow) => boolean) => ({
    kind: 'test.write',
    mode: 'transaction' as const,
    async run(job: JobRow, tx: Tx) {
      await audit.record(tx, ctx, { action: 'test.job', entityType: 'job', entityId: job.id, after: { key: job.key } });
      if (fail?.(job)) throw new Error(`job ${job.key} refuses`);
      return { written: 1 };
    },
  });
  const written = async () =>
    (await db.kysely.selectFrom('audit_event').select('entity_id').where('action', '=', 'test.job').execute())
      .map((r) => Number(r.entity_id))
      .sort((a, b) => a - b);
  const enqueue = (jobs: ReturnType<typeof process>, key: string, dueAt: string) =>
    db.kysely.transaction().execute((tx) => jobs.enqueue(tx, { kind: 'test.write', key, dueAt, payload: { key } }));
  const row = (key: string) => db.kysely.selectFrom('job').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
  return { clock, db, process, writing, written, enqueue, row };
}

describe('one-off jobs', () => {
  it('runs a due job once, leaves a job not yet due, and enqueueing the same key twice is one job', async () => {
    const s = await setup();
    const a = s.process('A');
    a.register(s.writing());
    expect(await s.enqueue(a, 'k1', '2026-03-01T00:00:00.000Z')).toBe(true);
    expect(await s.enqueue(a, 'k1', '2026-03-01T12:00:00.000Z')).toBe(false);
    await s.enqueue(a, 'later', '2026-03-02T00:00:01.000Z');
    const first = await a.runDue();
    expect(first).toMatchObject({ ran: 1, failed: 0, lost: 0, kinds: { 'test.write': { jobs: 1, written: 1 } } });
    expect(await a.runDue()).toMatchObject({ ran: 0 });
    expect(await s.row('k1')).toMatchObject({ state: 'done', attempts: 1, claimed_by: null, done_at: '2026-03-02T00:00:00.000Z' });
    expect(await s.row('later')).toMatchObject({ state: 'pending', attempts: 0 });
    // A done key stays done: enqueueing it again does not run it again.
    expect(await s.enqueue(a, 'k1', '2026-03-01T00:00:00.000Z')).toBe(false);
    s.clock.advance(1000);
    expect(await a.runDue()).toMatchObject({ ran: 1 });
    expect((await s.written()).length).toBe(2);
  });

  it('only claims kinds this process has a handler for', async () => {
    const s = await setup();
    const a = s.process('A');
    await s.db.kysely.transaction().execute((tx) => a.enqueue(tx, { kind: 'other.kind', key: 'x', dueAt: '2026-01-01T00:00:00.000Z' }));
    a.register(s.writing());
    expect(await a.runDue()).toMatchObject({ ran: 0 });
    expect(await s.row('x')).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('a handler that throws commits none of its writes; the job is tried again after the back-off and fails for good after 8 attempts', async () => {
    const s = await setup();
    const a = s.process('A');
    let refuse = true;
    a.register(s.writing(() => refuse));
    await s.enqueue(a, 'bad', '2026-03-01T00:00:00.000Z');
    const r = await a.runDue();
    expect(r).toMatchObject({ ran: 0, failed: 1 });
    expect(String(r.errors[0]?.error)).toContain('job bad refuses');
    expect(await s.written()).toEqual([]);
    expect(await s.row('bad')).toMatchObject({ state: 'pending', attempts: 1, last_error: 'job bad refuses', due_at: '2026-03-02T00:00:30.000Z' });
    s.clock.advance(29_000);
    expect(await a.runDue()).toMatchObject({ ran: 0, failed: 0 });
    s.clock.advance(1_000);
    expect(await a.runDue()).toMatchObject({ failed: 1 });
    for (let i = 2; i < 8; i++) {
      s.clock.advance(7 * 3_600_000);
      expect(await a.runDue()).toMatchObject({ failed: 1 });
    }
    expect(await s.row('bad')).toMatchObject({ state: 'failed', attempts: 8 });
    s.clock.advance(7 * 3_600_000);
    refuse = false;
    expect(await a.runDue()).toMatchObject({ ran: 0, failed: 0 });
    expect(await s.written()).toEqual([]);
  });
});

describe('claims and leases', () => {
  it('a job claimed by a process that died is not taken before its lease runs out, then runs once elsewhere', async () => {
    const s = await setup();
    const dead = s.process('dead');
    dead.register(s.writing());
    for (const k of ['j1', 'j2', 'j3']) await s.enqueue(dead, k, '2026-03-01T00:00:00.000Z');
    const now = s.clock.now();
    // "dead" claims two of them with a 60 s lease and never finishes (SIGKILL).
    const claimed = await dead.repo.claim('dead', ['test.write'], now.toISOString(), new Date(now.getTime() + 60_000).toISOString(), 2);
    expect(claimed.map((j) => j.key).sort()).toEqual(['j1', 'j2']);
    expect(claimed.every((j) => j.state === 'running' && j.claimedBy === 'dead' && j.attempts === 1)).toBe(true);

    const b = s.process('B');
    b.register(s.writing());
    expect(await b.runDue({ leaseMs: 60_000 })).toMatchObject({ ran: 1 });
    s.clock.advance(59_999);
    expect(await b.runDue({ leaseMs: 60_000 })).toMatchObject({ ran: 0 });
    s.clock.advance(1);
    expect(await b.runDue({ leaseMs: 60_000 })).toMatchObject({ ran: 2 });
    expect((await s.row('j1')).attempts).toBe(2);
    expect(await s.written()).toHaveLength(3);
    expect(new Set(await s.written()).size).toBe(3);
  });

  it('a process whose lease ran out and was taken over commits nothing of the job when it finally finishes', async () => {
    const s = await setup();
    const slow = s.process('slow');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let started: () => void = () => undefined;
    const inside = new Promise<void>((r) => {
      started = r;
    });
    // The slow process's handler runs outside a transaction (idempotent mode) and finishes after the takeover.
    slow.register({
      kind: 'test.write',
      mode: 'idempotent',
      async run() {
        started();
        await gate;
        return { slow: 1 };
      },
    });
    await s.enqueue(slow, 'j', '2026-03-01T00:00:00.000Z');
    const slowRun = slow.runDue({ leaseMs: 1_000 });
    await inside;
    s.clock.advance(1_000);
    const b = s.process('B');
    b.register(s.writing());
    expect(await b.runDue({ leaseMs: 1_000 })).toMatchObject({ ran: 1 });
    release();
    expect(await slowRun).toMatchObject({ ran: 0, lost: 1 });
    expect(await s.row('j')).toMatchObject({ state: 'done', attempts: 2 });
    expect(await s.written()).toHaveLength(1);
  });
});

describe('recurring series', () => {
  it('has exactly one pending job; each run enqueues the next occurrence in its transaction, moved off holidays', async () => {
    // Monday 2026-09-21 08:00 Shanghai.
    const s = await setup('2026-09-21T00:00:00.000Z');
    const a = s.process('A');
    const seen: OccurrencePayload<{ room: string }>[] = [];
    a.register({
      kind: 'test.meeting',
      mode: 'transaction',
      async run(job) {
        seen.push(job.payload as OccurrencePayload<{ room: string }>);
        return { held: 1 };
      },
    });
    const rule = { freq: 'weekly' as const, weekdays: [1], start: '2026-01-05', time: '09:00', nonWorkingDay: 'next' as const };
    const created = await s.db.kysely
      .transaction()
      .execute((tx) => a.createSeries(tx, { kind: 'test.meeting', key: 'weekly', rule, payload: { room: 'A101' } }));
    expect(created.first).toBe('2026-09-21T01:00:00.000Z');
    // The same series again is the same series.
    await s.db.kysely.transaction().execute((tx) => a.createSeries(tx, { kind: 'test.meeting', key: 'weekly', rule, payload: { room: 'A101' } }));
    const pending = () => s.db.kysely.selectFrom('job').select(['key', 'due_at']).where('kind', '=', 'test.meeting').where('state', '=', 'pending').execute();
    expect(await pending()).toEqual([{ key: `${created.seriesId}@2026-09-21`, due_at: '2026-09-21T01:00:00.000Z' }]);

    expect(await a.runDue()).toMatchObject({ ran: 0 });
    s.clock.set('2026-09-21T01:00:00.000Z');
    expect(await a.runDue()).toMatchObject({ ran: 1, kinds: { 'test.meeting': { jobs: 1, held: 1 } } });
    expect(await pending()).toEqual([{ key: `${created.seriesId}@2026-09-28`, due_at: '2026-09-28T01:00:00.000Z' }]);
    // The server is down for three weeks: each occurrence that came due runs once, in order.
    s.clock.set('2026-10-20T00:00:00.000Z');
    expect(await a.runDue()).toMatchObject({ ran: 4 });
    expect(await a.runDue()).toMatchObject({ ran: 0 });
    // 国庆: Monday 10-05 is a holiday, the meeting moves to Thursday 10-08.
    expect(seen.map((p) => p.occurrence.date)).toEqual(['2026-09-21', '2026-09-28', '2026-10-08', '2026-10-12', '2026-10-19']);
    expect(seen[2]?.series).toEqual({ room: 'A101' });
    expect(await pending()).toEqual([{ key: `${created.seriesId}@2026-10-26`, due_at: '2026-10-26T01:00:00.000Z' }]);
    expect(await s.db.kysely.selectFrom('job').select('state').where('kind', '=', 'test.meeting').where('state', '=', 'done').execute()).toHaveLength(5);
  });

  it('ends when the rule has no occurrence left, and refuses a rule that can never occur', async () => {
    const s = await setup('2026-09-21T00:00:00.000Z');
    const a = s.process('A');
    a.register({ kind: 'test.meeting', mode: 'transaction', run: async () => undefined });
    const rule = { freq: 'weekly' as const, weekdays: [1], start: '2026-09-21', time: '09:00', count: 1 };
    const { seriesId } = await s.db.kysely.transaction().execute((tx) => a.createSeries(tx, { kind: 'test.meeting', key: 'once', rule }));
    s.clock.set('2026-09-21T02:00:00.000Z');
    expect(await a.runDue()).toMatchObject({ ran: 1 });
    const series = await s.db.kysely.selectFrom('schedule_series').selectAll().where('id', '=', seriesId).executeTakeFirstOrThrow();
    expect(series.ended_at).toBe('2026-09-21T02:00:00.000Z');
    expect(await s.db.kysely.selectFrom('job').select('state').where('kind', '=', 'test.meeting').execute()).toEqual([{ state: 'done' }]);
    await expect(
      s.db.kysely
        .transaction()
        .execute((tx) =>
          a.createSeries(tx, { kind: 'test.meeting', key: 'never', rule: { freq: 'yearly', month: 2, day: 30, start: '2026-01-01', time: '09:00' } }),
        ),
    ).rejects.toThrow(/never_occurs/);
    expect(await s.db.kysely.selectFrom('schedule_series').select('key').execute()).toEqual([{ key: 'once' }]);
  });
});

describe('periodic jobs: the clock sweep', () => {
  it('is one cases.clocks row, due now at start even if it was due later, and due again one period after', async () => {
    const s = await setup();
    const jobs = t?.services.jobs;
    if (!jobs) throw new Error('no services');
    await jobs.prepare();
    expect(await s.row('cases.clocks')).toMatchObject({ kind: 'cases.clocks', state: 'pending', due_at: '2026-03-02T00:00:00.000Z' });
    expect(await jobs.runDue()).toMatchObject({ ran: 1, kinds: { 'cases.clocks': { jobs: 1, fired: 0, reminded: 0 } } });
    expect(await s.row('cases.clocks')).toMatchObject({ state: 'pending', due_at: '2026-03-02T00:00:30.000Z', attempts: 0 });
    expect(await jobs.runDue()).toMatchObject({ ran: 0 });
    // A restart: what may have come due while down is swept at once, not half a minute later.
    s.clock.advance(5_000);
    await jobs.prepare();
    expect(await s.row('cases.clocks')).toMatchObject({ due_at: '2026-03-02T00:00:05.000Z' });
    expect(await jobs.runDue()).toMatchObject({ ran: 1 });
    expect(await s.db.kysely.selectFrom('job').select('key').where('kind', '=', 'cases.clocks').execute()).toHaveLength(1);
  });
});

describe('the sweeper', () => {
  it('runs what is due at start, never two sweeps at once in one process, and logs each kind under its name', async () => {
    const s = await setup();
    const a = s.process('A');
    let inside = 0;
    let most = 0;
    a.register({
      kind: 'test.slow',
      mode: 'idempotent',
      async run() {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 30));
        inside--;
        return { done: 1 };
      },
      logAs: 'slow sweep',
    });
    await s.db.kysely.transaction().execute((tx) => a.enqueue(tx, { kind: 'test.slow', key: 'due-at-start', dueAt: '2026-03-01T00:00:00.000Z' }));
    const lines: { o: unknown; msg: string }[] = [];
    const log = { info: (o: unknown, msg: string) => lines.push({ o, msg }), error: (o: unknown, msg: string) => lines.push({ o, msg: `error: ${msg}` }) };
    const sweeper = startSweeper(a, 3_600_000, log);
    // Asked again while the start sweep runs: the same sweep, not a second one.
    const [first, second] = [sweeper.run(), sweeper.run()];
    expect(first).toBe(second);
    await first;
    expect(await s.row('due-at-start')).toMatchObject({ state: 'done' });
    expect(lines).toEqual([{ o: { kind: 'test.slow', jobs: 1, done: 1 }, msg: 'slow sweep' }]);
    await s.db.kysely.transaction().execute((tx) => a.enqueue(tx, { kind: 'test.slow', key: 'next', dueAt: '2026-03-01T00:00:00.000Z' }));
    await sweeper.run();
    await sweeper.stop();
    expect(most).toBe(1);
    expect(await s.row('next')).toMatchObject({ state: 'done' });
  });
});
