import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../platform/config.js';
import type { Services } from '../../services.js';
import { backupDue, backupsToPrune } from './backup.core.js';
import { createBackup, MANIFEST } from './backup.service.js';

interface Log {
  error(o: unknown, msg: string): void;
  info(o: unknown, msg: string): void;
}

/**
 * The server's housekeeping besides the clock sweep, every `intervalMs`:
 * - brings the data directory's audit-anchor.json up to the chain's head (never backwards);
 * - when `LIAISON_BACKUP_DIR` is set, takes the day's backup once the `backup.hour` policy has come
 *   in the organization's zone, and keeps the newest `backup.keep` of them.
 */
export function startMaintenance(services: Services, config: Config, intervalMs: number, log: Log) {
  let running: Promise<void> | null = null;
  let reported = '';
  const anchor = async () => {
    const r = await services.audit.writeAnchor(config.dataDir);
    const key = JSON.stringify(r.problem ?? null);
    // Said once, not every minute; the file stays as evidence (ADR 0008).
    if (r.problem && key !== reported) log.error({ problem: r.problem }, 'audit chain does not match audit-anchor.json: run npm run audit:verify');
    reported = key;
  };
  const backup = async () => {
    const dir = config.backupDir;
    if (!dir) return;
    const { 'backup.hour': hour, 'backup.keep': keep } = await services.policy.getMany(['backup.hour', 'backup.keep']);
    const { timeZone } = await services.setup.organization();
    await fs.mkdir(dir, { recursive: true });
    const now = services.clock.now();
    if (!backupDue(now, timeZone, hour, await fs.readdir(dir))) return;
    const started = Date.now();
    const { dir: made, manifest } = await createBackup(config, dir, services.clock);
    log.info({ dir: made, auditSeq: manifest.audit.seq, files: manifest.files.length, ms: Date.now() - started }, 'scheduled backup');
    for (const old of backupsToPrune(await fs.readdir(dir), keep)) {
      // Only directories this scheduler made: a backup name with a manifest inside.
      const p = path.join(dir, old);
      if (!(await fs.stat(path.join(p, MANIFEST)).catch(() => undefined))) continue;
      await fs.rm(p, { recursive: true, force: true });
      log.info({ dir: p }, 'backup pruned');
    }
  };
  const tick = () => {
    running ??= anchor()
      .catch((err) => log.error({ err }, 'audit anchor failed'))
      .then(backup)
      .catch((err) => log.error({ err }, 'scheduled backup failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      // The head as the server leaves it.
      await anchor().catch((err) => log.error({ err }, 'audit anchor failed'));
    },
  };
}
