/**
 * A separate OS process that sweeps due clocks on a shared database, for the multi-process tests.
 *
 *   node --import tsx test/support/sweep-worker.ts '{"dataDir":"…","databaseUrl":"postgres://…","pgSchema":"t_…","at":"2026-10-01T00:00:00Z","rounds":3}'
 *
 * Opens its own connection pool (openLiaison) with a clock fixed at `at`, prints `ready`, waits for
 * a line on stdin (so that both workers start together), runs `cases.sweep()` `rounds` times and
 * prints one JSON line: `{"pid":…,"fired":…,"reminded":…,"runs":[…]}`. Exit code 1 on any error,
 * with `{"error":…}` on stdout.
 */
import path from 'node:path';
import { openLiaison } from '../../src/server/bootstrap.js';
import { ManualClock } from '../../src/server/platform/clock.js';
import { loadConfig } from '../../src/server/platform/config.js';

interface WorkerOptions {
  dataDir: string;
  databaseUrl?: string;
  pgSchema?: string;
  at: string;
  rounds?: number;
  limit?: number;
}

const opts = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;

async function main() {
  const config = { ...loadConfig({ LIAISON_DATA_DIR: opts.dataDir }), databaseUrl: opts.databaseUrl };
  const services = await openLiaison(config, {
    clock: new ManualClock(new Date(opts.at)),
    pgSchema: opts.pgSchema,
    sqliteFile: path.join(opts.dataDir, 'liaison.db'),
  });
  try {
    process.stdout.write('ready\n');
    await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
    process.stdin.pause();
    const runs: { fired: number; reminded: number }[] = [];
    for (let i = 0; i < (opts.rounds ?? 1); i++) runs.push(await services.cases.sweep(opts.limit));
    const sum = (k: 'fired' | 'reminded') => runs.reduce((a, r) => a + r[k], 0);
    process.stdout.write(`${JSON.stringify({ pid: process.pid, fired: sum('fired'), reminded: sum('reminded'), runs })}\n`);
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
