export * from './recurrence.core.js';
export { createScheduleService, type ScheduleService } from './schedule.service.js';
