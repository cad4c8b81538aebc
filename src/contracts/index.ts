export * from './audit.js';
export * from './auth.js';
export * from './calendar.js';
export * from './common.js';
export * from './delegation.js';
export * from './org.js';
export * from './policy.js';
export * from './setup.js';
