export * from './recurrence.core.js';
