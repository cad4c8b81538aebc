export * from './calendar.core.js';
export { type CalendarService, createCalendarService } from './calendar.service.js';
export { OFFICIAL_SOURCE, OFFICIAL_YEARS, officialCalendarRows } from './official-holidays.js';
