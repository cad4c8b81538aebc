export * from './jobs.core.js';
export type { JobRow } from './jobs.repository.js';
export { createJobsService, type JobHandler, type JobResult, type JobsService, type OccurrencePayload, type RunSummary } from './jobs.service.js';
export * from './recurrence.core.js';
export { SCHEDULE_PROBLEMS } from './schedule.errors.js';
export { type ScheduleRouteDeps, scheduleRoutes } from './schedule.routes.js';
export { createScheduleService, type ScheduleService } from './schedule.service.js';
export { startSweeper } from './sweeper.js';
