import { createAccountsService } from './modules/accounts/index.js';
import { createAssessmentService } from './modules/assessment/index.js';
import { createAuditService } from './modules/audit/index.js';
import { createCalendarService } from './modules/calendar/index.js';
import { clockSweepJob, createCasesService } from './modules/cases/index.js';
import { createDelegationService } from './modules/delegation/index.js';
import { createNotificationService } from './modules/notifications/index.js';
import { createOrgService } from './modules/org/index.js';
import { createPolicyService } from './modules/policy/index.js';
import { createJobsService, createScheduleService } from './modules/schedule/index.js';
import { createSetupService } from './modules/setup/index.js';
import { createSystemService } from './modules/system/index.js';
import type { Clock } from './platform/clock.js';
import type { Database } from './platform/db/database.js';
import { createFileStore } from './platform/files/index.js';
import { searchRepository } from './platform/search/index.js';

/** The composition root: every module's service, wired once per process. */
export interface ServiceOptions {
  /** Where attachments are stored by content hash. */
  filesDir: string;
  maxAttachmentBytes: number;
  /** How often the periodic jobs (the clock sweep) come due; the sweeper's interval. Default 30 s. */
  sweepIntervalMs?: number;
}

export function createServices(db: Database, clock: Clock, opts: ServiceOptions) {
  const audit = createAuditService(db, clock);
  const policy = createPolicyService(db, clock, audit);
  // Leaving ends access: the org service calls into accounts, created below (wired once, used later).
  const org = createOrgService({ db, clock, audit, onLeave: (tx, ctx, personId, unitId) => accounts.endAccessOf(tx, ctx, personId, unitId) });
  // The root unit never moves after setup, so it is cached once known.
  let root: { id: number; path: string } | undefined;
  const rootUnit = async () => {
    if (root) return root;
    const r = await org.repo.rootUnit();
    if (r) root = { id: r.id, path: r.path };
    return r ? { id: r.id, path: r.path } : { id: 0, path: '/__no_root__/' };
  };
  const rootPath = async () => (await rootUnit()).path;
  const accounts = createAccountsService({ db, clock, audit, policy, rootUnit });
  const calendar = createCalendarService({ db, clock, audit, policy, rootUnit });
  const schedule = createScheduleService({ calendar });
  const setup = createSetupService(db, clock, audit);
  const notifications = createNotificationService(db, clock);
  const unitContacts = org.repo.unitContacts;
  const delegations = createDelegationService({
    db,
    clock,
    audit,
    policy,
    rootPath,
    grantsOf: accounts.grantsOf,
    timeZone: async (q) => (await calendar.load(q)).timeZone,
  });
  const assessments = createAssessmentService({ db, clock, audit, policy, calendar, notifications, unitContacts });
  const cases = createCasesService({
    db,
    clock,
    audit,
    policy,
    calendar,
    notifications,
    assessments,
    search: searchRepository(db),
    files: createFileStore(opts.filesDir),
    unitContacts,
    principalsOf: delegations.principalsOf,
    maxAttachmentBytes: opts.maxAttachmentBytes,
  });
  const system = createSystemService(db, clock);
  // One job table and one sweeper for every module: each passes in its handlers here (ADR 0010).
  const jobs = createJobsService({ db, clock, calendar });
  jobs.register(clockSweepJob(cases, opts.sweepIntervalMs || 30_000));
  // Series counted in school terms wait when the terms run out; entering terms plans them at once.
  calendar.onTermsSet(async (tx) => {
    await jobs.wakeTermSeries(tx);
  });
  return {
    db,
    clock,
    audit,
    policy,
    org,
    accounts,
    calendar,
    schedule,
    jobs,
    setup,
    notifications,
    assessments,
    cases,
    delegations,
    system,
    rootPath,
    rootUnit,
  };
}

export type Services = ReturnType<typeof createServices>;
