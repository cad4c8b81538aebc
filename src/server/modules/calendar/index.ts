export { createCalendarService, type CalendarService } from './calendar.service.js';
export * from './calendar.core.js';
export { OFFICIAL_SOURCE, OFFICIAL_YEARS, officialCalendarRows } from './official-holidays.js';
