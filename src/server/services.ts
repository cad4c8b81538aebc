import type { Clock } from './platform/clock.js';
import type { Database } from './platform/db/database.js';
import { createAccessService } from './modules/access/index.js';
import { createAuditService } from './modules/audit/index.js';
import { createCalendarService } from './modules/calendar/index.js';
import { createOrgService } from './modules/org/index.js';
import { createPolicyService } from './modules/policy/index.js';
import { createSetupService } from './modules/setup/index.js';

/** The composition root: every module's service, wired once per process. */
export function createServices(db: Database, clock: Clock) {
  const audit = createAuditService(db, clock);
  const policy = createPolicyService(db, clock, audit);
  const org = createOrgService({ db, clock, audit });
  // The root never changes after setup, so its path is cached once known.
  let rootPathCache: string | undefined;
  const rootPath = async () => {
    if (rootPathCache) return rootPathCache;
    const root = await org.repo.rootUnit();
    if (root) rootPathCache = root.path;
    return root?.path ?? '/__no_root__/';
  };
  const access = createAccessService({ db, clock, audit, policy, rootPath });
  const calendar = createCalendarService({ db, clock, audit, policy });
  const setup = createSetupService(db, clock, audit);
  return { db, clock, audit, policy, org, access, calendar, setup, rootPath };
}

export type Services = ReturnType<typeof createServices>;
