// The calendar's pure core: working-day walks, deadlines and their explanations, and the official
// holiday seed, importable without the calendar service (no database, no policy, no audit).
export * from './calendar.core.js';
export { OFFICIAL_SOURCE, OFFICIAL_YEARS, officialCalendarRows } from './official-holidays.js';
