export * from './common.js';
export * from './auth.js';
export * from './setup.js';
export * from './org.js';
export * from './calendar.js';
export * from './audit.js';
