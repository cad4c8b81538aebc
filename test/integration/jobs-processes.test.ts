import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/server/platform/clock.js';
import { PG_URL, TEST_DB, type TestApp } from '../support/harness.js';
import { type Child, spawnTsx, stopChild } from '../support/server-process.js';
import { disposeStore, newStore, openStore, queryStore, type Store } from '../support/stored-org.js';

/**
 * Issue 9 §6: two processes running the job sweeper on one database. Every job's effect (one audit
 * event written in the job's own transaction) is committed exactly once, also when one of the
 * processes is SIGKILLed half-way: the other takes over the jobs it held once their lease runs out.
 */

const JOBS = 200;
let children: Child[] = [];
let open: TestApp[] = [];
let stores: Store[] = [];

afterEach(async () => {
  await Promise.all(children.map((c) => stopChild(c, 'SIGKILL')));
  for (const t of open) await t.close().catch(() => undefined);
  for (const s of stores) await disposeStore(s);
  children = [];
  open = [];
  stores = [];
});

interface WorkerResult {
  pid: number;
  worker: string;
  ran: number;
  lost: number;
  sweeps: number;
}

/** A store holding `n` due `test.write` jobs (due long ago). */
async function storeWithDueJobs(n: number) {
  const store = newStore(TEST_DB);
  stores.push(store);
  const t = await openStore(store, new ManualClock(new Date('2026-01-01T00:00:00.000Z')));
  await t.services.db.kysely.transaction().execute(async (tx) => {
    for (let i = 0; i < n; i++) await t.services.jobs.enqueue(tx, { kind: 'test.write', key: `w${i}`, dueAt: '2026-01-01T00:00:00.000Z', payload: { i } });
  });
  await t.close();
  return store;
}

function worker(store: Store, o: { leaseMs: number; delayMs: number; limit: number }) {
  const w = spawnTsx('test/support/job-worker.ts', [
    JSON.stringify({ dataDir: store.dataDir, databaseUrl: store.kind === 'postgres' ? PG_URL : undefined, pgSchema: store.pgSchema, ...o }),
  ]);
  children.push(w);
  return w;
}

async function resultOf(w: Child): Promise<WorkerResult> {
  const code = await w.exited;
  if (code !== 0) throw new Error(`job worker ${w.pid} exited with ${code}:\n${w.output()}`);
  return JSON.parse(w.stdout().trim().split('\n').at(-1) ?? '') as WorkerResult;
}

/** Every job done, and exactly one `test.job` audit event per job; the audit chain verifies. */
async function checkExactlyOnce(store: Store) {
  const jobs = await queryStore<{ id: number; state: string }>(store, "select id, state from job where kind = 'test.write'");
  expect(jobs).toHaveLength(JOBS);
  expect(jobs.every((j) => j.state === 'done')).toBe(true);
  const events = await queryStore<{ entity_id: number | string }>(store, "select entity_id from audit_event where action = 'test.job'");
  const ids = events.map((e) => Number(e.entity_id)).sort((a, b) => a - b);
  expect(ids).toEqual(jobs.map((j) => Number(j.id)).sort((a, b) => a - b));
  const v = await openStore(store, new ManualClock(new Date()));
  open.push(v);
  expect(await v.services.audit.verify()).toMatchObject({ ok: true });
}

describe(`two processes running the job sweeper on one ${TEST_DB === 'postgres' ? 'PostgreSQL schema' : 'SQLite file'}`, () => {
  it('runs every due job exactly once: one commit of its effects per job, shared between the processes', async () => {
    const store = await storeWithDueJobs(JOBS);
    const ws = [worker(store, { leaseMs: 30_000, delayMs: 2, limit: 10 }), worker(store, { leaseMs: 30_000, delayMs: 2, limit: 10 })];
    await Promise.all(ws.map((w) => w.waitFor(/^ready$/m)));
    for (const w of ws) w.proc.stdin?.write('go\n');
    const results = await Promise.all(ws.map(resultOf));
    expect(results.reduce((a, r) => a + r.ran, 0)).toBe(JOBS);
    expect(results.every((r) => r.lost === 0)).toBe(true);
    // SKIP LOCKED lets PostgreSQL share the work; a SQLite writer waiting for the lock may trail.
    if (TEST_DB === 'postgres') for (const r of results) expect(r.ran).toBeGreaterThan(0);
    await checkExactlyOnce(store);
    console.info(`[${TEST_DB}] ${JOBS} jobs, two processes: ran ${results.map((r) => r.ran).join(' + ')}`);
  }, 120_000);

  it('when one process is SIGKILLed half-way, the other runs the jobs it held once their lease runs out, each once', async () => {
    const store = await storeWithDueJobs(JOBS);
    const leaseMs = 3_000;
    const ws = [worker(store, { leaseMs, delayMs: 25, limit: 20 }), worker(store, { leaseMs, delayMs: 25, limit: 20 })];
    const names = await Promise.all(ws.map(async (w) => (await w.waitFor(/^worker (\S+)$/m))[1] as string));
    await Promise.all(ws.map((w) => w.waitFor(/^ready$/m)));
    for (const w of ws) w.proc.stdin?.write('go\n');
    // Once 30 jobs are committed, kill a process while it holds claimed jobs it has not finished (between two batches it holds none).
    const started = Date.now();
    const committedBy = async (name: string) =>
      Number(
        (
          await queryStore<{ n: number | string }>(store, "select count(*) as n from audit_event where action = 'test.job' and after_json like ?", [
            `%${name}%`,
          ])
        )[0]?.n ?? 0,
      );
    const runningFor = async (name: string) =>
      Number(
        (
          await queryStore<{ n: number | string }>(store, "select count(*) as n from job where kind = 'test.write' and state = 'running' and claimed_by = ?", [
            name,
          ])
        )[0]?.n ?? 0,
      );
    while (Date.now() - started < 60_000) {
      const counts = await Promise.all(names.map(committedBy));
      if ((counts[0] ?? 0) + (counts[1] ?? 0) >= 30) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // At 25 ms a job, three unfinished jobs leave the kill about 75 ms to land inside the batch.
    let d = 0;
    while (Date.now() - started < 60_000) {
      const running = await Promise.all(names.map(runningFor));
      d = (running[0] ?? 0) >= (running[1] ?? 0) ? 0 : 1;
      if ((running[d] ?? 0) >= 3) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const doomed = ws[d] as Child;
    const survivor = ws[1 - d] as Child;
    doomed.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    const killedAt = Date.now();
    const held = await queryStore<{ n: number | string }>(
      store,
      "select count(*) as n from job where kind = 'test.write' and state = 'running' and claimed_by = ?",
      [names[d]],
    );
    // The point of the test: the killed process held claimed jobs it never finished.
    expect(Number(held[0]?.n)).toBeGreaterThan(0);
    const s = await resultOf(survivor);
    const doneByDoomed = await queryStore<{ n: number | string }>(
      store,
      "select count(*) as n from audit_event where action = 'test.job' and after_json not like ?",
      [`%${s.worker}%`],
    );
    expect(Number(doneByDoomed[0]?.n) + s.ran).toBeGreaterThanOrEqual(30);
    expect(s.ran).toBeLessThan(JOBS);
    expect(s.ran + Number(doneByDoomed[0]?.n)).toBe(JOBS);
    // …and the survivor could only run them after their lease ran out.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(leaseMs - 1_500);
    await checkExactlyOnce(store);
    // The jobs the killed process held were run again: two attempts, the first never committed.
    const retried = await queryStore<{ n: number | string }>(store, "select count(*) as n from job where kind = 'test.write' and attempts = 2");
    expect(Number(retried[0]?.n)).toBe(Number(held[0]?.n));
    console.info(
      `[${TEST_DB}] SIGKILL after ${doneByDoomed[0]?.n} of ${JOBS} jobs (${held[0]?.n} held at the kill); the survivor ran ${s.ran}, ${retried[0]?.n} of them after the lease`,
    );
  }, 120_000);
});
