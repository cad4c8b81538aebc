import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints in a worker thread, on its own connection. SQLite otherwise copies the WAL back
 * into the database file inside the COMMIT that crosses 1,000 pages, on the event loop: with a
 * database of gigabytes that is thousands of scattered page writes and an fsync, and every request
 * queued behind that COMMIT waits (the p99 of the case benchmark at a steady rate). A PASSIVE
 * checkpoint never blocks the writer, so the worker can run while requests are served. The main
 * connection keeps a high automatic threshold as a safety net should the worker fall behind.
 */
export const MAIN_CONNECTION_AUTOCHECKPOINT_PAGES = 20_000;

// Plain JavaScript so the thread runs the same under tsx, vitest and the compiled server.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (another process is checkpointing) or closing: the next tick tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.postMessage('closed');
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Every 50 ms: each checkpoint's fsync then has a few hundred pages to write. At 1,000 ms (or 200)
 * the fsyncs were larger and held up the server's own WAL fsync: p99 at a steady 400 actions/s was
 * 38–47 ms at 1,000 ms, 33–44 ms at 200 ms and 10–19 ms at 50 ms (1,000,000 forms).
 */
export function startCheckpointer(file: string, intervalMs = 50): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  // Never what keeps the process alive; a failing checkpointer leaves the safety net in charge.
  worker.unref();
  let exited = false;
  worker.on('error', () => {});
  worker.once('exit', () => {
    exited = true;
  });
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        const done = () => resolve();
        if (exited) return done();
        worker.once('message', () => void worker.terminate().then(done, done));
        worker.once('exit', done);
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
