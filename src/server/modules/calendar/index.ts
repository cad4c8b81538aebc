export { CALENDAR_PROBLEMS } from './calendar.errors.js';
export { type CalendarRouteDeps, calendarRoutes } from './calendar.routes.js';
export { type CalendarService, createCalendarService } from './calendar.service.js';
export * from './core.js';
