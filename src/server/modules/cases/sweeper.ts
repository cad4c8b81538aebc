import type { CasesService } from './cases.service.js';

/**
 * Runs the clock sweep at start (a deadline that passed while the server was down fires now) and
 * then every `intervalMs`. Runs never overlap in one process; across processes the per-clock claim
 * makes each expiry happen once.
 */
export function startSweeper(cases: CasesService, intervalMs: number, log: { error(o: unknown, msg: string): void; info(o: unknown, msg: string): void }) {
  let running: Promise<void> | null = null;
  const run = () => {
    if (running) return running;
    running = cases
      .sweep()
      .then((r) => {
        if (r.fired || r.reminded) log.info(r, 'clock sweep');
      })
      .catch((err) => log.error({ err }, 'clock sweep failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  void run();
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
