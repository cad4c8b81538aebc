/**
 * A separate OS process that runs the job sweeper on a shared database, for the multi-process tests.
 *
 *   node --import tsx test/support/job-worker.ts '{"dataDir":"…","databaseUrl":"postgres://…","pgSchema":"t_…","leaseMs":3000,"delayMs":20,"limit":10}'
 *
 * Opens its own connection pool (openLiaison, real clock: leases run out in real time), registers
 * the `test.write` handler (waits `delayMs` inside the job's transaction, then writes one
 * `test.job` audit event naming the job), prints `worker <name>` and `ready`, waits for a line on stdin, then sweeps
 * (`jobs.runDue`) until no `test.write` job is pending or running, and prints one JSON line:
 * `{"pid":…,"ran":…,"lost":…,"sweeps":…}`. Each finished job also prints `done <id>`. Exit code 1 on
 * any error, with `{"error":…}` on stdout.
 */
import path from 'node:path';
import { openLiaison } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/platform/config.js';

interface WorkerOptions {
  dataDir: string;
  databaseUrl?: string;
  pgSchema?: string;
  leaseMs: number;
  delayMs?: number;
  limit?: number;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
const ctx = { actor: null, requestId: null, ip: null, lang: 'zh-CN' as const };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const config = { ...loadConfig({ LIAISON_DATA_DIR: opts.dataDir }), databaseUrl: opts.databaseUrl };
  const services = await openLiaison(config, { pgSchema: opts.pgSchema, sqliteFile: path.join(opts.dataDir, 'liaison.db') });
  const { jobs, audit, db } = services;
  jobs.register({
    kind: 'test.write',
    mode: 'transaction',
    async run(job, tx) {
      if (opts.delayMs) await sleep(opts.delayMs);
      await audit.record(tx, ctx, { action: 'test.job', entityType: 'job', entityId: job.id, after: { worker: jobs.worker } });
      return { written: 1 };
    },
  });
  try {
    process.stdout.write(`worker ${jobs.worker}\nready\n`);
    await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
    process.stdin.pause();
    let ran = 0;
    let lost = 0;
    let sweeps = 0;
    for (;;) {
      const r = await jobs.runDue({ leaseMs: opts.leaseMs, limit: opts.limit });
      sweeps++;
      ran += r.ran;
      lost += r.lost;
      if (r.errors.length) throw r.errors[0]?.error;
      if (r.ran) process.stdout.write(`ran ${ran}\n`);
      const left = await db.kysely
        .selectFrom('job')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'test.write')
        .where('state', 'in', ['pending', 'running'])
        .executeTakeFirstOrThrow();
      if (Number(left.n) === 0) break;
      // What is left is claimed by the other process (or a dead one, until its lease runs out).
      await sleep(100);
    }
    process.stdout.write(`${JSON.stringify({ pid: process.pid, worker: jobs.worker, ran, lost, sweeps })}\n`);
  } finally {
    await services.db.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stdout.write(`${JSON.stringify({ pid: process.pid, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) })}\n`);
    process.exit(1);
  },
);
