import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain JavaScript so the thread runs the same under tsx, vitest and the compiled server.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
try {
  const src = new Database(workerData.file, { readonly: true, fileMustExist: true });
  src.pragma('busy_timeout = 10000');
  // One read transaction: a consistent copy while the server goes on writing (WAL).
  src.prepare('VACUUM INTO ?').run(workerData.dest);
  src.close();
  const copy = new Database(workerData.dest, { readonly: true, fileMustExist: true });
  const check = copy.pragma('integrity_check', { simple: true });
  copy.close();
  parentPort.postMessage({ ok: check === 'ok', error: check === 'ok' ? undefined : 'integrity_check: ' + check });
} catch (err) {
  parentPort.postMessage({ ok: false, error: String(err && err.message || err) });
}
`;

/**
 * A consistent copy of a SQLite database taken while it is in use (`VACUUM INTO`, one read
 * transaction), checked with `PRAGMA integrity_check`. It runs in a worker thread on its own
 * connection: the copy of a large database takes seconds, and the server keeps serving meanwhile.
 */
export function snapshotSqlite(file: string, dest: string): Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, dest, driver } });
    let answered = false;
    worker.once('message', (m: { ok: boolean; error?: string }) => {
      answered = true;
      if (m.ok) resolve();
      else reject(new Error(`${file}: ${m.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`${file}: snapshot worker exited with ${code}`));
    });
  });
}
