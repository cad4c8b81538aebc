/**
 * npm test — the whole suite, the way CI runs it:
 *   1. typecheck (tsc, strict)
 *   2. unit + integration tests on SQLite (vitest)
 *   3. the server tests again on PostgreSQL (LIAISON_TEST_DB=postgres, TEST_DATABASE_URL)
 *   4. the browser journey (playwright-core driving Debian chromium) — builds the web UI first
 * and ends with one plain line `N passed, N failed[, N skipped]` summed over all of them.
 * Exit code 1 on any failure. `npm test -- --only=sqlite,pg` runs a subset.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const want = (name: string) => !only || only.includes(name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-test-'));

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const tee = (chunk: Buffer, to: NodeJS.WriteStream) => {
      output += chunk.toString();
      to.write(chunk);
    };
    child.stdout.on('data', (c: Buffer) => tee(c, process.stdout));
    child.stderr.on('data', (c: Buffer) => tee(c, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function vitest(label: string, args: string[], env: Record<string, string>): Promise<Tally> {
  const report = path.join(tmp, `${label}.json`);
  const { code } = await run('npx', ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], env);
  if (!fs.existsSync(report)) return { passed: 0, failed: 1, skipped: 0 };
  const r = JSON.parse(fs.readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  // A suite that fails to load has no failed tests but must still fail the run.
  const failed = r.numFailedTests + r.numFailedTestSuites + (code !== 0 && r.numFailedTests === 0 && r.numFailedTestSuites === 0 ? 1 : 0);
  return { passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests };
}

/** Reads the `N passed, N failed` line a runner printed. */
function parsePlain(output: string, code: number): Tally {
  const m = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
  if (!m) return { passed: 0, failed: 1, skipped: 0 };
  const t = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) };
  if (code !== 0 && t.failed === 0) t.failed = 1;
  return t;
}

const results: [string, Tally][] = [];
const step = (name: string) => console.log(`\n━━ ${name} ━━`);

if (want('typecheck')) {
  step('typecheck');
  const { code } = await run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  results.push(['typecheck', { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 }]);
}
if (want('sqlite')) {
  step('unit + integration tests on SQLite');
  results.push(['sqlite', await vitest('sqlite', [], { LIAISON_TEST_DB: 'sqlite' })]);
}
if (want('pg')) {
  step('server tests on PostgreSQL');
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  results.push(['postgres', await vitest('pg', ['test/integration', 'src/server'], { LIAISON_TEST_DB: 'postgres', TEST_DATABASE_URL: url })]);
}
if (want('e2e')) {
  step('browser journey (chromium)');
  const build = await run('npm', ['run', 'build:web', '--silent']);
  if (build.code !== 0) results.push(['e2e', { passed: 0, failed: 1, skipped: 0 }]);
  else {
    const e2e = await run('npx', ['tsx', 'test/e2e/journey.e2e.ts']);
    results.push(['e2e', parsePlain(e2e.output, e2e.code)]);
  }
}

fs.rmSync(tmp, { recursive: true, force: true });
const total = results.reduce((a, [, t]) => ({ passed: a.passed + t.passed, failed: a.failed + t.failed, skipped: a.skipped + t.skipped }), {
  passed: 0,
  failed: 0,
  skipped: 0,
});
console.log('\n━━ summary ━━');
// Per-suite lines are worded differently on purpose: only the last line is the `N passed, N failed` total.
for (const [name, t] of results) console.log(`  ${name.padEnd(10)} passed ${t.passed}, failed ${t.failed}${t.skipped ? `, skipped ${t.skipped}` : ''}`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
