import type { JobsService, RunSummary } from './jobs.service.js';

interface Log {
  error(o: unknown, msg: string): void;
  info(o: unknown, msg: string): void;
}

/**
 * The one sweeper: makes the periodic jobs due and runs what is due at start (work that came due
 * while the server was down runs now), then every `intervalMs`. Runs never overlap in one process;
 * across processes each job is claimed by one of them (ADR 0010).
 */
export function startSweeper(jobs: JobsService, intervalMs: number, log: Log, opts: { leaseMs?: number } = {}) {
  let running: Promise<void> | null = null;
  const report = (s: RunSummary) => {
    for (const [kind, counts] of Object.entries(s.kinds)) {
      const { jobs: n, ...sums } = counts;
      const values = Object.values(sums);
      // A periodic job with nothing to report stays quiet (a clock sweep that fired nothing).
      if (values.length && values.every((v) => v === 0)) continue;
      log.info({ kind, jobs: n, ...sums }, jobs.messageOf(kind));
    }
    for (const e of s.errors) log.error({ err: e.error, jobId: e.jobId, kind: e.kind }, 'job failed');
    if (s.lost) log.info({ lost: s.lost }, 'jobs taken over by another process after their lease ran out');
  };
  let prepared = false;
  const run = () => {
    running ??= (async () => {
      if (!prepared) {
        await jobs.prepare();
        prepared = true;
      }
      report(await jobs.runDue({ leaseMs: opts.leaseMs }));
    })()
      .catch((err) => log.error({ err }, 'job sweep failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    /** Runs a sweep now, or waits for the one under way. */
    run,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
