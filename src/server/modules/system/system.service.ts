import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/database.js';
import { systemRepository } from './system.repository.js';

export interface HealthCheck {
  readable: boolean;
  writable: boolean;
}

/**
 * What `/api/health` reports: a real read of every call, and a real committed write at most once
 * per `writeEveryMs` (calls meanwhile share the last answer), so a public endpoint polled by a load
 * balancer does not turn into a stream of commits.
 */
export function createSystemService(db: Database, clock: Clock, writeEveryMs = 1000) {
  const repo = systemRepository(db);
  let lastWrite: { at: number; ok: Promise<boolean> } | undefined;
  const attempt = (p: Promise<void>) =>
    p.then(
      () => true,
      () => false,
    );
  return {
    async health(): Promise<HealthCheck> {
      const now = clock.now();
      if (!lastWrite || now.getTime() - lastWrite.at >= writeEveryMs || now.getTime() < lastWrite.at)
        lastWrite = { at: now.getTime(), ok: attempt(repo.write(now.toISOString())) };
      const [readable, writable] = await Promise.all([attempt(repo.read()), lastWrite.ok]);
      return { readable, writable };
    },
  };
}

export type SystemService = ReturnType<typeof createSystemService>;
