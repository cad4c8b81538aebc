/**
 * npm run bench -- --jobs [--pg] [--series=100000] [--due=1000] [--rounds=4]
 *
 * Issue 9 §6: the scheduler with 100,000 recurring series of which 1,000 are due — one sweep's time
 * must stay within 2× of the same sweep with 1,000 series in all. Both databases are seeded with bulk
 * inserts (a weekly series and its one pending job per row); the 1,000 due series' jobs are due now,
 * the others' a year ahead. A sweep claims the due jobs, runs a handler that writes nothing, marks
 * each done and enqueues its series' next occurrence (computed by the recurrence core) in the same
 * transaction. Each round moves both clocks one week on, so the same 1,000 series are due again;
 * the figure is the median over the rounds, the small and the big database alternating.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openLiaison } from '../src/server/bootstrap.js';
import { ManualClock } from '../src/server/platform/clock.js';
import { loadConfig } from '../src/server/platform/config.js';
import { systemContext } from '../src/server/platform/context.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const usePg = process.argv.includes('--pg');
const SERIES = Number(arg('series') ?? 100_000);
const DUE = Number(arg('due') ?? 1_000);
const ROUNDS = Number(arg('rounds') ?? 4);
const CONCURRENCY = arg('concurrency') ? Number(arg('concurrency')) : undefined;
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-jobs-'));
const schemas: string[] = [];
const KIND = 'bench.occurrence';
/** Monday 2026-03-02 10:00 Shanghai: the due series met at 09:00. */
const NOW = '2026-03-02T02:00:00.000Z';
const RULE = { freq: 'weekly', weekdays: [1], start: '2026-01-05', time: '09:00', nonWorkingDay: 'next' };
const fmt = (n: number) => n.toLocaleString('en-US');

async function open(name: string, series: number) {
  const dataDir = path.join(tmp, name);
  const schema = `bench_jobs_${name}_${process.pid}`;
  if (usePg) schemas.push(schema);
  const clock = new ManualClock(new Date(NOW));
  const config = { ...loadConfig({ LIAISON_DATA_DIR: dataDir }), databaseUrl: usePg ? PG_URL : undefined, logLevel: 'warn' };
  const services = await openLiaison(config, { clock, pgSchema: usePg ? schema : undefined });
  await services.setup.run(systemContext(), {
    organizationName: '基准测试集团',
    timeZone: 'Asia/Shanghai',
    admin: { name: '管理员', username: 'admin', password: 'Bench12345' },
  });
  services.jobs.register({ kind: KIND, mode: 'transaction', run: async () => ({ held: 1 }) });
  const k = services.db.kysely;
  const started = Date.now();
  const rule = JSON.stringify(RULE);
  // One transaction: one fsync for the whole seed.
  await k.transaction().execute(async (tx) => {
    for (let lo = 0; lo < series; lo += 1000) {
      const n = Math.min(1000, series - lo);
      {
        const ids = await tx
          .insertInto('schedule_series')
          .values(Array.from({ length: n }, (_, i) => ({ kind: KIND, key: `s${lo + i}`, rule_json: rule, payload_json: '{}', created_at: NOW })))
          .returning('id')
          .execute();
        await tx
          .insertInto('job')
          .values(
            ids.map(({ id }, i) => {
              // The first DUE series are due now; the rest meet a year from now.
              const date = lo + i < DUE ? '2026-03-02' : '2027-03-01';
              const at = `${date}T01:00:00.000Z`;
              return {
                kind: KIND,
                key: `${id}@${date}`,
                series_id: id,
                due_at: at,
                payload_json: JSON.stringify({ series: {}, occurrence: { date, time: '09:00', at } }),
                state: 'pending' as const,
                attempts: 0,
                created_at: NOW,
              };
            }),
          )
          .execute();
      }
    }
  });
  if (usePg) await k.executeQuery({ sql: 'ANALYZE job', parameters: [], query: { kind: 'RawNode', sqlFragments: ['ANALYZE job'], parameters: [] } } as never);
  return { services, clock, seedMs: Date.now() - started };
}

async function sweep(db: Awaited<ReturnType<typeof open>>) {
  const t0 = performance.now();
  const r = await db.services.jobs.runDue({ concurrency: CONCURRENCY });
  const ms = performance.now() - t0;
  if (r.ran !== DUE || r.errors.length) throw new Error(`sweep ran ${r.ran} of ${DUE} (${r.errors.length} errors: ${String(r.errors[0]?.error)})`);
  db.clock.advance(7 * 86_400_000);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function main() {
  console.log(`Liaison scheduler benchmark — ${usePg ? 'PostgreSQL' : 'SQLite'}, Node ${process.version}, ${os.cpus().length} cores`);
  const small = await open('small', DUE);
  const big = await open('big', SERIES);
  console.log(`  seeded ${fmt(DUE)} series in ${small.seedMs} ms and ${fmt(SERIES)} series in ${big.seedMs} ms (bulk inserts)`);
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    s.push(await sweep(small));
    b.push(await sweep(big));
  }
  const ms = { small: median(s), big: median(b) };
  const ratio = ms.big / ms.small;
  console.log(`  sweep of ${fmt(DUE)} due, ${fmt(DUE)} series in all:   ${s.map((x) => x.toFixed(0)).join(' / ')} ms → median ${ms.small.toFixed(0)} ms`);
  console.log(`  sweep of ${fmt(DUE)} due, ${fmt(SERIES)} series in all: ${b.map((x) => x.toFixed(0)).join(' / ')} ms → median ${ms.big.toFixed(0)} ms`);
  console.log(`  ratio ${ratio.toFixed(2)}×   target: within 2× → ${ratio <= 2 ? 'met' : 'MISSED'}   (${((DUE / ms.big) * 1000).toFixed(0)} jobs/s)`);
  await small.services.db.close();
  await big.services.db.close();
  if (ratio > 2) process.exitCode = 1;
}

export async function cleanup() {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (schemas.length) {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await c.end();
  }
}
